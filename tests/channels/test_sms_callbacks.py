"""SMS gateways' callbacks over HTTP in their own formats: refusals, once only."""

import hashlib
import hmac
import json

import pytest

from imbizo.cases.models import CaseEvent, EventKind
from imbizo.channels.models import InboundMessage
from imbizo.engagement.models import Contact
from imbizo.notify.models import OutboxMessage

from .conftest import PHONE, SECRET, at_post, case_of, gateway_make, replies_to

pytestmark = pytest.mark.django_db


def test_an_sms_from_a_number_with_an_open_case_joins_it(client, at_gateway, sms_world):
    case = case_of(sms_world)
    response = at_post(client, text="It is still leaking, please hurry", sender="0821234567")
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.sender == PHONE  # as the case holds it
    assert message.case == case and message.outcome == "case_message"
    event = CaseEvent.objects.get(case=case, kind=EventKind.MESSAGE_IN)
    assert event.note == "It is still leaking, please hurry" and not event.public
    assert event.details["channel"] == "sms"
    contact = Contact.objects.get(case=case, channel="sms")
    assert message.contact == contact
    [reply] = replies_to()
    assert case.reference in reply


def test_the_officer_is_told_of_the_message(client, at_gateway, sms_world):
    from tests.factories import StaffFactory

    officer = StaffFactory(office=sms_world.office)
    case = case_of(sms_world)
    case.assignee = officer
    case.save(update_fields=["assignee"])
    at_post(client, text="Still leaking")
    told = OutboxMessage.objects.get(template="channels/message_in")
    assert told.recipient == officer.user.email and "Still leaking" in told.body
    assert case.reference in told.subject


def test_the_case_page_says_by_which_channel_the_citizen_wrote(client, at_gateway, sms_world):
    from django.urls import reverse

    from imbizo.org.models import Role
    from tests.factories import StaffFactory

    officer = StaffFactory(office=sms_world.office, role=Role.OFFICER)
    case = case_of(sms_world)
    at_post(client, text="Still leaking at the corner")
    client.force_login(officer.user)

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert "Still leaking at the corner" in page
    assert "the citizen · SMS" in page


def test_the_same_provider_id_twice_is_handled_once(client, at_gateway, sms_world):
    case = case_of(sms_world)
    assert at_post(client, text="Hello", msg_id="ATXid_same").status_code == 200
    assert at_post(client, text="Hello", msg_id="ATXid_same").status_code == 200
    assert InboundMessage.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE_IN).count() == 1
    assert len(replies_to()) == 1


def test_a_wrong_secret_is_refused_and_logged_without_the_body(client, at_gateway, caplog):
    response = at_post(client, text="secret words here", secret="wrong")
    assert response.status_code == 401
    assert InboundMessage.objects.count() == 0
    assert "wrong secret" in caplog.text
    assert "secret words" not in caplog.text and "2782" not in caplog.text


def test_an_unknown_gateway_or_kind_is_refused(client, at_gateway):
    assert at_post(client, text="x", slug="nope").status_code == 401
    assert client.post(f"/channels/fax/at/{SECRET}/", {"from": PHONE}).status_code == 404


def test_a_callback_without_its_fields_is_a_clear_400(client, at_gateway):
    response = client.post(f"/channels/sms/at/{SECRET}/", {"text": "hi"})
    assert response.status_code == 400 and b"'from'" in response.content
    assert client.get(f"/channels/sms/at/{SECRET}/").status_code == 405
    assert InboundMessage.objects.count() == 0


# --- the generic adapter: mapping and signature as data --------------------------------

SIGNING = "signing-key"


@pytest.fixture
def generic(sms_world):
    return gateway_make(slug="bulk", adapter="generic", settings={
        "format": "json",
        "fields": {"id": "message.id", "sender": "message.msisdn", "text": "message.body",
                   "received_at": "message.at"},
        "signature": {"header": "X-Hub-Signature", "secret": SIGNING, "prefix": "sha256="},
        "answer": "ACK"})


def generic_post(client, payload: dict, *, key=SIGNING, signature=None):
    body = json.dumps(payload).encode()
    digest = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    headers = {} if signature == "" else {
        "HTTP_X_HUB_SIGNATURE": signature or f"sha256={digest}"}
    return client.post(f"/channels/sms/bulk/{SECRET}/", body, content_type="application/json",
                       **headers)


def payload(text="Still leaking", msg_id="m-1"):
    return {"message": {"id": msg_id, "msisdn": "27821234567", "body": text,
                        "at": "2026-12-07T08:00:00+02:00"}}


def test_the_generic_adapter_reads_a_signed_json_body_by_its_mapping(client, generic, sms_world):
    case = case_of(sms_world)
    response = generic_post(client, payload())
    assert response.status_code == 200 and response.content == b"ACK\n"
    message = InboundMessage.objects.get()
    assert message.sender == PHONE and message.text == "Still leaking" and message.case == case
    assert message.received_at.isoformat() == "2026-12-07T06:00:00+00:00"


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64])
def test_the_generic_adapter_refuses_a_missing_or_wrong_signature(client, generic, signature,
                                                                   caplog):
    response = generic_post(client, payload(text="private words"), signature=signature)
    assert response.status_code == 401
    assert InboundMessage.objects.count() == 0
    assert "private words" not in caplog.text and "27821234567" not in caplog.text


def test_the_generic_adapter_says_what_is_wrong_with_a_body(client, generic):
    response = generic_post(client, {"message": {"id": "x"}})
    assert response.status_code == 400 and b"message.msisdn" in response.content


def test_a_form_encoded_generic_gateway_without_signature(client, sms_world):
    gateway_make(slug="plain", adapter="generic", settings={"fields": {"sender": "msisdn"}})
    case = case_of(sms_world)
    response = client.post(f"/channels/sms/plain/{SECRET}/",
                           {"id": "7", "msisdn": "+27821234567", "text": "Any news?"})
    assert response.status_code == 200
    assert InboundMessage.objects.get().case == case


def test_the_generic_settings_are_checked():
    from imbizo.channels.adapters import adapter_for

    check = adapter_for("sms", "generic").settings_check
    assert check({"format": "json", "fields": {"sender": "a.b"}}) == []
    assert check({"format": "xml"})
    assert check({"fields": {"phone": "x"}})
    assert check({"signature": {"header": "X-Sig"}})

