"""Text messages through the SMS backends: a generic HTTP gateway and the log."""

import json
import logging
from urllib.parse import parse_qs

import pytest
from django.test import override_settings

from imbizo.notify.delivery import message_send
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.notify.sms import HttpGatewaySmsBackend, LogSmsBackend, SmsError, mask_number
from imbizo.notify.tasks import outbox_sweep
from tests.notify.factories import open_case


@pytest.mark.django_db(transaction=True)
def test_an_sms_goes_to_the_http_gateway_with_number_text_and_reference(world, sms_gateway):
    case = open_case(world, citizen_phone="082 123 4567")
    message = OutboxMessage.objects.get()

    outbox_sweep.enqueue()

    [request] = sms_gateway.received
    assert (request.method, request.path) == ("POST", "/send")
    assert request.headers["Authorization"] == "Key s3cret"
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.body)
    assert body == {"to": "+27821234567", "text": body["text"], "reference": str(message.pk)}
    assert case.reference in body["text"]
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (MessageStatus.SENT, "gw-123")
    assert message.body == body["text"]


@pytest.mark.django_db(transaction=True)
def test_a_form_encoded_gateway_gets_escaped_values(world, sms_gateway):
    open_case(world, citizen_phone="082 123 4567")
    message = OutboxMessage.objects.get()

    with override_settings(SMS_GATEWAY_CONTENT_TYPE="application/x-www-form-urlencoded",
                           SMS_GATEWAY_BODY_TEMPLATE="to=$to&message=$text&ref=$message_id"):
        assert message_send(message_id=message.pk) is True

    form = parse_qs(sms_gateway.received[0].body, strict_parsing=True)
    assert form["to"] == ["+27821234567"]  # the plus survives form encoding
    assert form["ref"] == [str(message.pk)]
    assert "we received your report" in form["message"][0]


def test_values_in_the_gateway_url_are_url_escaped():
    with override_settings(SMS_GATEWAY_URL="https://sms.example.net/send?to=$to&msg=$text",
                           SMS_GATEWAY_METHOD="GET"):
        request = HttpGatewaySmsBackend().request_for("+27821234567", "a&b c", 7)

    assert request.full_url == "https://sms.example.net/send?to=%2B27821234567&msg=a%26b+c"
    assert (request.get_method(), request.data) == ("GET", None)


def test_json_values_are_escaped_so_a_message_cannot_break_the_body():
    with override_settings(SMS_GATEWAY_URL="https://sms.example.net/send"):
        request = HttpGatewaySmsBackend().request_for("+27821234567", 'say "hi"\n}', 7)

    assert json.loads(request.data)["text"] == 'say "hi"\n}'


def test_a_gateway_that_redirects_has_not_taken_the_message(sms_gateway):
    sms_gateway.status = 302
    sms_gateway.answer_headers = {"Location": "/elsewhere"}

    with pytest.raises(SmsError, match="HTTP 302"):
        HttpGatewaySmsBackend().send("+27821234567", "Hello", message_id=1)

    assert [r.path for r in sms_gateway.received] == ["/send"]  # not followed


def test_an_unreachable_gateway_is_a_failure():
    with (override_settings(SMS_GATEWAY_URL="http://127.0.0.1:9/send", SMS_GATEWAY_TIMEOUT=2),
          pytest.raises(SmsError, match="unreachable")):
        HttpGatewaySmsBackend().send("+27821234567", "Hello", message_id=1)


def test_the_log_backend_masks_the_number(caplog):
    with caplog.at_level(logging.INFO, logger="imbizo.notify"):
        LogSmsBackend().send("+27821234567", "Hello there", message_id=7)

    assert caplog.messages == ["SMS to +27******567 (11 chars), message 7"]
    assert "+27821234567" not in caplog.text and "Hello there" not in caplog.text


def test_masking_keeps_the_ends_of_a_number_only():
    assert mask_number("+27821234567") == "+27******567"
    assert mask_number("12345") == "*****"


def test_plain_text_messages_are_not_html_escaped(db):
    """An SMS is not HTML: the officer's words reach the citizen as typed."""
    from types import SimpleNamespace

    from imbizo.notify.texts import message_render

    case = SimpleNamespace(reference="AB12-CD34")
    _, body = message_render("sms", "case_updated", {
        "case": case, "message": "Mr O'Brien's meter & valve are \"fixed\" <today>",
        "track_url": "https://example.test/t/x"})
    assert "Mr O'Brien's meter & valve are \"fixed\" <today>" in body
    assert "&#x27;" not in body and "&amp;" not in body and "&lt;" not in body
