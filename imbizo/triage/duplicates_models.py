"""How far and how long back two reports of a service may be the same problem.

One row per service, edited in the admin; a service without a row uses
DEFAULT_WINDOW (triage.duplicates_windows). A pothole is the same pothole
within a few metres; a water outage is the same outage anywhere in the ward.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DuplicateScope(models.TextChoices):
    DISTANCE = "distance", _("Within a distance of the reported point")
    WARD = "ward", _("Anywhere in the same ward")
    OFF = "off", _("Never: each report is its own matter")


class DuplicateWindow(models.Model):
    """Where and when to look for an earlier report of the same problem."""

    service = models.OneToOneField(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.CASCADE,
        related_name="duplicate_window",
    )
    scope = models.CharField(_("look for duplicates"), max_length=10,
                             choices=DuplicateScope.choices, default=DuplicateScope.DISTANCE)
    distance_m = models.PositiveIntegerField(
        _("distance (metres)"), default=100,
        validators=[MinValueValidator(1), MaxValueValidator(20_000)],
        help_text=_("Used when the scope is a distance: reports further apart are different "
                    "problems."),
    )
    window_hours = models.PositiveIntegerField(
        _("time window (hours)"), default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 90)],
        help_text=_("Only open cases opened this many hours before the new report count."),
    )

    class Meta:
        verbose_name = _("duplicate window")
        verbose_name_plural = _("duplicate windows")

    def __str__(self) -> str:
        return str(self.service)
