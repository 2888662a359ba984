from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEBHOOK = "webhook", _("Webhook")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")
    # A trial install (TEST_INSTALL) whose backend delivers nothing: never "sent".
    WITHHELD = "withheld", _("Not delivered: test install")
    # Taken back before it was sent: its recipient asked for no more (an
    # unsubscribed alert still waiting behind 100,000 others).
    DROPPED = "dropped", _("Not sent: no longer wanted")


class MessagePriority(models.IntegerChoices):
    """Which messages leave first when many are due: lower first (ADR 0025)."""

    INTERACTIVE = 0, _("Interactive")  # a citizen is waiting: acknowledgements, surveys
    BULK = 5, _("Bulk")  # many recipients at once: ward alerts


class OutboxMessage(models.Model):
    """A message to send, written in the same transaction as the change it reports.

    The worker sends it after commit and retries with back-off, so a message
    exists exactly when the change that caused it was stored. `dedupe_key`
    makes enqueueing the same message twice a no-op. While a worker sends it,
    status is SENDING and `next_attempt_at` is the end of that worker's lease.
    """

    channel = models.CharField(max_length=8, choices=MessageChannel.choices)
    provider_id = models.CharField(max_length=120, blank=True)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    template = models.CharField(max_length=60)
    # For messages written in bulk the body is rendered when sent, from this
    # small context (ids only) through the template's registered builder.
    context = models.JSONField(default=dict, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
        db_index=False,  # partial index below
    )
    dedupe_key = models.CharField(max_length=120, null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING,
    )
    # Lower leaves first (MessagePriority); the sweep takes every due
    # interactive message before the next bulk one (notify.delivery).
    priority = models.PositiveSmallIntegerField(default=MessagePriority.INTERACTIVE,
                                                db_default=MessagePriority.INTERACTIVE)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the receiving end answered at the last attempt, when it speaks HTTP
    # (webhooks): status code and how long it took.
    attempted_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["case"], name="outbox_case"),
            # The sweep's scan, in the order it sends: only unsent rows, so it
            # stays small however many messages were ever sent.
            models.Index(fields=["priority", "next_attempt_at", "id"], name="outbox_due_priority",
                         condition=models.Q(status__in=["pending", "sending"])),
        ]
        constraints = [
            # Most messages have no key; only keyed ones need the unique index.
            models.UniqueConstraint(fields=["dedupe_key"], name="outbox_dedupe_key",
                                    condition=models.Q(dedupe_key__isnull=False)),
        ]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        return f"{self.channel} {self.template} ({self.status})"


class OptOut(models.Model):
    """An address that asked for no more messages on a channel (it texted STOP).

    The outbox sends it nothing more on that channel, whoever queued it
    (alerts, surveys, acknowledgements), except the stop confirmation.
    """

    channel = models.CharField(max_length=8, choices=MessageChannel.choices)
    address = models.CharField(max_length=254)  # personal data: privacy's hooks erase it
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address"],
                                               name="optout_channel_address")]
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")

    def __str__(self) -> str:
        return f"{self.channel} opt-out {self.pk}"
