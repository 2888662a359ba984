"""Sending what the outbox holds: after commit, once, from any number of workers.

Two paths, one service
----------------------
A message row is written in the same transaction as the change it reports
(`services.message_enqueue`, or many at once with `message_build` and a bulk
insert). Then:

- `message_enqueue` registers `transaction.on_commit` to enqueue the task
  `tasks.outbox_deliver(message_id)`: an interactive message leaves within a
  worker poll of the commit;
- the periodic task `tasks.outbox_sweep` (every OUTBOX_SWEEP_SECONDS, 5 s) sends every PENDING
  message whose `next_attempt_at` has passed, interactive ones first (below): rows written in bulk (no
  on-commit hook), retries after back-off, messages whose enqueue was lost
  (a crash between commit and enqueue), and messages whose worker died while
  sending (their lease ran out, below).

Both call `message_send(message_id=...)`, which claims, sends, and marks.

Priorities
----------
Each message has a `priority` (models.MessagePriority): INTERACTIVE (0) for
what one citizen waits for (an acknowledgement, an update, a survey
invitation), BULK (5) for what goes to many at once (ward alerts, written in
one INSERT ... SELECT with no on-commit hook). The sweep reads due rows in
the order (priority, next_attempt_at, id), SWEEP_CHUNK (25) at a time,
claims each chunk in one transaction (`messages_claim`: the same locked
read, due check and lease as `message_claim`, for 25 rows at once), and
reads again before each chunk, so an interactive message that falls due while
100,000 alerts are going out is sent after at most one chunk of them, by the
sweep itself if its own task is queued behind the sweep; within a chunk the
sweep also looks for due interactive messages every
INTERACTIVE_CHECK_SECONDS (0.25 s) and sends them before the rest, so a slow
provider does not stretch the wait to a whole chunk. A sweep stops after
OUTBOX_SWEEP_BUDGET_SECONDS (20 s) or SWEEP_LIMIT messages and leaves the
rest to the next one, so the worker's other tasks are not starved. Priority
changes only the order: claims, leases and retries are the same for every
message (docs/adr/0025).

Claim, send, mark
-----------------
The claim is a short transaction of its own. On PostgreSQL the row is read
with `SELECT ... FOR UPDATE SKIP LOCKED`: a row another worker is claiming
right now is skipped, not waited for. SQLite has no row locks, but our SQLite
transactions are IMMEDIATE (settings), so each claim holds the database's
write lock from its first statement: claims are serialised. Inside, the
status and due time are checked again; a due PENDING row (or a SENDING row
whose lease ran out) becomes SENDING with a lease (`next_attempt_at` = now +
LEASE), and the claim commits. Only then is the provider contacted: no
transaction, and on SQLite no write lock, is held across network I/O. The
message is then marked SENT with `sent_at` (and its rendered text kept), or,
on failure, PENDING again with `attempts` + 1, `last_error` and a back-off
with jitter (1 min, 5 min, 30 min, 2 h, 12 h), or FAILED after
OUTBOX_MAX_ATTEMPTS attempts.

Exactly once, honestly
----------------------
- Never for a change that did not commit: the message is written in the
  change's transaction, so a rollback leaves no row, and delivery is only
  triggered after commit (and the sweep only sees committed rows).
- Never lost once committed: a row stays PENDING (or SENDING, with a lease)
  until it is marked SENT or given up; the sweep finds it.
- Never by two workers at once: only one claim succeeds, and a claimed
  message is left alone until its lease runs out. The lease (5 min) is far
  longer than a send can take: gateway and SMTP calls have timeouts
  (SMS_GATEWAY_TIMEOUT; EMAIL_TIMEOUT, or SEND_TIMEOUT when that is unset).
- The window that remains: a worker that dies (or loses its database) after
  the provider accepted a message and before the SENT mark committed. The row
  stays SENDING; when the lease runs out another worker sends it again. No
  protocol on our side closes that window: it would need the provider to take
  part. Claim-then-send-then-mark narrows it to one round trip, and we hand
  providers what they need to drop the duplicate: the HTTP gateway gets our
  message id (`$message_id`) as a client reference, which gateways with
  idempotency keys use; emails carry a Message-ID derived from the outbox row,
  the same on every attempt, which mail systems use to spot duplicates.
  Delivery is therefore at least once in that window and exactly once
  otherwise.

Logs carry the message id, channel and template, and the kind of error;
never recipients or message text (the row's `last_error` keeps the backend's
own error text for staff).

Other channels
--------------
Apps add channels without notify knowing them (webhooks: integrations):
`register_sender(channel, send)` where `send(message) -> Receipt` delivers
one message or raises `DeliveryFailed` (with the HTTP status and time when
there was an answer; `permanent=True` gives up at once). The same claim,
lease, back-off and retry apply. See docs/adr/0010.
"""

