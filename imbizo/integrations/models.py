from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.notify.models import OutboxMessage


class Scope(models.TextChoices):
    """What an integration's key lets it do."""

    READ = "read", _("Read cases and reference data through the REST API")
    WRITE = "write", _("Create and update cases through the REST API")
    OPEN311 = "open311", _("Submit service requests and updates through Open311")
    PERSONAL = "personal", _(
        "See citizens' personal data (names, contact details, descriptions, exact locations)")


class ApiKey(models.Model):
    """A key one integration (a call-centre system, a citizen app) presents.

    The key is `imb_<prefix>_<secret>`. Only the prefix (to find the row) and a
    SHA-256 digest of the whole key are stored; the key itself is shown once,
    when it is created (ADR 0015).
    """

    name = models.CharField(_("name"), max_length=120, unique=True,
                            help_text=_("Who uses this key, e.g. 'Call centre (Contoso CRM)'."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
        help_text=_("Limit the key to this department's services and cases; empty for all."),
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.active and scope in self.scopes


class WebhookSubscription(models.Model):
    """An integration's request to be told of case events at a URL.

    Deliveries are outbox messages (notify, channel "webhook"), signed with
    `secret` (HMAC-SHA256 over the timestamp and body, see docs/api.md). The
    secret is kept in clear because signing needs it; it is shown once.
    """

    key = models.ForeignKey(ApiKey, verbose_name=_("API key"), on_delete=models.PROTECT,
                            related_name="webhooks",
                            help_text=_("Whose integration this is; its scopes and department "
                                        "decide which cases and fields it is sent."))
    url = models.URLField(_("URL"), max_length=254)
    events = models.JSONField(_("events"), default=list, blank=True,
                              help_text=_("Event names such as case.resolved; empty for all."))
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["key__name", "url"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.key.name} → {self.url}"


class _WebhookDeliveries(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(channel="webhook")


class WebhookDelivery(OutboxMessage):
    """The delivery log: webhook messages in the outbox."""

    objects = _WebhookDeliveries()

    class Meta:
        proxy = True
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
