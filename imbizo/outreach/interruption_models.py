"""Service interruptions: a service cut off in one or more wards, planned or not.

An interruption is its own record, never a merged incident: reports of that
service from those wards while it runs are linked to it (InterruptionCase),
keep their own history, and resolve together when it is restored
(outreach.interruptions).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.catalogue.models import Priority
from imbizo.core.limits import LINE_MAX, MESSAGE_MAX


class InterruptionKind(models.TextChoices):
    PLANNED = "planned", _("Planned (maintenance)")
    UNPLANNED = "unplanned", _("Unplanned (outage)")


class InterruptionStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    IN_PROGRESS = "in_progress", _("In progress")
    RESTORED = "restored", _("Restored")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses in which the service is off, or will be: what the public list calls current.
LIVE_STATUSES = (InterruptionStatus.ANNOUNCED, InterruptionStatus.IN_PROGRESS)


class Interruption(models.Model):
    """A service off (or to be off) in some wards, with what citizens are told.

    `status` changes only through outreach.interruptions, which sends
    outreach.hooks.interruption_changed in the same transaction. Planned
    interruptions are announced `lead time` before they start
    (`announced_at` stays empty until then); `standard` and `priority` say
    which restoration target applies (catalogue promise_of).
    """

    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT,
        related_name="interruptions",
    )
    wards = models.ManyToManyField("geo.Ward", verbose_name=_("wards"),
                                   related_name="interruptions")
    kind = models.CharField(_("kind"), max_length=10, choices=InterruptionKind.choices)
    title = models.CharField(_("title"), max_length=LINE_MAX)
    public_text = models.TextField(
        _("what citizens are told"), max_length=MESSAGE_MAX,
        help_text=_("Plain words: what is off, where, why and until when. Published."),
    )
    # The area drawn on the map (GeoJSON geometry), when staff drew one; the
    # wards it touches are stored in `wards`.
    area = models.JSONField(_("area drawn on the map"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    expected_restoration_at = models.DateTimeField(_("expected restoration"))
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=InterruptionStatus.choices,
                              default=InterruptionStatus.ANNOUNCED)
    standard = models.ForeignKey(
        "catalogue.ServiceStandard", verbose_name=_("restoration standard"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices,
                                default=Priority.URGENT)
    created_by = models.ForeignKey(
        "org.Staff", verbose_name=_("created by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    source = models.CharField(_("recorded through"), max_length=12, default="staff",
                              help_text=_("staff or api"))
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("service interruption")
        verbose_name_plural = _("service interruptions")
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"],
                                    name="interruption_idempotency_key_unique",
                                    condition=models.Q(idempotency_key__isnull=False)),
            models.CheckConstraint(condition=models.Q(expected_restoration_at__gt=models.F(
                "starts_at")), name="interruption_restoration_after_start"),
        ]
        indexes = [
            # Intake: is this service off in this ward now? The public lists by status.
            models.Index(fields=["status", "service"], name="interruption_status_service"),
            models.Index(fields=["starts_at"], name="interruption_starts"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


# What each kind of update says happened, in words (outreach.interruptions.Change).
CHANGE_LABELS = {
    "announced": _("Announced"), "started": _("Started"), "updated": _("Update"),
    "restored": _("Restored"), "cancelled": _("Called off"),
}


class InterruptionUpdate(models.Model):
    """What citizens were told as an interruption went on (append-only)."""

    interruption = models.ForeignKey(Interruption, on_delete=models.CASCADE,
                                     related_name="updates")
    change = models.CharField(_("change"), max_length=12)
    text = models.TextField(_("text"), max_length=MESSAGE_MAX)
    at = models.DateTimeField(_("at"))
    author = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("interruption update")
        verbose_name_plural = _("interruption updates")

    def __str__(self) -> str:
        return f"{self.interruption_id} {self.change} {self.at:%Y-%m-%d %H:%M}"

    @property
    def change_label(self) -> str:
        return str(CHANGE_LABELS.get(self.change, self.change))


class InterruptionCase(models.Model):
    """A report linked (not merged) to the interruption that explains it."""

    interruption = models.ForeignKey(Interruption, on_delete=models.CASCADE,
                                     related_name="case_links", db_index=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+",
                             db_index=False)
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [
            # A report is explained by one interruption at most.
            models.UniqueConstraint(fields=["case"], name="interruption_case_once"),
        ]
        indexes = [models.Index(fields=["interruption", "case"], name="interruption_case_by")]

    def __str__(self) -> str:
        return f"{self.interruption_id} <- {self.case_id}"


class InterruptionLeadTime(models.Model):
    """How long before a planned interruption of a service the wards are told."""

    service = models.OneToOneField("catalogue.Service", verbose_name=_("service"),
                                   on_delete=models.CASCADE, related_name="+")
    hours = models.PositiveIntegerField(_("announce this many hours ahead"), default=48)

    class Meta:
        verbose_name = _("announcement lead time")
        verbose_name_plural = _("announcement lead times")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.hours} h"


class InterruptionWardMonth(models.Model):
    """Rollup: hours a ward was without a service in a local month.

    Overlapping interruptions of one service in one ward count once. Kept by
    outreach.interruptions (rewritten for the wards and months an
    interruption touches whenever it changes, and each minute while one runs);
    `interruptions_rollup_rebuild` recomputes it from the raw rows.
    """

    ward = models.ForeignKey("geo.Ward", on_delete=models.CASCADE, related_name="+",
                             db_index=False)
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE,
                                related_name="+", db_index=False)
    month = models.DateField(help_text=_("First day of the local month."))
    hours = models.FloatField(default=0)
    interruptions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "month", "service"],
                                    name="interruption_ward_month_unique"),
        ]
        indexes = [models.Index(fields=["month"], name="interruption_month")]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.month:%Y-%m} {self.service_id}: {self.hours:.1f} h"
