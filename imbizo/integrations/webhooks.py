"""Webhooks, the pure part: event names, payloads and signatures.

No ORM and no clock here; the receivers (integrations.receivers) and the
sender (integrations.sending) use these.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

SIGNATURE_HEADER = "Imbizo-Signature"
EVENT_HEADER = "Imbizo-Event"
DELIVERY_HEADER = "Imbizo-Delivery"
# A consumer should refuse a signature older than this (replayed requests).
TOLERANCE_SECONDS = 300

_BY_KIND = {
    "opened": "case.opened",
    "acknowledged": "case.acknowledged",
    "assigned": "case.assigned",
    "public_update": "case.updated",
    "reopened": "case.reopened",
    "warned": "case.warned",
    "ack_breached": "case.ack_breached",
    "update_overdue": "case.update_overdue",
    "breached": "case.breached",
    "escalated": "case.escalated",
    "merged": "case.merged",
}
_BY_STATUS = {
    "acknowledged": "case.acknowledged",
    "assigned": "case.assigned",
    "in_progress": "case.started",
    "waiting_citizen": "case.waiting",
    "waiting_third_party": "case.waiting",
    "resolved": "case.resolved",
    "closed": "case.closed",
    "reopened": "case.reopened",
}
# Sent by outreach for service interruptions (their own payload: docs/api.md).
INTERRUPTION_EVENT_NAMES = ("interruption.created", "interruption.updated",
                            "interruption.restored")
EVENT_NAMES = tuple(sorted({*_BY_KIND.values(), *_BY_STATUS.values(),
                            *INTERRUPTION_EVENT_NAMES}))

# Event details worth passing on; others (staff ids) stay inside.
_DETAILS = ("channel", "due", "level", "step", "outcome", "into", "office", "by_citizen",
            "automatic")


def event_name(kind: str, to_status: str = "") -> str | None:
    """The webhook event for a CaseEvent, or None for what is never sent (internal notes)."""
    if kind == "status":
        return _BY_STATUS.get(to_status)
    return _BY_KIND.get(kind)


@dataclass(frozen=True)
class CaseFacts:
    """What a payload says about the case (codes already looked up)."""

    reference: str
    status: str
    kind: str
    priority: str
    service: str | None
    ward: str | None
    office: str | None
    outcome: str
    personal: dict | None = None  # only for keys with the `personal` scope


@dataclass(frozen=True)
class EventFacts:
    kind: str
    at: datetime
    public: bool
    from_status: str = ""
    to_status: str = ""
    note: str = ""
    details: dict | None = None


def payload(*, delivery_id: str, name: str, case: CaseFacts, event: EventFacts,
            api_url: str, track_url: str) -> dict:
    body = {
        "id": delivery_id,
        "event": name,
        "occurred_at": event.at.isoformat(),
        "case": {
            "reference": case.reference, "status": case.status, "kind": case.kind,
            "priority": case.priority, "service": case.service, "ward": case.ward,
            "office": case.office, "outcome": case.outcome or None,
            "url": api_url, "track_url": track_url,
        },
        "change": {
            "from_status": event.from_status or None, "to_status": event.to_status or None,
            # Only what the citizen was shown; internal text never leaves.
            "note": event.note if event.public and event.note else None,
        },
        "details": {k: v for k, v in (event.details or {}).items() if k in _DETAILS},
    }
    if case.personal is not None:
        body["personal"] = case.personal
    return body


def body_bytes(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of `"<timestamp>." + body` with the subscription's secret."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def signature_verify(*, secret: str, header: str, body: bytes, now: int,
                     tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a consumer does (docs/api.md has the same in a page of Python)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))


def wanted(subscribed: Iterable[str], name: str) -> bool:
    subscribed = tuple(subscribed)
    return not subscribed or name in subscribed
