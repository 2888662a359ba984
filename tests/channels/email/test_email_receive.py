"""One email handled by the reply service, without a mailbox: the cases the
poll never meets in the other tests."""

import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import CaseEvent, EventKind
from imbizo.cases.services import case_merge, case_open
from imbizo.channels.email_replies import email_receive
from imbizo.channels.models import Gateway
from imbizo.notify.models import OutboxMessage

from .fixtures import CITIZEN
from .mails import new_email, reply_to, sent_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(db):
    gateway = Gateway(kind="email", slug="replies", adapter="imap", settings={})
    gateway.secret_set("unused")
    gateway.save()
    return gateway


def test_our_own_message_come_back_is_a_loop_and_is_not_answered(gateway, citizen_case):
    outbox_before = OutboxMessage.objects.count()
    for sender in ("noreply@muni.example", "replies+12-abc@muni.example"):
        result = email_receive(gateway=gateway, raw=new_email(body="Echo", sender=sender))
        assert result.outcome == "auto_reply" and result.case is None
    assert OutboxMessage.objects.count() == outbox_before


def test_a_reply_to_a_merged_report_goes_to_its_incident(gateway, world, citizen_case, officer):
    incident = case_open(draft=CaseDraft(
        service_code=world.service.code, description="Burst main, whole street",
        channel="hotline", ward_code=world.ward.code))
    acknowledgement = sent_to(CITIZEN)
    case_merge(case=citizen_case, into=incident, actor=officer)

    result = email_receive(gateway=gateway, raw=reply_to(acknowledgement, body="Any news?"))

    assert result.case == incident
    assert CaseEvent.objects.get(kind=EventKind.MESSAGE_IN).case == incident


def test_a_message_with_only_a_photo_says_so_on_the_timeline(gateway, citizen_case):
    from .mails import png

    raw = reply_to(sent_to(CITIZEN), body="", attachments=[("a.png", "image/png", png())])
    result = email_receive(gateway=gateway, raw=raw)

    assert result.photos == 1
    assert CaseEvent.objects.get(kind=EventKind.MESSAGE_IN).note == "(photos only)"


def test_a_message_without_a_readable_sender_is_recorded_and_left(gateway, citizen_case):
    raw = new_email(body="Who am I?", sender="undisclosed-recipients:;")

    result = email_receive(gateway=gateway, raw=raw)

    assert result.case is None and result.outcome == "refused"
    assert not CaseEvent.objects.filter(kind=EventKind.MESSAGE_IN).exists()
