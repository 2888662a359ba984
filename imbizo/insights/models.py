"""Rollups: the figures dashboards read, kept current from the raw tables.

Every change that moves a figure writes a *delta* row (CaseDelta, RatingDelta)
in the same transaction as the change itself; the worker folds committed
deltas into the rollup tables and deletes them in one statement
(insights.rollups; docs/adr/0006-rollups.md). Key columns hold 0 (or "")
for "none", never NULL, so that upserts match; they are plain integers, not
foreign keys: a rollup must never stop a ward or an office being changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Time to first resolution, in hours: bucket i holds [EDGES[i-1], EDGES[i]).
RESOLVE_HOURS_EDGES = (4, 8, 24, 48, 72, 120, 168, 240, 336, 504, 720)
RESOLVE_BUCKETS = tuple(f"rt{i}" for i in range(len(RESOLVE_HOURS_EDGES) + 1))

# Flows: counted on the day they happen.
CASE_FLOWS = ("opened", "ack_met", "ack_missed", "ack_auto", "resolved", "resolved_on_time",
              "resolved_late",
              "breached", "escalated", "reopened", "first_resolved", *RESOLVE_BUCKETS)
# Stock: how many cases are in a state now.
CASE_STOCK = ("open", "open_overdue", "open_escalated")
RATING_MEASURES = ("n", "total", "total_sq", "pn", "px", "py", "pxx", "pyy", "pxy")


def _describe(row: models.Model) -> str:
    measures = (*CASE_FLOWS, *CASE_STOCK, *RATING_MEASURES)
    return " ".join(f"{f.attname}={getattr(row, f.attname)}" for f in row._meta.concrete_fields
                    if not f.primary_key and f.attname not in measures)


# Every measure also has a database default: the rebuild's INSERT ... SELECT
# names only the columns it fills.
class _CaseKeys(models.Model):
    ward_id = models.BigIntegerField(default=0, db_default=0)
    service_id = models.BigIntegerField(default=0, db_default=0)
    office_id = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return _describe(self)


class CaseFlows(models.Model):
    """Counts of what happened (rtN: first resolutions by time taken)."""

    opened = models.IntegerField(default=0, db_default=0)
    ack_met = models.IntegerField(default=0, db_default=0)
    ack_missed = models.IntegerField(default=0, db_default=0)
    # Acknowledged by the system on receipt (Office.auto_acknowledge): apart
    # from ack_met and ack_missed, which count people's acknowledgements.
    ack_auto = models.IntegerField(default=0, db_default=0)
    resolved = models.IntegerField(default=0, db_default=0)
    resolved_on_time = models.IntegerField(default=0, db_default=0)
    resolved_late = models.IntegerField(default=0, db_default=0)
    breached = models.IntegerField(default=0, db_default=0)
    escalated = models.IntegerField(default=0, db_default=0)
    reopened = models.IntegerField(default=0, db_default=0)
    first_resolved = models.IntegerField(default=0, db_default=0)
    rt0 = models.IntegerField(default=0, db_default=0)
    rt1 = models.IntegerField(default=0, db_default=0)
    rt2 = models.IntegerField(default=0, db_default=0)
    rt3 = models.IntegerField(default=0, db_default=0)
    rt4 = models.IntegerField(default=0, db_default=0)
    rt5 = models.IntegerField(default=0, db_default=0)
    rt6 = models.IntegerField(default=0, db_default=0)
    rt7 = models.IntegerField(default=0, db_default=0)
    rt8 = models.IntegerField(default=0, db_default=0)
    rt9 = models.IntegerField(default=0, db_default=0)
    rt10 = models.IntegerField(default=0, db_default=0)
    rt11 = models.IntegerField(default=0, db_default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return _describe(self)

class CaseStock(models.Model):
    """Counts of cases in a state now."""

    open = models.IntegerField(default=0, db_default=0)
    open_overdue = models.IntegerField(default=0, db_default=0)
    open_escalated = models.IntegerField(default=0, db_default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return _describe(self)

class RatingSums(models.Model):
    """Sums of 1-5 answers (see DailyRatings)."""

    n = models.BigIntegerField(default=0, db_default=0)
    total = models.BigIntegerField(default=0, db_default=0)
    total_sq = models.BigIntegerField(default=0, db_default=0)
    pn = models.BigIntegerField(default=0, db_default=0)
    px = models.BigIntegerField(default=0, db_default=0)
    py = models.BigIntegerField(default=0, db_default=0)
    pxx = models.BigIntegerField(default=0, db_default=0)
    pyy = models.BigIntegerField(default=0, db_default=0)
    pxy = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return _describe(self)

class CaseDelta(_CaseKeys, CaseFlows, CaseStock):
    """A signed change to the case figures, waiting to be folded."""

    case = models.ForeignKey("cases.Case", on_delete=models.DO_NOTHING, null=True, blank=True,
                             db_constraint=False, db_index=False, related_name="+")
    day = models.DateField()
    month = models.DateField()
    hour = models.DateTimeField(null=True, blank=True)  # None when older than HOURLY_DAYS
    channel = models.CharField(max_length=12, default="", db_default="")

    def __str__(self) -> str:
        return _describe(self)


class OpeningDelta(_CaseKeys):
    """A new case, waiting to be folded: the narrow delta written on the intake hot
    path (opened and open are 1; ack_auto is 1 when the office acknowledges on receipt)."""

    case = models.ForeignKey("cases.Case", on_delete=models.DO_NOTHING, null=True, blank=True,
                             db_constraint=False, db_index=False, related_name="+")
    day = models.DateField()
    month = models.DateField()
    hour = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=12, default="", db_default="")
    opened = models.SmallIntegerField(default=1, db_default=1)
    open = models.SmallIntegerField(default=1, db_default=1)
    ack_auto = models.SmallIntegerField(default=0, db_default=0)

    def __str__(self) -> str:
        return _describe(self)


class RatingDelta(_CaseKeys, RatingSums):
    """A change to the rating figures of one driver, waiting to be folded."""

    day = models.DateField()
    month = models.DateField()
    driver = models.CharField(max_length=20)

    def __str__(self) -> str:
        return _describe(self)


class DailyCases(_CaseKeys, CaseFlows):
    """Case flows per day x ward x service x office x channel."""

    day = models.DateField()
    channel = models.CharField(max_length=12, default="", db_default="")

    class Meta:
        verbose_name = _("daily case figures")
        verbose_name_plural = _("daily case figures")
        constraints = [models.UniqueConstraint(
            fields=["day", "ward_id", "service_id", "office_id", "channel"], name="dailycases_key")]
        indexes = [models.Index(fields=["ward_id", "day"], name="dailycases_ward"),
                   models.Index(fields=["office_id", "day"], name="dailycases_office"),
                   models.Index(fields=["service_id", "day"], name="dailycases_service")]

    def __str__(self) -> str:
        return _describe(self)


class MonthlyCases(_CaseKeys, CaseFlows):
    """Case flows per month x ward x service x office (`month` is its first day)."""

    month = models.DateField()

    class Meta:
        verbose_name = _("monthly case figures")
        verbose_name_plural = _("monthly case figures")
        constraints = [models.UniqueConstraint(
            fields=["month", "ward_id", "service_id", "office_id"], name="monthlycases_key")]
        indexes = [models.Index(fields=["ward_id", "month"], name="monthlycases_ward"),
                   models.Index(fields=["office_id", "month"], name="monthlycases_office"),
                   models.Index(fields=["service_id", "month"], name="monthlycases_service")]

    def __str__(self) -> str:
        return _describe(self)


class WardMonthlyOpenings(models.Model):
    """Cases opened per month x ward x service: the needs map's table. The same rows
    as MonthlyCases without the office and the other flows, so a period's read
    touches a few narrow rows per ward and service."""

    month = models.DateField()
    ward_id = models.BigIntegerField(default=0, db_default=0)
    service_id = models.BigIntegerField(default=0, db_default=0)
    opened = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "ward_id", "service_id"],
                                               name="wardmonthlyopenings_key")]

    def __str__(self) -> str:
        return _describe(self)


class ServiceMonthlyCases(CaseFlows):
    """Case flows per month x service x office: the scorecard's table (a few rows per
    service and month, whatever the number of wards)."""

    month = models.DateField()
    service_id = models.BigIntegerField(default=0, db_default=0)
    office_id = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "service_id", "office_id"],
                                               name="servicemonthlycases_key")]

    def __str__(self) -> str:
        return _describe(self)


class WardDay(CaseFlows):
    """Case flows per day x ward: the hotspot rule reads five weeks of these."""

    day = models.DateField()
    ward_id = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "ward_id"], name="wardday_key")]

    def __str__(self) -> str:
        return _describe(self)


class HourlyCases(models.Model):
    """Flows per hour x ward for the war room's last 24 hours; kept HOURLY_DAYS days."""

    hour = models.DateTimeField()
    ward_id = models.BigIntegerField(default=0, db_default=0)
    opened = models.IntegerField(default=0, db_default=0)
    resolved = models.IntegerField(default=0, db_default=0)
    breached = models.IntegerField(default=0, db_default=0)
    escalated = models.IntegerField(default=0, db_default=0)
    ack_missed = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hour", "ward_id"], name="hourlycases_key")]

    def __str__(self) -> str:
        return _describe(self)


