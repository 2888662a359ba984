from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    HOTLINE = "hotline", _("Hotline")
    WALK_IN = "walk_in", _("Walk-in centre")
    FIELD = "field", _("Field worker")
    SMS = "sms", _("SMS")
    USSD = "ussd", _("USSD menu")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    API = "api", _("Open311 or API")
    OUTREACH = "outreach", _("Outreach meeting")


class Offering(models.TextChoices):
    STANDARD = "standard", _("Standard: the same for every client")
    CUSTOMISED = "customised", _("Customised: shaped to the client's needs")


class Open311Type(models.TextChoices):
    REALTIME = "realtime", _("Realtime")
    BATCH = "batch", _("Batch")
    BLACKBOX = "blackbox", _("Black box")


class Service(models.Model):
    """A service the institution offers, with its Open311 identity."""

    code = models.CharField(_("service code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=120, blank=True, db_index=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Comma-separated search words."),
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("owning department"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="services",
    )
    channels = models.JSONField(
        _("channels"), default=list, blank=True,
        help_text=_("Channels through which the service can be requested."),
    )
    offering = models.CharField(
        _("offering"), max_length=20, choices=Offering.choices, default=Offering.STANDARD,
    )
    open311_type = models.CharField(
        _("Open311 type"), max_length=20, choices=Open311Type.choices,
        default=Open311Type.REALTIME,
    )
    metadata = models.BooleanField(
        _("has extra questions"), default=False,
        help_text=_("Open311 'metadata': the service defines attributes to ask for."),
    )
    needs_place = models.BooleanField(
        _("needs a place"), default=False,
        help_text=_("A request or complaint about it is at a spot (a pothole, a leak): staff "
                    "must give its ward, or say that the place is unknown."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class AttributeDatatype(models.TextChoices):
    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice from a list")
    MULTI = "multivaluelist", _("Several choices from a list")


class ServiceAttribute(models.Model):
    """An extra question a service asks (Open311 service definition attribute)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(_("code"), max_length=100)
    variable = models.BooleanField(
        _("answered by the citizen"), default=True,
        help_text=_("Unticked: shown as information only."),
    )
    datatype = models.CharField(_("type"), max_length=20, choices=AttributeDatatype.choices)
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("type description"), max_length=255, blank=True)
    order = models.IntegerField(_("order"), default=0)
    description = models.TextField(_("question"))
    values = models.JSONField(
        _("allowed values"), default=list, blank=True,
        help_text=_('For list types: [{"key": "...", "name": "..."}].'),
    )

    class Meta:
        ordering = ["service", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="attribute_code_per_service"),
        ]
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")

    def __str__(self) -> str:
        return self.code


class Priority(models.TextChoices):
    """How pressing a case is. "urgent" is the emergency level everywhere."""

    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TargetUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_HOURS = "calendar_hours", _("hours (round the clock)")
    CALENDAR_DAYS = "calendar_days", _("days (round the clock)")


class ServiceStandard(models.Model):
    """One version of a service's published promise.

    Rows are never edited once saved: a change is a new version
    (catalogue.services.standard_revise), so cases opened under an older
    version keep the promise they were given.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="standards")
    version = models.PositiveIntegerField(_("version"), editable=False)
    pledge = models.TextField(_("pledge"), help_text=_("What we promise, in one or two sentences."))
    description = models.TextField(_("what the service is"), blank=True)
    ack_amount = models.PositiveIntegerField(_("acknowledge within"), default=1)
    ack_unit = models.CharField(
        _("unit"), max_length=20, choices=TargetUnit.choices, default=TargetUnit.WORKING_DAYS,
    )
    update_amount = models.PositiveIntegerField(_("update the citizen every"), default=5)
    update_unit = models.CharField(
        _("unit"), max_length=20, choices=TargetUnit.choices, default=TargetUnit.WORKING_DAYS,
    )
    resolve_amount = models.PositiveIntegerField(_("resolve within"), default=10)
    resolve_unit = models.CharField(
        _("unit"), max_length=20, choices=TargetUnit.choices, default=TargetUnit.WORKING_DAYS,
    )
    warn_before_hours = models.PositiveIntegerField(
        _("warn this many working hours before a deadline"), default=4,
    )
    compliance_target = models.DecimalField(
        _("compliance target (%)"), max_digits=5, decimal_places=2, default=90,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of cases that must meet the resolution target, e.g. 90."),
    )
    redress = models.TextField(
        _("redress route"),
        help_text=_("What the citizen can do, and what we will do, when the pledge is not kept."),
    )
    effective_from = models.DateField(_("effective from"))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "org.Staff", verbose_name=_("created by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )

    class Meta:
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="standard_version"),
        ]
        indexes = [models.Index(fields=["service", "published", "effective_from"])]
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")

    def __str__(self) -> str:
        return f"{self.service} v{self.version}"


class PriorityTarget(models.Model):
    """A standard's own targets for cases of one priority, in place of the
    standard's (a burst pipe at "urgent": acknowledge within 1 hour and resolve
    within 12 hours, round the clock). Part of the standard's version: never
    edited once the standard is published (catalogue.admin)."""

    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE,
                                 related_name="priority_targets")
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices)
    ack_amount = models.PositiveIntegerField(_("acknowledge within"))
    ack_unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices,
                                default=TargetUnit.CALENDAR_HOURS)
    resolve_amount = models.PositiveIntegerField(_("resolve within"))
    resolve_unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices,
                                    default=TargetUnit.CALENDAR_HOURS)

    class Meta:
        ordering = ["standard", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "priority"],
                                    name="priority_target_per_standard"),
        ]
        verbose_name = _("target for a priority")
        verbose_name_plural = _("targets by priority")

    def __str__(self) -> str:
        return f"{self.standard} {self.priority}"


class WorkingHours(models.Model):
    """One working period on a weekday (0 = Monday). Several rows make split shifts."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Closure(models.Model):
    """A day the institution is closed besides public holidays."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"
