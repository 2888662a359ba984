"""Writes to the outbox. Callers are inside their own transaction."""

from django.template.loader import render_to_string
from django.utils import translation

from imbizo.core import clock

from .models import MessageChannel, OutboxMessage


def message_enqueue(
    *,
    channel: MessageChannel | str,
    recipient: str,
    template: str,
    context: dict,
    case=None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Render `notify/<template>.<channel>.txt` now and queue it for sending after commit.

    The first line of an email template is its subject. Returns None (and
    queues nothing) when a message with `dedupe_key` already exists.
    """
    if dedupe_key and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    message = message_build(
        channel=channel, recipient=recipient, template=template, context=context, case=case,
        dedupe_key=dedupe_key,
    )
    message.save(force_insert=True)
    return message


def message_build(
    *,
    channel: MessageChannel | str,
    recipient: str,
    template: str,
    context: dict,
    case=None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """An unsaved outbox message, for callers that insert many at once (bulk_create)."""
    with translation.override(translation.get_language() or "en"):
        text = render_to_string(f"notify/{template}.{channel}.txt", context).strip()
    subject, body = "", text
    if channel == MessageChannel.EMAIL:
        subject, _, body = text.partition("\n")
        body = body.strip()
    now = clock.now()
    return OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject.strip()[:255],
        body=body,
        template=template,
        case=case,
        dedupe_key=dedupe_key,
        created_at=now,
        next_attempt_at=now,
    )
