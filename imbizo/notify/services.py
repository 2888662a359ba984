"""Writes to the outbox. Callers are inside their own transaction.

Their words come from notify.texts. Sending is notify.delivery's job (see
its docstring for the guarantees): `message_enqueue` asks for delivery (the
task `notify.tasks.outbox_deliver`) right after the caller's commit, and the
periodic outbox sweep sends everything else that is due.
"""

import functools
import logging

from django.db import IntegrityError, transaction

from imbizo.core import clock

from . import tasks
from .models import MessageChannel, MessageStatus, OptOut, OutboxMessage
from .stop import STOP_CONFIRMATION
from .texts import message_render

logger = logging.getLogger("imbizo.notify")


def message_enqueue(
    *,
    channel: MessageChannel | str,
    recipient: str,
    template: str,
    context: dict | None = None,
    deferred_context: dict | None = None,
    case=None,
    dedupe_key: str | None = None,
    language: str | None = None,
) -> OutboxMessage | None:
    """Queue a message for sending after commit, in the caller's transaction.

    The text comes from `notify/<template>.<channel>.txt` (for email, its first
    line is the subject), rendered now from `context` or at sending time from
    `deferred_context` (see `message_build`), in `language` (the recipient's;
    see `message_build`). Returns None (and queues nothing) when a message
    with `dedupe_key` already exists.

    When the caller's transaction commits, the task `outbox_deliver` is
    enqueued for the message; if it rolls back, there is no message and
    nothing is sent.
    """
    if dedupe_key and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    if template != STOP_CONFIRMATION and opted_out(channel=channel, address=recipient):
        return None
    message = message_build(
        channel=channel, recipient=recipient, template=template, context=context,
        deferred_context=deferred_context, case=case, dedupe_key=dedupe_key, language=language,
    )
    if dedupe_key:
        # Another worker may queue the same message between the check above and
        # this insert (a task run twice, two polls at once): its row wins, and
        # the caller's transaction goes on.
        try:
            with transaction.atomic():
                message.save(force_insert=True)
        except IntegrityError:
            if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
                return None
            raise
    else:
        message.save(force_insert=True)
    message_deliver_after_commit(message_id=message.pk)
    return message


def message_deliver_after_commit(*, message_id: int) -> None:
    """Enqueue delivery of a stored message once the current transaction commits
    (at once outside a transaction). For writers that insert messages
    themselves (`message_build` + bulk insert) and want them sent before the
    next outbox sweep.
    """
    transaction.on_commit(functools.partial(_deliver_later, message_id))


def _deliver_later(message_id: int) -> None:
    try:
        tasks.outbox_deliver.enqueue(message_id)
    except Exception:
        # The row is committed and due: the sweep sends it. The request that
        # wrote it must not fail over a queue hiccup after its commit.
        logger.warning("message %s: delivery not enqueued; the sweep will send it",
                       message_id, exc_info=True)


def message_build(
    *,
    channel: MessageChannel | str,
    recipient: str,
    template: str,
    context: dict | None = None,
    deferred_context: dict | None = None,
    case=None,
    dedupe_key: str | None = None,
    language: str | None = None,
) -> OutboxMessage:
    """An unsaved outbox message, for callers that insert many at once (bulk_create).

    With `context` the text is rendered now. With `deferred_context` (small,
    JSON-serialisable) it is rendered when the message is sent, by the
    builder registered for `template` (see `notify.texts.context_builder`): bulk writers
    such as the clock sweep then pay for rendering outside their transaction.

    `language` is the recipient's (a case's or a subscription's): the text is
    written in it, now or, kept as the deferred context's "language", at
    sending time. Without it a message rendered now takes the active language
    and a deferred one its builder's choice. A citizen-bound message always
    passes it: the request or worker that happens to send it has no say.
    """
    subject, body = "", ""
    if deferred_context is None:
        subject, body = message_render(channel, template, context or {}, language=language)
    elif language:
        deferred_context = {**deferred_context, "language": language}
    now = clock.now()
    return OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        template=template,
        context=deferred_context or {},
        case=case,
        dedupe_key=dedupe_key,
        created_at=now,
        next_attempt_at=now,
    )


def message_retry(*, message: OutboxMessage) -> bool:
    """Staff asked to try a failed or waiting message again now. True when it
    was FAILED or PENDING (a message being sent, or sent, is left alone)."""
    reset = OutboxMessage.objects.filter(pk=message.pk, status__in=[
        MessageStatus.FAILED, MessageStatus.PENDING]).update(
        status=MessageStatus.PENDING, next_attempt_at=clock.now()) == 1
    if reset:
        message_deliver_after_commit(message_id=message.pk)
    return reset


def messages_drop(*, channel: str, recipient: str, templates: tuple[str, ...]) -> int:
    """Take back the waiting messages of `templates` to `recipient` (who asked
    for no more); returns how many. A message being sent is left to finish.
    Set-based; the caller holds the transaction."""
    return OutboxMessage.objects.filter(
        channel=channel, recipient=recipient, template__in=templates,
        status=MessageStatus.PENDING,
    ).update(status=MessageStatus.DROPPED, next_attempt_at=None)


def opt_out_record(*, channel: str, address: str) -> bool:
    """`address` wants no more messages on `channel`: record it once and take back
    what is still waiting for it. True when it is new. The caller holds the
    transaction. Messages queued in bulk are checked again when sent
    (notify.delivery), so nothing but the stop confirmation reaches it."""
    _optout, created = OptOut.objects.get_or_create(
        channel=channel, address=address, defaults={"at": clock.now()})
    OutboxMessage.objects.filter(
        channel=channel, recipient=address, status=MessageStatus.PENDING,
    ).exclude(template=STOP_CONFIRMATION).update(
        status=MessageStatus.DROPPED, next_attempt_at=None)
    return created


def opt_in_record(*, channel: str, address: str) -> bool:
    """`address` wants our messages on `channel` again (texted START). True when
    it had opted out."""
    return OptOut.objects.filter(channel=channel, address=address).delete()[0] > 0


def opted_out(*, channel: str, address: str) -> bool:
    """True when `address` asked for no more messages on `channel`."""
    return bool(address) and OptOut.objects.filter(channel=channel, address=address).exists()
