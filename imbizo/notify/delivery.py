"""Sending what the outbox holds, safely from several workers at once.

A message is claimed with one compare-and-set UPDATE (PENDING and due, or a
SENDING whose lease ran out -> SENDING with a new lease), sent, then marked
SENT. No transaction stays open while a provider is talked to, so SQLite
writers are not blocked. Two workers never claim the same message.

Exactly once, honestly: a message exists only if the change that caused it
committed (it is written in the same transaction). The one window for a
duplicate is a worker dying after the provider accepted a message and before
it was marked SENT: the lease then runs out and another worker sends it
again. Providers that accept our message id as an idempotency key close it.
"""

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q

from imbizo.core import clock

from .models import MessageChannel, MessageStatus, OutboxMessage
from .services import message_text
from .signals import message_sent
from .sms import SmsError, sms_backend

logger = logging.getLogger("imbizo.notify")

LEASE = timedelta(minutes=5)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2), timedelta(hours=12))


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6))


def retry_delay(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Back-off after the `attempts`-th failure, with up to 20% jitter."""
    base = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    return base * (1 + (rng or random).random() * 0.2)  # noqa: S311 - jitter, not security


def _due(now) -> Q:
    return Q(next_attempt_at__lte=now) & (
        Q(status=MessageStatus.PENDING) | Q(status=MessageStatus.SENDING))


def message_claim(message_id: int) -> bool:
    """Take the message for this worker if it is due and nobody holds it."""
    now = clock.now()
    claimed = OutboxMessage.objects.filter(_due(now), pk=message_id).update(
        status=MessageStatus.SENDING, next_attempt_at=now + LEASE)
    return claimed == 1


@dataclass
class _Connections:
    email: object = None
    sms: object = None


def message_send(*, message_id: int, connections: _Connections | None = None) -> bool:
    """Claim, send and record one message. True when it was sent now."""
    if not message_claim(message_id):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    connections = connections or _Connections()
    try:
        subject, body = message_text(message)
        if message.channel == MessageChannel.EMAIL:
            connections.email = connections.email or get_connection()
            EmailMessage(subject=subject, body=body, to=[message.recipient],
                         from_email=settings.DEFAULT_FROM_EMAIL,
                         connection=connections.email,
                         headers={"X-Imbizo-Message": str(message.pk)}).send()
            provider_id = ""
        else:
            connections.sms = connections.sms or sms_backend()
            provider_id = connections.sms.send(to=message.recipient, text=body,
                                               message_id=message.pk) or ""
    except (OSError, SmsError, LookupError) as exc:
        _failed(message, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, sent_at=clock.now(), attempts=F("attempts") + 1,
        subject=subject, body=body, provider_id=provider_id[:120], last_error="")
    logger.info("message %s sent (%s, %s)", message.pk, message.channel, message.template)
    message_sent.send(sender=OutboxMessage, message=message)
    return True


def _failed(message: OutboxMessage, exc: Exception) -> None:
    attempts = message.attempts + 1
    give_up = attempts >= max_attempts()
    # The error text of SMTP or a gateway can name the address; keep its kind only
    # in the log, and the text (for staff) on the row.
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:1000],
        status=MessageStatus.FAILED if give_up else MessageStatus.PENDING,
        next_attempt_at=None if give_up else clock.now() + retry_delay(attempts),
    )
    logger.warning("message %s failed (attempt %d%s): %s", message.pk, attempts,
                   ", giving up" if give_up else "", type(exc).__name__)


def outbox_send_due(*, limit: int = 500) -> int:
    """Send messages that are due, oldest first; return how many were sent."""
    ids = list(
        OutboxMessage.objects.filter(_due(clock.now())).order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    connections = _Connections()
    sent = 0
    try:
        for message_id in ids:
            sent += message_send(message_id=message_id, connections=connections)
    finally:
        if connections.email is not None:
            connections.email.close()
    return sent


def message_retry(*, message: OutboxMessage) -> None:
    """Staff asked to try a failed or waiting message again now."""
    OutboxMessage.objects.filter(pk=message.pk, status__in=[
        MessageStatus.FAILED, MessageStatus.PENDING]).update(
        status=MessageStatus.PENDING, next_attempt_at=clock.now())
