"""A person's service time log (docs/people-time-and-feedback.md, "Time log").

A week is seven days of hours in four kinds of work. It starts from what
Imbizo already knows (people.timelog.timelog_suggest) and the person corrects
it; both numbers are kept, so the trend shows what the person said and the
page can show what Imbizo had suggested. A week belongs to its person and
their manager only (people.access).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.core.limits import LINE_MAX


class WorkKind(models.TextChoices):
    CLIENTS = "clients", _("Serving clients directly")
    INTERNAL = "internal", _("Serving internal clients")
    ADMIN = "admin", _("Administration")
    OTHER = "other", _("Other work")


# The kinds that count as serving clients (the seed's "service" time).
SERVING = (WorkKind.CLIENTS, WorkKind.INTERNAL)


class TimeLogWeek(models.Model):
    """One person's week (Monday to Sunday) and the goal they set for the next."""

    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="+",
                              db_index=False)  # led by timelog_week_staff
    week_start = models.DateField(_("week of"))
    goal_share = models.PositiveSmallIntegerField(
        _("goal for next week (% of time serving clients)"), null=True, blank=True)
    goal_note = models.CharField(_("how I will get there"), max_length=LINE_MAX, blank=True)
    saved_at = models.DateTimeField(_("saved"))

    class Meta:
        ordering = ["staff", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "week_start"], name="timelog_week_staff"),
            models.CheckConstraint(condition=models.Q(goal_share__lte=100),
                                   name="timelog_goal_share_percent"),
        ]
        verbose_name = _("time log week")

    def __str__(self) -> str:
        return f"{self.staff_id} {self.week_start:%Y-%m-%d}"


class TimeLogEntry(models.Model):
    """Hours of one kind of work on one day of a week (day 0 is Monday)."""

    week = models.ForeignKey(TimeLogWeek, on_delete=models.CASCADE, related_name="entries",
                             db_index=False)  # led by timelog_entry_cell
    day = models.PositiveSmallIntegerField(_("day"))
    kind = models.CharField(_("kind of work"), max_length=10, choices=WorkKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    suggested_hours = models.DecimalField(_("hours Imbizo suggested"), max_digits=4,
                                          decimal_places=2, default=0)

    class Meta:
        ordering = ["week", "day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["week", "day", "kind"], name="timelog_entry_cell"),
            models.CheckConstraint(condition=models.Q(hours__gte=0, hours__lte=24),
                                   name="timelog_entry_hours_day"),
            models.CheckConstraint(condition=models.Q(day__lte=6), name="timelog_entry_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.week_id} {self.day} {self.kind} {self.hours}"
