"""Reading Meta's webhook bodies and signatures: plain functions, no database."""

import json

import pytest

from imbizo.channels.whatsapp_webhook import (
    MAX_ITEMS,
    PayloadError,
    delivery_read,
    handshake_answer,
    signature_of,
    signature_valid,
)

from . import payloads


def test_a_signature_is_the_hmac_of_the_raw_body_with_the_app_secret():
    body = payloads.text("hi", wamid="wamid.1")
    header = signature_of(body=body, app_secret="s")
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signature_valid(body=body, header=header, app_secret="s")
    assert signature_valid(body=body, header=header.upper().replace("SHA256=", "sha256="),
                           app_secret="s")
    assert not signature_valid(body=body + b" ", header=header, app_secret="s")
    assert not signature_valid(body=body, header=header[7:], app_secret="s")  # no prefix
    assert not signature_valid(body=body, header=header, app_secret="")


def test_the_handshake_echoes_only_a_numeric_challenge():
    params = {"hub.mode": "subscribe", "hub.verify_token": "v"}
    assert handshake_answer(params={**params, "hub.challenge": "987"}, verify_token="v") == "987"
    assert handshake_answer(params={**params, "hub.challenge": "<script>"},
                            verify_token="v") is None
    assert handshake_answer(params={**params, "hub.challenge": "1"}, verify_token="") is None


def test_text_location_image_and_button_are_read_and_the_rest_is_unsupported():
    [text] = delivery_read(payloads.text("Leak", wamid="w1")).messages
    [pin] = delivery_read(payloads.location(-26.1, 28.0, wamid="w2")).messages
    [image] = delivery_read(payloads.image({"id": "55", "mime_type": "image/png"},
                                           caption="Here", wamid="w3")).messages
    [button] = delivery_read(payloads.message("button", {"text": "Yes", "payload": "Y"},
                                              wamid="w4")).messages
    [audio] = delivery_read(payloads.message("audio", {"id": "9"}, wamid="w5")).messages
    assert (text.kind, text.text, text.sender) == ("text", "Leak", "+27821234567")
    assert (pin.lat, pin.lon, pin.place_name, pin.place_address) == (
        -26.1, 28.0, "Corner shop", "12 Main Road")
    assert (image.media_id, image.mime_type, image.text) == ("55", "image/png", "Here")
    assert button.text == "Yes" and button.supported
    assert audio.kind == "audio" and not audio.supported
    assert text.sent_at.timestamp() == payloads.TIMESTAMP


def test_statuses_carry_the_first_error():
    [status] = delivery_read(payloads.status("wamid.OUT1", "failed", error_code=131047)).statuses
    assert (status.wamid, status.status, status.error_code) == ("wamid.OUT1", "failed", 131047)


def test_other_fields_of_the_account_are_ignored():
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "message_template_status_update", "value": {"event": "APPROVED"}}]}]})
    delivery = delivery_read(body.encode())
    assert delivery.messages == () and delivery.statuses == ()


def test_a_body_with_more_items_than_a_delivery_may_hold_is_refused():
    items = [{"id": f"w{n}", "status": "read"} for n in range(MAX_ITEMS + 1)]
    with pytest.raises(PayloadError, match="more messages"):
        delivery_read(payloads.envelope({"statuses": items}))


@pytest.mark.parametrize("body", [b"[]", b'{"entry": "x"}', b'{"entry": [{"changes": 1}]}',
                                  b'{"entry": [{"changes": [{"field": "messages"}]}]}',
                                  b"\xff\xfe"])
def test_bodies_of_the_wrong_shape_are_refused(body):
    with pytest.raises(PayloadError):
        delivery_read(body)
