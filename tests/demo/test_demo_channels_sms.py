"""The demo's gateways answer with the secret "demo", and its SMS history is real data."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.cases.models import CaseEvent, EventKind
from imbizo.channels.models import Gateway, InboundMessage
from imbizo.demo.channels_sms import channels_sms_build
from imbizo.demo.feedback import feedback_build
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.engagement.models import Contact, Response
from imbizo.notify.models import OptOut

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instruments")]
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


def test_the_demo_holds_sms_reports_replies_ratings_and_stops(client):
    with time_machine.travel(UNTIL, tick=False):
        demo_build(seed=3)
        history_build(seed=3, cases=8000, until=UNTIL)
        feedback_build(seed=3, until=UNTIL)
        made = channels_sms_build(seed=3)

    assert made["SMS reports"] == 300 and made["SMS replies"] > 50
    assert made["SMS ratings"] > 50 and made["STOPs"] == 5
    assert set(Gateway.objects.values_list("kind", "slug")) == {
        ("sms", "africastalking"), ("sms", "generic"), ("ussd", "africastalking"),
        ("whatsapp", "whatsapp_cloud"), ("email", "imap")}
    assert all(g.secret_matches("demo") for g in Gateway.objects.all())
    replies = InboundMessage.objects.filter(outcome="case_message")
    assert replies.count() == made["SMS replies"]
    assert CaseEvent.objects.filter(kind=EventKind.MESSAGE_IN, public=False).count() \
        == made["SMS replies"]
    assert Contact.objects.filter(channel="sms", outcome="Message from the citizen").count() \
        == made["SMS replies"]
    assert Response.objects.filter(invitation__source="sms", channel="sms").count() \
        == made["SMS ratings"]
    assert OptOut.objects.count() == 5
    assert not InboundMessage.objects.filter(received_at__gt=UNTIL).exists()


def test_make_run_answers_the_demo_gateways(client):
    demo_build(seed=3)
    channels_sms_build(seed=3)
    response = client.post("/channels/sms/africastalking/demo/", {
        "from": "+27825550000", "to": "31337", "text": "hello", "id": "ATXid_try",
        "date": "2026-12-07 08:00:00", "linkId": ""})
    assert response.status_code == 200
    assert client.post("/channels/sms/africastalking/wrong/", {}).status_code == 401