class OpenLoad(_CaseKeys, CaseStock):
    """Cases open now per ward x service x office, with how many are overdue or escalated."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ward_id", "service_id", "office_id"],
                                               name="openload_key")]

    def __str__(self) -> str:
        return _describe(self)


class DailyRatings(_CaseKeys, RatingSums):
    """Ratings (1-5) per day x ward x service x office x driver.

    n, total, total_sq: the driver's answers. pn, px, py, pxx, pyy, pxy: the
    answers given together with an overall-satisfaction answer (x the driver,
    y overall), enough to work out their correlation for any sum of rows.
    """

    day = models.DateField()
    driver = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "ward_id", "service_id", "office_id", "driver"], name="dailyratings_key")]
        indexes = [models.Index(fields=["ward_id", "day"], name="dailyratings_ward"),
                   models.Index(fields=["office_id", "day"], name="dailyratings_office")]

    def __str__(self) -> str:
        return _describe(self)


class ServiceMonthlyRatings(RatingSums):
    """Ratings per month x service x office x driver (the drivers page)."""

    month = models.DateField()
    service_id = models.BigIntegerField(default=0, db_default=0)
    office_id = models.BigIntegerField(default=0, db_default=0)
    driver = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "service_id", "office_id", "driver"],
                                               name="servicemonthlyratings_key")]

    def __str__(self) -> str:
        return _describe(self)


class MonthlyRatings(_CaseKeys, RatingSums):
    """Ratings per month x ward x service x office x driver (see DailyRatings)."""

    month = models.DateField()
    driver = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "ward_id", "service_id", "office_id", "driver"],
            name="monthlyratings_key")]
        indexes = [models.Index(fields=["ward_id", "month"], name="monthlyratings_ward"),
                   models.Index(fields=["office_id", "month"], name="monthlyratings_office")]

    def __str__(self) -> str:
        return _describe(self)
