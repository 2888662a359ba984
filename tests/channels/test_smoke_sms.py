"""Africa's Talking SMS callbacks over HTTP: joined to the case, once; refusals."""

import pytest

from imbizo.cases.models import CaseEvent, EventKind
from imbizo.channels.models import InboundMessage
from imbizo.engagement.models import Contact
from imbizo.notify.models import OutboxMessage

from .conftest import SECRET, case_of

pytestmark = pytest.mark.django_db


def at_post(client, *, text, msg_id="ATXid_1", sender="+27821234567", secret=SECRET,
            slug="at"):
    return client.post(f"/channels/sms/{slug}/{secret}/", {
        "from": sender, "to": "31337", "text": text, "date": "2026-12-07 08:00:00",
        "id": msg_id, "linkId": "SampleLinkId123", "networkCode": "62120"})


def test_an_sms_from_a_number_with_an_open_case_joins_it(client, at_gateway, world):
    case = case_of(world)
    response = at_post(client, text="It is still leaking, please hurry")
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.case == case and message.outcome == "case_message"
    event = CaseEvent.objects.get(case=case, kind=EventKind.MESSAGE_IN)
    assert event.note == "It is still leaking, please hurry" and not event.public
    assert Contact.objects.filter(case=case, channel="sms").count() == 1
    reply = OutboxMessage.objects.get(template="channels/reply")
    assert case.reference in reply.body and reply.recipient == "+27821234567"


def test_the_same_provider_id_twice_is_handled_once(client, at_gateway, world):
    case = case_of(world)
    assert at_post(client, text="Hello").status_code == 200
    assert at_post(client, text="Hello").status_code == 200
    assert InboundMessage.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE_IN).count() == 1
    assert OutboxMessage.objects.filter(template="channels/reply").count() == 1


def test_a_wrong_secret_is_refused_and_logged_without_the_body(client, at_gateway, caplog):
    response = at_post(client, text="secret words here", secret="wrong")
    assert response.status_code == 401
    assert InboundMessage.objects.count() == 0
    assert "wrong secret" in caplog.text
    assert "secret words" not in caplog.text and "+2782" not in caplog.text


def test_an_unknown_gateway_is_refused(client, at_gateway):
    assert at_post(client, text="x", slug="nope").status_code == 401
