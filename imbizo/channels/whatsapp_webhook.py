"""Meta's WhatsApp Cloud API webhook, read: the signature and the payload.

No database and no clock here: plain functions of the request's bytes,
tested alone. The adapter (adapters/whatsapp_cloud.py) calls them and hands
what they find to the services in channels/whatsapp.py.

The payload, as Meta documents it::

    {"object": "whatsapp_business_account",
     "entry": [{"id": "<WABA id>", "changes": [{"field": "messages", "value": {
         "messaging_product": "whatsapp",
         "metadata": {"display_phone_number": "...", "phone_number_id": "..."},
         "contacts": [{"profile": {"name": "..."}, "wa_id": "27821234567"}],
         "messages": [{"from": "27821234567", "id": "wamid....", "timestamp": "1700000000",
                       "type": "text", "text": {"body": "..."}}],
         "statuses": [{"id": "wamid....", "status": "failed", "timestamp": "...",
                       "recipient_id": "...", "errors": [{"code": 131047, "title": "..."}]}]
     }}]}]}

Message types read: text, location (latitude, longitude, name, address),
image (id, mime_type, sha256, caption) and button (the text of a template's
quick-reply button). Every other type (audio, sticker, video, document,
contacts, reaction, ...) is `unsupported`: the citizen is told what we can read.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

SIGNATURE_HEADER = "X-Hub-Signature-256"
SIGNATURE_PREFIX = "sha256="
SUPPORTED_TYPES = frozenset({"text", "location", "image", "button"})
# The most messages and statuses one delivery is read for: Meta batches a few;
# a body with thousands is not Meta's.
MAX_ITEMS = 200


class PayloadError(ValueError):
    """The body is not a WhatsApp webhook payload; the text says what is wrong."""


@dataclass(frozen=True)
class WhatsAppMessage:
    """One citizen's message. `wa_id` and `profile_name` are personal data."""

    wamid: str
    wa_id: str
    kind: str
    sent_at: datetime | None = None
    phone_number_id: str = ""
    profile_name: str = ""
    text: str = ""
    lat: float | None = None
    lon: float | None = None
    place_name: str = ""
    place_address: str = ""
    media_id: str = ""
    mime_type: str = ""
    sha256: str = ""

    @property
    def supported(self) -> bool:
        return self.kind in SUPPORTED_TYPES

    @property
    def sender(self) -> str:
        """The sender's number in E.164 (a WhatsApp id is the number without its +)."""
        return "+" + self.wa_id.lstrip("+")


@dataclass(frozen=True)
class WhatsAppStatus:
    """WhatsApp's report on a message we sent: sent, delivered, read or failed."""

    wamid: str
    status: str
    error_code: int | None = None
    error_title: str = ""


@dataclass(frozen=True)
class Delivery:
    messages: tuple[WhatsAppMessage, ...] = ()
    statuses: tuple[WhatsAppStatus, ...] = ()


def signature_valid(*, body: bytes, header: str | None, app_secret: str) -> bool:
    """True when `header` is "sha256=" and the hex HMAC-SHA256 of the raw
    `body` keyed with the app secret (compared in constant time)."""
    if not header or not app_secret or not header.startswith(SIGNATURE_PREFIX):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len(SIGNATURE_PREFIX):].strip().lower())


def signature_of(*, body: bytes, app_secret: str) -> str:
    """The header value Meta would send with `body` (for tests and tools)."""
    return SIGNATURE_PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def handshake_answer(*, params, verify_token: str) -> str | None:
    """The challenge to echo when Meta's verification request (hub.mode=subscribe,
    hub.verify_token, hub.challenge) carries our verify token; None otherwise."""
    if params.get("hub.mode") != "subscribe" or not verify_token:
        return None
    given = params.get("hub.verify_token") or ""
    if not hmac.compare_digest(given.encode(), verify_token.encode()):
        return None
    challenge = params.get("hub.challenge") or ""
    # Meta sends a number; anything else is not echoed into our answer.
    return challenge if challenge.isdigit() and len(challenge) <= 64 else None


