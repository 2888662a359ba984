"""The channels' personal data under privacy's rules (privacy/hooks.py).

A sender's number or address and the words of their messages are personal
data like a form's: in the citizen's export, gone on erasure, and stripped
when the retention period has passed, as cases are redacted.
"""

from datetime import datetime, timedelta

from django.db import transaction

from imbizo.notify.models import OptOut

from .models import Conversation, InboundMessage

ERASED = "[erased]"
# Conversations are working state: one left untouched this long is gone.
CONVERSATION_KEEP = timedelta(days=7)


def messages_export(*, identifiers) -> list[dict]:
    """The citizen's messages, as they sent them, with what became of each."""
    rows = (InboundMessage.objects.filter(sender__in=list(identifiers))
            .select_related("gateway", "case").order_by("received_at", "id"))
    return [{"channel": m.gateway.kind, "received_at": m.received_at.isoformat(),
             "from": m.sender, "text": m.text, "outcome": m.outcome,
             "case": m.case.reference if m.case_id else None} for m in rows]


def opt_outs_export(*, identifiers) -> list[dict]:
    return [{"channel": channel, "since": at.isoformat()} for channel, at in
            OptOut.objects.filter(address__in=list(identifiers)).values_list("channel", "at")]


@transaction.atomic
def messages_erase(*, identifiers) -> int:
    """Blank the sender and words of the citizen's messages; drop their
    conversations and opt-outs (their cases lose the number too, so nothing is
    sent to it again). How many records were changed."""
    identifiers = list(identifiers)
    changed = InboundMessage.objects.filter(sender__in=identifiers).update(
        sender=ERASED, text="")
    changed += Conversation.objects.filter(address__in=identifiers).delete()[0]
    changed += OptOut.objects.filter(address__in=identifiers).delete()[0]
    return changed


@transaction.atomic
def messages_expire(*, before: datetime) -> int:
    """Strip the messages received before `before` (PERSONAL_DATA_RETENTION_MONTHS)."""
    changed = InboundMessage.objects.filter(received_at__lte=before).exclude(
        sender=ERASED).update(sender=ERASED, text="")
    return changed + Conversation.objects.filter(updated_at__lte=before).delete()[0]


def conversations_expire(*, now: datetime) -> int:
    """Conversations nobody took up again for CONVERSATION_KEEP (the retention sweep)."""
    return Conversation.objects.filter(updated_at__lte=now - CONVERSATION_KEEP).delete()[0]
