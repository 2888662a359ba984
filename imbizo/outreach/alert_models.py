"""Ward alert subscriptions: who asked to be told of service interruptions in
which wards, by email or SMS (docs/outreach.md).

A subscription is personal data (its address): found, exported and erased by
the pseudonym `address_key` (core.pseudonyms.citizen_key), dropped by the
retention sweep when never confirmed or ended.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    ENDED = "ended", _("Unsubscribed")


class Subscription(models.Model):
    """One request to be told of interruptions in some wards, by one address.

    The same address may hold several subscriptions (one per sign-up); a
    fan-out sends it one message all the same (its dedupe key is the
    address's pseudonym), and unsubscribing ends them all.
    """

    channel = models.CharField(_("by"), max_length=8, choices=AlertChannel.choices)
    # E.164 for SMS, lower-case for email.
    address = models.CharField(_("address"), max_length=254)
    address_key = models.CharField(max_length=64)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=SubscriptionStatus.choices,
                              default=SubscriptionStatus.PENDING)
    all_services = models.BooleanField(_("every service"), default=True)
    wards = models.ManyToManyField("geo.Ward", through="SubscriptionWard", related_name="+")
    services = models.ManyToManyField("catalogue.Service", through="SubscriptionService",
                                      related_name="+")
    # A point and radius, when the subscriber chose those: kept to show what
    # was asked; the wards it touches are in `wards`.
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    confirm_token = models.CharField(max_length=43, unique=True)
    # SMS only: the code sent by SMS, as its HMAC; how often a wrong one was typed.
    confirm_code_hash = models.CharField(max_length=64, blank=True)
    confirm_failures = models.PositiveSmallIntegerField(default=0)
    unsubscribe_token = models.CharField(max_length=22, unique=True)
    consent_wording = models.ForeignKey("privacy.ConsentWording", on_delete=models.PROTECT,
                                        related_name="+")
    created_at = models.DateTimeField(_("asked at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_by = models.ForeignKey("org.Staff", verbose_name=_("taken by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["channel", "address_key"], name="alert_sub_address"),
            models.Index(fields=["status", "created_at"], name="alert_sub_status"),
        ]
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")

    def __str__(self) -> str:
        return f"{self.channel} subscription {self.pk} ({self.status})"


class SubscriptionWard(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="ward_links", db_index=False)
    ward = models.ForeignKey("geo.Ward", on_delete=models.CASCADE, related_name="+",
                             db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "ward"],
                                               name="alert_sub_ward")]
        # The fan-out's probe: subscribers of these wards.
        indexes = [models.Index(fields=["ward", "subscription"], name="alert_ward_sub")]

    def __str__(self) -> str:
        return f"subscription {self.subscription_id} ward {self.ward_id}"


class SubscriptionService(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="service_links", db_index=False)
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE,
                                related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "service"],
                                               name="alert_sub_service")]
        indexes = [models.Index(fields=["service", "subscription"], name="alert_service_sub")]

    def __str__(self) -> str:
        return f"subscription {self.subscription_id} service {self.service_id}"