import logging
import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from imbizo.core import clock

from . import whatsapp
from .backends import delivers_nothing
from .models import MessageChannel, MessagePriority, MessageStatus, OptOut, OutboxMessage
from .replies import case_email_headers
from .segments import sms_normalise
from .signals import message_sent
from .sms import SmsError, sms_backend
from .stop import STOP_CONFIRMATION
from .texts import message_headers, message_text

logger = logging.getLogger("imbizo.notify")

# How long a claimed message is left to its worker (OUTBOX_LEASE_SECONDS).
LEASE = timedelta(minutes=5)
# Socket timeout for SMTP when EMAIL_TIMEOUT is unset (Django's default is to
# wait for ever, which would outlive the lease).
SEND_TIMEOUT = 60
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2), timedelta(hours=12))
SWEEP_LIMIT = 5000
# Due rows read per query: the most an interactive message waits behind bulk ones.
SWEEP_CHUNK = 25
SWEEP_BUDGET_SECONDS = 20.0
# Within a chunk of bulk messages, how often the sweep looks for interactive
# ones that fell due meanwhile (one indexed read each time).
INTERACTIVE_CHECK_SECONDS = 0.25


@dataclass(frozen=True)
class Receipt:
    """What a sender learnt from the receiving end of a delivered message."""

    provider_id: str = ""
    response_status: int | None = None
    response_ms: int | None = None


class DeliveryFailed(Exception):  # noqa: N818 - reads as what happened
    """The receiving end did not take the message. The text says why (no personal data)."""

    def __init__(self, reason: str, *, response_status: int | None = None,
                 response_ms: int | None = None, permanent: bool = False):
        super().__init__(reason)
        self.response_status = response_status
        self.response_ms = response_ms
        self.permanent = permanent


_senders: dict[str, Callable[[OutboxMessage], Receipt]] = {}


def register_sender(channel: str, send: Callable[[OutboxMessage], Receipt]) -> None:
    """Deliver messages of `channel` with `send` (see "Other channels" above)."""
    _senders[channel] = send


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6))


def lease() -> timedelta:
    """How long a claimed message is left to its worker before another may send it."""
    seconds = getattr(settings, "OUTBOX_LEASE_SECONDS", None)
    return LEASE if seconds is None else timedelta(seconds=seconds)


