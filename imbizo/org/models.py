import holidays
import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """The public body running this instance. There is exactly one row (pk=1)."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Africa/Johannesburg")
    country = models.CharField(
        _("country"), max_length=2, default="ZA",
        help_text=_("ISO 3166 code, such as ZA or KE. Phone numbers written without a "
                    "country code are read as this country's, and its public holidays "
                    "close the working calendar."),
    )
    holiday_subdivision = models.CharField(
        _("province or state for public holidays"), max_length=32, blank=True,
        help_text=_("Only where holidays differ within the country (the subdivision "
                    "codes of the 'holidays' package, such as NSW in Australia); "
                    "empty for the national holidays alone."),
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("public phone number"), max_length=40, blank=True)
    email = models.EmailField(_("public email address"), blank=True)
    complaints_route = models.TextField(
        _("how to complain"),
        blank=True,
        help_text=_("Shown on every service page: who to contact when a pledge is not kept."),
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institution")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        supported = holidays.list_supported_countries()
        if self.country not in supported or not phonenumbers.country_code_for_region(self.country):
            raise ValidationError({"country": _(
                "'%(code)s' is not a country whose phone numbers and public holidays "
                "are known; use its two-letter ISO code, such as ZA or KE."
            ) % {"code": self.country}})
        if self.holiday_subdivision and self.holiday_subdivision not in supported[self.country]:
            raise ValidationError({"holiday_subdivision": _(
                "%(country)s has no subdivision '%(code)s' for public holidays; it has: "
                "%(known)s."
            ) % {"country": self.country, "code": self.holiday_subdivision,
                 "known": ", ".join(supported[self.country]) or _("none")}})


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    head = models.ForeignKey(
        "Staff", verbose_name=_("head of department"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """A service point: a walk-in centre, depot, clinic or call centre."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=160)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT,
        related_name="offices",
    )
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("region"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="offices",
    )
    address = models.CharField(_("street address"), max_length=255, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=255, blank=True,
        help_text=_("As shown to the public, e.g. 'Mon-Fri 08:00-16:00'."),
    )
    is_public = models.BooleanField(
        _("open to walk-in visitors"), default=True,
    )
    auto_assign = models.BooleanField(
        _("assign new cases automatically"), default=False,
        help_text=_("Give each new case to the officer of this office with the fewest open cases."),
    )
    auto_acknowledge = models.BooleanField(
        _("acknowledge new cases automatically"), default=False,
        help_text=_("Tell the citizen at once that the system received the report and by "
                    "when a person will look at it. Shown on the scorecards apart from "
                    "acknowledgements by a person."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    AGENT = "agent", _("Call-centre or walk-in agent")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class Staff(models.Model):
    """A person who works in the institution, with one role and a scope.

    Officers and supervisors work within their office; managers within their
    department; analysts, auditors and administrators across the institution.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="staff",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="staff",
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)
    active = models.BooleanField(_("active"), default=True)
    manager = models.ForeignKey(
        "self", verbose_name=_("reports to"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="reports",
        help_text=_("The person this staff member reports to; set by administrators."),
    )
    left_at = models.DateTimeField(
        _("left the institution"), null=True, blank=True,
        help_text=_("When the person left; their development records are kept for the retention period."),
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [models.Index(fields=["office", "role"])]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
