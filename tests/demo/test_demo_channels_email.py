"""The demo's email replies and the ratings of reports made by email."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.cases.models import Attachment, CaseEvent, EventKind
from imbizo.cases.transitions import OPEN_STATUSES
from imbizo.channels.models import InboundMessage
from imbizo.demo.channels_email import channels_email_build
from imbizo.demo.feedback import feedback_build
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.engagement.models import Contact, Response

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instruments")]
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


def test_the_demo_holds_email_replies_photos_machines_and_ratings(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(UNTIL, tick=False):
        demo_build(seed=3)
        history_build(seed=3, cases=8000, until=UNTIL)
        feedback_build(seed=3, until=UNTIL)
        made = channels_email_build(seed=3, until=UNTIL)

    replies = InboundMessage.objects.filter(gateway__kind="email", outcome="case_message")
    assert made["email replies"] == replies.count() > 50
    assert CaseEvent.objects.filter(kind=EventKind.MESSAGE_IN, details__channel="email",
                                    public=False).count() == made["email replies"]
    assert Contact.objects.filter(channel="email", outcome="Message from the citizen").count() \
        == made["email replies"]
    # Open cases (the officer login's first) show a reply with its photo.
    with_photo = Attachment.objects.filter(case__status__in=list(OPEN_STATUSES))
    assert made["with a photo"] == with_photo.count() == 3
    assert replies.filter(case__in=with_photo.values("case")).count() == with_photo.count()
    # Machines touch no case.
    machines = InboundMessage.objects.filter(outcome__in=["auto_reply", "bounce"])
    assert machines.count() == made["auto-replies and bounces"] > 0
    assert not machines.filter(case__isnull=False).exists()
    assert made["ratings of email reports"] > 0
    assert Response.objects.filter(invitation__source="email", channel="email",
                                   case__channel="email").count() \
        == made["ratings of email reports"]
    assert not InboundMessage.objects.filter(received_at__gt=UNTIL).exists()