def retry_delay(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Back-off after the `attempts`-th failure, with up to 20% jitter (so
    messages that failed together do not all come back at the same second)."""
    base = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    return base * (1 + (rng or random).random() * 0.2)  # noqa: S311 - jitter, not security


def _is_due(message: OutboxMessage, now: datetime) -> bool:
    return (message.status in (MessageStatus.PENDING, MessageStatus.SENDING)
            and message.next_attempt_at is not None and message.next_attempt_at <= now)


def message_claim(*, message_id: int) -> OutboxMessage | None:
    """Take the message for this worker if it is due and nobody holds it.

    Returns the claimed message (SENDING, leased), or None. Runs its own
    transaction and must not be called inside one: the claim has to be
    committed before the provider is contacted.
    """
    now = clock.now()
    with transaction.atomic(durable=True):
        message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(pk=message_id).first())
        # Checked again under the lock: another worker may have claimed or
        # sent it since this one decided to try.
        if message is None or not _is_due(message, now):
            return None
        message.status = MessageStatus.SENDING
        message.next_attempt_at = now + lease()
        message.save(update_fields=["status", "next_attempt_at"])
    return message


@dataclass
class Connections:
    """Provider connections reused across the messages of one sweep."""

    email: object = None
    sms: object = None

    def close(self) -> None:
        if self.email is not None:
            self.email.close()
            self.email = None


def message_send(*, message_id: int, connections: Connections | None = None) -> bool:
    """Claim, send and record one message. True when this call sent it.

    False when the message is not due, already sent, held by another worker,
    or sending failed (then it is rescheduled or given up; see the module
    docstring). Call outside a transaction.
    """
    message = message_claim(message_id=message_id)
    if message is None:
        return False
    return _deliver(message, connections)


def messages_claim(*, message_ids: list[int]) -> list[OutboxMessage]:
    """`message_claim` for many at once (the sweep's chunk): one transaction,
    one locking read and one update, whatever their number. Returns the
    messages claimed, in sending order (priority, due time)."""
    now = clock.now()
    until = now + lease()
    with transaction.atomic(durable=True):
        rows = (OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk__in=message_ids).order_by("priority", "next_attempt_at", "id"))
        claimed = [message for message in rows if _is_due(message, now)]
        stopped = _opted_out_among(claimed)
        if stopped:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in stopped]).update(
                status=MessageStatus.DROPPED, next_attempt_at=None)
            claimed = [m for m in claimed if m not in stopped]
        if claimed:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                status=MessageStatus.SENDING, next_attempt_at=until)
    for message in claimed:
        message.stop_checked = True
        message.status, message.next_attempt_at = MessageStatus.SENDING, until
    return claimed


def _deliver(message: OutboxMessage, connections: Connections | None) -> bool:
    """Send a message this worker has claimed, and record the outcome."""
    if not getattr(message, "stop_checked", False) and _stopped(message):
        return False
    if settings.TEST_INSTALL and _delivers_nothing(message.channel):
        _not_delivered(message)
        return False
    own_connections = connections is None
    connections = connections or Connections()
    try:
        subject, body = message_text(message)
        if message.channel == MessageChannel.EMAIL:
            receipt = Receipt(_send_email(message, subject, body, connections))
        elif message.channel == MessageChannel.SMS:
            receipt = Receipt(_send_sms(message, body, connections))
        elif message.channel == MessageChannel.WHATSAPP:
            receipt = Receipt(_send_whatsapp(message, body))
        else:
            send = _senders.get(message.channel)
            if send is None:
                raise DeliveryFailed(f"no sender for channel {message.channel}")
            receipt = send(message)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
        if message.channel == MessageChannel.EMAIL:
            connections.close()  # a broken SMTP session must not fail the rest of a sweep
        _failed(message, exc)
        return False
    finally:
        if own_connections:
            connections.close()
    _sent(message, subject=subject, body=body, receipt=receipt)
    return True


def _opted_out_among(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """The messages of a chunk whose recipient opted out of their channel (one
    query for the chunk); the stop confirmation is never among them."""
    candidates = [m for m in messages if m.template != STOP_CONFIRMATION]
    if not candidates:
        return []
    stopped = set(OptOut.objects.filter(address__in={m.recipient for m in candidates})
                  .values_list("channel", "address"))
    return [m for m in candidates if (m.channel, m.recipient) in stopped]


def _stopped(message: OutboxMessage) -> bool:
    """Drop `message` when its recipient opted out of its channel since it was
    queued (bulk writers do not look): only the stop confirmation still goes."""
    if message.template == STOP_CONFIRMATION or not OptOut.objects.filter(
            channel=message.channel, address=message.recipient).exists():
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.DROPPED, next_attempt_at=None)
    logger.info("message %s dropped: recipient opted out (%s, %s)", message.pk, message.channel,
                message.template)
    return True


def _send_email(message: OutboxMessage, subject: str, body: str,
                connections: Connections) -> str:
    if connections.email is None:
        connections.email = get_connection(
            timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SEND_TIMEOUT)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "imbizo.local"
    message_id_header = f"<outbox-{message.pk}.{int(message.created_at.timestamp())}@{domain}>"
    headers = message_headers(message)
    EmailMessage(
        subject=subject, body=body, to=[message.recipient],
        from_email=settings.DEFAULT_FROM_EMAIL, connection=connections.email,
        headers={**headers, "Message-ID": message_id_header,
                 "X-Imbizo-Message": str(message.pk),
                 # A case's citizen can answer: its reply token (notify.replies).
                 **case_email_headers(message, message_id=message_id_header, domain=domain,
                                      references=headers.get("References", ""))},
    ).send()
    return ""


def _send_sms(message: OutboxMessage, body: str, connections: Connections) -> str:
    if connections.sms is None:
        connections.sms = sms_backend()
    # Curly quotes or a long dash would send the whole text as UCS-2 (notify.segments).
    return connections.sms.send(message.recipient, sms_normalise(body),
                                message_id=message.pk) or ""


def _send_whatsapp(message: OutboxMessage, body: str) -> str:
    try:
        return whatsapp.whatsapp_send(message, body)
    except whatsapp.WhatsAppError as exc:
        raise DeliveryFailed(str(exc), response_status=exc.status,
                             permanent=exc.permanent) from exc


def _sent(message: OutboxMessage, *, subject: str, body: str, receipt: Receipt) -> None:
    now = clock.now()
    provider_id = receipt.provider_id or ""
    # The rendered text is kept: what the citizen received, for staff to read.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, sent_at=now, attempts=message.attempts + 1,
        next_attempt_at=None, subject=subject, body=body, provider_id=provider_id[:120],
        last_error="", attempted_at=now, response_status=receipt.response_status,
        response_ms=receipt.response_ms)
    message.status, message.sent_at, message.attempts = MessageStatus.SENT, now, message.attempts + 1
    message.subject, message.body, message.provider_id = subject, body, provider_id[:120]
    logger.info("message %s sent (%s, %s)", message.pk, message.channel, message.template)
    # The message has left: a receiver's failure must neither undo that nor stop a sweep.
    for receiver, error in message_sent.send_robust(sender=OutboxMessage, message=message):
        if isinstance(error, Exception):
            logger.error("message %s: message_sent receiver %s failed: %s\n%s", message.pk,
                         getattr(receiver, "__qualname__", receiver), type(error).__name__,
                         _where(error))


def _delivers_nothing(channel: str) -> bool:
    if channel == MessageChannel.EMAIL:
        return delivers_nothing(email_backend=settings.EMAIL_BACKEND)
    if channel == MessageChannel.WHATSAPP:
        return whatsapp.delivers_nothing()
    return channel == MessageChannel.SMS and delivers_nothing(sms_backend=settings.SMS_BACKEND)


def _not_delivered(message: OutboxMessage) -> None:
    # Rendered all the same, so staff can read what a real install would have sent.
    subject, body = message_text(message)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.WITHHELD, attempts=message.attempts + 1, next_attempt_at=None,
        subject=subject, body=body, last_error=NOT_DELIVERED_NOTE, attempted_at=clock.now())
    logger.info("message %s not delivered: test install (%s, %s)", message.pk, message.channel,
                message.template)


NOT_DELIVERED_NOTE = "not delivered: test install"


def _failed(message: OutboxMessage, exc: Exception) -> None:
    attempts = message.attempts + 1
    failed = exc if isinstance(exc, DeliveryFailed) else None
    give_up = attempts >= max_attempts() or (failed is not None and failed.permanent)
    now = clock.now()
    # The row keeps the backend's error text for staff (SMTP errors can name
    # the address); the log keeps only its kind and where it was raised.
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:1000],
        status=MessageStatus.FAILED if give_up else MessageStatus.PENDING,
        next_attempt_at=None if give_up else now + retry_delay(attempts),
        attempted_at=now, response_status=failed.response_status if failed else None,
        response_ms=failed.response_ms if failed else None,
    )
    expected = isinstance(exc, OSError | SmsError | DeliveryFailed)  # smtplib: OSErrors
    logger.log(
        logging.WARNING if expected else logging.ERROR,
        "message %s (%s, %s) failed, attempt %d%s: %s%s", message.pk, message.channel,
        message.template, attempts, ", giving up" if give_up else "", type(exc).__name__,
        "" if expected else "\n" + _where(exc),
    )


def _where(exc: BaseException) -> str:
    """The stack of `exc` without its message (which may hold personal data)."""
    return "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__))).rstrip()


def outbox_send_due(*, limit: int = SWEEP_LIMIT, chunk: int = SWEEP_CHUNK,
                    budget_seconds: float | None = None) -> int:
    """Send messages that are due, interactive before bulk, oldest first within
    each; return how many were sent.

    The due rows are read and claimed `chunk` at a time, and read again before
    each chunk: an acknowledgement committed while a bulk alert is going out
    is sent after at most one chunk of it, not after the whole alert (ADR
    0103). A claimed message whose lease is half spent before its turn comes
    (slow providers) is left for its lease to run out, so that it is never
    sent by two workers. The sweep stops after `limit` messages or
    `budget_seconds` (OUTBOX_SWEEP_BUDGET_SECONDS, 20 s), so the worker gets
    back to its other tasks; the next sweep goes on. Several sweeps may run at
    once: each message is claimed before it is sent.
    """
    budget = budget_seconds if budget_seconds is not None else float(
        getattr(settings, "OUTBOX_SWEEP_BUDGET_SECONDS", SWEEP_BUDGET_SECONDS))
    started = time.monotonic()
    connections = Connections()
    sent = tried = 0
    try:
        while tried < limit and time.monotonic() - started < budget:
            claimed = messages_claim(message_ids=_due_ids(min(chunk, limit - tried)))
            if not claimed:
                break
            checked = time.monotonic()
            for message in claimed:
                if (message.priority > MessagePriority.INTERACTIVE
                        and time.monotonic() - checked > INTERACTIVE_CHECK_SECONDS):
                    # A citizen's message committed since the chunk was read
                    # goes before the rest of the bulk chunk.
                    sent += _interactive_send_due(connections, chunk)
                    checked = time.monotonic()
                tried += 1
                if clock.now() > message.next_attempt_at - lease() / 2:
                    continue  # its lease may run out mid-send: leave it to the next sweep
                sent += _deliver(message, connections)
    finally:
        connections.close()
    if tried:
        logger.info("outbox sweep: %d of %d due messages sent", sent, tried)
    return sent


def _interactive_send_due(connections: Connections, count: int) -> int:
    claimed = messages_claim(message_ids=_due_ids(count, priority=MessagePriority.INTERACTIVE))
    return sum(_deliver(message, connections) for message in claimed)


def _due_ids(count: int, *, priority: int | None = None) -> list[int]:
    # Served by the partial index outbox_due_priority, in its order.
    due = OutboxMessage.objects.filter(
        status__in=[MessageStatus.PENDING, MessageStatus.SENDING],
        next_attempt_at__lte=clock.now(),
    )
    if priority is not None:
        due = due.filter(priority=priority)
    return list(due.order_by("priority", "next_attempt_at", "id")
                .values_list("pk", flat=True)[:count])
