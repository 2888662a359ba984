"""The demo's WhatsApp reports: a ward from each pin, a real photo each,
follow-ups on the timeline, ratings on channel whatsapp; the demo gateway
answers Meta's handshake with the secret and verify token "demo"."""

import pytest
from PIL import Image

from imbizo.cases.models import Attachment, Case, CaseEvent, EventKind
from imbizo.demo.channels_whatsapp import whatsapp_build
from imbizo.demo.municipality import demo_build
from imbizo.engagement.models import Response
from imbizo.notify.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instruments")]


def test_the_demo_holds_whatsapp_reports_with_pins_photos_and_ratings(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo_build(seed=3)

    made = whatsapp_build(seed=3, reports=12)

    assert made["WhatsApp reports"] == 12 and made["photos"] == 12
    cases = Case.objects.filter(channel="whatsapp")
    assert cases.count() == 12
    assert not cases.filter(ward__isnull=True).exists()  # every pin fell in a ward
    for attachment in Attachment.objects.filter(case__in=cases):
        with Image.open(attachment.file) as image:
            assert image.format == "JPEG"
    assert CaseEvent.objects.filter(case__in=cases, kind=EventKind.MESSAGE_IN).count() \
        == made["follow-ups"] > 0
    assert Response.objects.filter(channel="whatsapp").count() == made["rated"] > 0
    # History, not work: nothing of it waits to be sent when `make run` starts.
    assert not OutboxMessage.objects.filter(channel="whatsapp", status="pending").exists()
    answer = client.get("/channels/whatsapp/whatsapp_cloud/demo/", {
        "hub.mode": "subscribe", "hub.verify_token": "demo", "hub.challenge": "42"})
    assert (answer.status_code, answer.content) == (200, b"42")
