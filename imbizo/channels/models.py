"""Gateways that bring citizens' messages in, the messages, and dialogue state.

A gateway is data (docs/channels.md): its kind, the adapter that reads its
callbacks, the hash of the secret in its callback address and the adapter's
settings. An inbound message holds the sender's address (a phone number,
WhatsApp id or email address): personal data under privacy's rules, never
shown on a public page and never logged.
"""

import hashlib
import hmac

from django.db import models
from django.utils.translation import gettext_lazy as _


class GatewayKind(models.TextChoices):
    SMS = "sms", _("SMS")
    USSD = "ussd", _("USSD")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")


def _sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Gateway(models.Model):
    """One provider account that calls us back at /channels/<kind>/<slug>/<secret>/."""

    kind = models.CharField(_("kind"), max_length=10, choices=GatewayKind.choices)
    slug = models.SlugField(_("name in the address"), max_length=40)
    adapter = models.CharField(
        _("adapter"), max_length=40,
        help_text=_('The format the provider speaks, e.g. "africastalking", "generic", '
                    '"whatsapp_cloud", "imap".'))
    secret_hash = models.CharField(max_length=64, editable=False)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "slug"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="gateway_kind_slug")]
        verbose_name = _("channel gateway")
        verbose_name_plural = _("channel gateways")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.slug} ({self.adapter})"

    def secret_set(self, raw: str) -> None:
        """Keep only the hash of the secret in the callback address."""
        self.secret_hash = _sha256(raw)

    def secret_matches(self, raw: str) -> bool:
        return bool(self.secret_hash) and hmac.compare_digest(self.secret_hash, _sha256(raw or ""))


class InboundMessage(models.Model):
    """A message a citizen sent through a gateway, stored once per provider id."""

    class Outcome(models.TextChoices):
        RECEIVED = "", _("Received")
        CASE_MESSAGE = "case_message", _("Added to a case")
        CASE_OPENED = "case_opened", _("Opened a case")
        DIALOGUE = "dialogue", _("Step of a report")
        STATUS = "status", _("Status asked")
        STOP = "stop", _("Stopped messages")
        MENU = "menu", _("Menu sent")
        SURVEY_ANSWER = "survey_answer", _("Survey answer")
        REFUSED = "refused", _("Refused")

    gateway = models.ForeignKey(Gateway, on_delete=models.PROTECT, related_name="messages")
    provider_id = models.CharField(max_length=200)
    sender = models.CharField(max_length=254)  # personal data
    text = models.TextField(blank=True)
    received_at = models.DateTimeField()
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="inbound_messages")
    contact = models.ForeignKey("engagement.Contact", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    outcome = models.CharField(max_length=20, blank=True, choices=Outcome.choices)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["gateway", "provider_id"],
                                               name="inbound_provider_once")]
        indexes = [models.Index(fields=["sender"], name="inbound_sender"),
                   models.Index(fields=["received_at"], name="inbound_received"),
                   models.Index(fields=["case"], name="inbound_case",
                                condition=models.Q(case__isnull=False))]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")

    def __str__(self) -> str:
        return f"{self.gateway.kind} message {self.pk}"


class Conversation(models.Model):
    """Where a dialogue with one address on one channel stands."""

    channel = models.CharField(max_length=12)
    address = models.CharField(max_length=254)  # personal data
    flow = models.CharField(max_length=20, blank=True)
    step = models.CharField(max_length=30, blank=True)
    data = models.JSONField(default=dict, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address"],
                                               name="conversation_address")]
        indexes = [models.Index(fields=["updated_at"], name="conversation_updated")]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.channel} conversation {self.pk}"