def delivery_read(body: bytes) -> Delivery:
    """The messages and statuses of one webhook body, or PayloadError."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError("The body is not JSON.") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise PayloadError("The body has no 'entry' list.")
    if payload.get("object", "whatsapp_business_account") != "whatsapp_business_account":
        raise PayloadError("The body is not about a WhatsApp Business Account.")
    messages, statuses = [], []
    for entry in payload["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise PayloadError("An entry has no 'changes' list.")
        for change in changes:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue  # account updates, template reviews: nothing for us
            value = change.get("value")
            if not isinstance(value, dict):
                raise PayloadError("A change has no 'value' object.")
            messages.extend(_messages(value))
            statuses.extend(_statuses(value))
    if len(messages) + len(statuses) > MAX_ITEMS:
        raise PayloadError("The body holds more messages than one delivery may.")
    return Delivery(messages=tuple(messages), statuses=tuple(statuses))


def _list(value: dict, name: str) -> list:
    items = value.get(name, [])
    if not isinstance(items, list):
        raise PayloadError(f"'{name}' is not a list.")
    return items


def _messages(value: dict) -> list[WhatsAppMessage]:
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    names = {}
    for contact in _list(value, "contacts"):
        if isinstance(contact, dict) and isinstance(contact.get("profile"), dict):
            names[str(contact.get("wa_id", ""))] = str(contact["profile"].get("name", ""))[:120]
    found = []
    for item in _list(value, "messages"):
        if not isinstance(item, dict):
            raise PayloadError("A message is not an object.")
        wamid, wa_id = str(item.get("id") or ""), str(item.get("from") or "")
        if not wamid or not wa_id.lstrip("+").isdigit():
            raise PayloadError("A message lacks its 'id' or its sender's number ('from').")
        kind = str(item.get("type") or "unknown")[:20]
        found.append(WhatsAppMessage(
            wamid=wamid[:200], wa_id=wa_id.lstrip("+")[:20], kind=kind,
            sent_at=_when(item.get("timestamp")),
            phone_number_id=str(metadata.get("phone_number_id") or ""),
            profile_name=names.get(wa_id, ""), **_content(kind, item)))
    return found


def _content(kind: str, item: dict) -> dict:
    part = item.get(kind)
    part = part if isinstance(part, dict) else {}
    if kind == "text":
        return {"text": str(part.get("body") or "")}
    if kind == "button":
        return {"text": str(part.get("text") or "")}
    if kind == "location":
        lat, lon = _number(part.get("latitude")), _number(part.get("longitude"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PayloadError("A location has no valid 'latitude' and 'longitude'.")
        return {"lat": lat, "lon": lon, "place_name": str(part.get("name") or "")[:200],
                "place_address": str(part.get("address") or "")[:300]}
    if kind == "image":
        if not part.get("id"):
            raise PayloadError("An image has no media 'id'.")
        return {"media_id": str(part["id"])[:100], "mime_type": str(part.get("mime_type") or ""),
                "sha256": str(part.get("sha256") or "")[:100],
                "text": str(part.get("caption") or "")}
    return {}


def _statuses(value: dict) -> list[WhatsAppStatus]:
    found = []
    for item in _list(value, "statuses"):
        if not isinstance(item, dict) or not item.get("id"):
            raise PayloadError("A status lacks the 'id' of its message.")
        errors = item.get("errors") if isinstance(item.get("errors"), list) else []
        first = errors[0] if errors and isinstance(errors[0], dict) else {}
        code = first.get("code")
        found.append(WhatsAppStatus(
            wamid=str(item["id"])[:200], status=str(item.get("status") or "")[:20],
            error_code=code if isinstance(code, int) else None,
            error_title=str(first.get("title") or "")[:200]))
    return found


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _when(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
