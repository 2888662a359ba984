"""Webhook bodies in the shape Meta documents for the WhatsApp Cloud API
(object whatsapp_business_account, entry[].changes[].value with metadata,
contacts, messages[] or statuses[]), serialised as Meta sends them."""

import json

APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-me"
PHONE_NUMBER_ID = "106540352242922"
WA_ID = "27821234567"  # a WhatsApp id is the number without its plus
TIMESTAMP = 1796630400  # 2026-12-07 08:00 UTC


def envelope(value: dict) -> bytes:
    return json.dumps({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "27105550000",
                         "phone_number_id": PHONE_NUMBER_ID},
            **value}}]}],
    }).encode()


def message(kind: str, content: dict, *, wamid: str, wa_id: str = WA_ID,
            timestamp: int = TIMESTAMP, name: str = "Thandi") -> bytes:
    return envelope({
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": wamid, "timestamp": str(timestamp),
                      "type": kind, kind: content}],
    })


def text(body: str, **kw) -> bytes:
    return message("text", {"body": body}, **kw)


def location(lat: float, lon: float, **kw) -> bytes:
    return message("location", {"latitude": lat, "longitude": lon, "name": "Corner shop",
                                "address": "12 Main Road"}, **kw)


def image(media: dict, caption: str | None = None, **kw) -> bytes:
    content = dict(media)
    if caption is not None:
        content["caption"] = caption
    return message("image", content, **kw)


def status(wamid: str, state: str, *, error_code: int | None = None) -> bytes:
    item = {"id": wamid, "status": state, "timestamp": str(TIMESTAMP),
            "recipient_id": WA_ID}
    if error_code is not None:
        item["errors"] = [{"code": error_code, "title": "Message failed to send"}]
    return envelope({"statuses": [item]})
