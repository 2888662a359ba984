"""The figures a client group's measures are rated on, and the matrix's satisfaction.

Computed straight from the case and survey tables for the group's own cases
and responses: the insights rollups are kept per office, service and ward,
not per client group. Which cases and responses are a group's:

- a case with a CaseClient link counts in the link's group; a case without
  one counts in the default group of its client type (ClientGroup.default_for_type);
- a response with a ResponseClient link counts in that group; without one, in
  the group of the case it is about (by the same rule); a response about no
  case and with no link counts nowhere.

Periods are half-open [since, until) in UTC; quarters are calendar quarters
in the institution's time zone (`Quarter`). Pure functions first, then reads.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Avg, Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, TruncQuarter

from imbizo.cases.models import Case as ServiceCase
from imbizo.engagement.models import Answer, QuestionType, Response

from .group_models import Better, Measure, MeasureSource, Rating
from .models import ClientGroup

# --- quarters and ratings (pure) ------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year,
                                                                            self.quarter + 1)

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year,
                                                                            self.quarter - 1)

    def last(self, n: int) -> list[Quarter]:
        """The `n` quarters ending with this one, oldest first."""
        quarters = [self]
        while len(quarters) < n:
            quarters.append(quarters[-1].previous)
        return quarters[::-1]

    def bounds(self, tz_name: str) -> tuple[datetime, datetime]:
        """[since, until) of the quarter in the time zone `tz_name`, as aware datetimes."""
        zone = ZoneInfo(tz_name)
        return (datetime.combine(self.first_day, time.min, tzinfo=zone),
                datetime.combine(self.next.first_day, time.min, tzinfo=zone))


def rate(value: float | None, *, target: float, better: str, tolerance: int) -> str:
    """Met, close (missed by no more than `tolerance` % of the target) or missed."""
    if value is None:
        return Rating.NO_DATA
    if better == Better.LOWER:
        if value <= target:
            return Rating.MET
        return Rating.CLOSE if value <= target * (1 + tolerance / 100) else Rating.MISSED
    if value >= target:
        return Rating.MET
    return Rating.CLOSE if value >= target * (1 - tolerance / 100) else Rating.MISSED


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


@dataclass(frozen=True)
class Figure:
    """A measure's value over a period (None without data) and what it rests on
    (cases resolved, answers given, cases responded to)."""

    value: float | None
    count: int


# --- the group's cases and responses ---------------------------------------------------------


def defaults_by_type() -> dict[str, int]:
    """client_type -> id of its active default group."""
    return dict(ClientGroup.objects.filter(default_for_type=True, active=True)
                .values_list("client_type", "id"))


def cases_of(group: ClientGroup):
    """The group's cases (linked to it, or unlinked and of its type if it is the default)."""
    own = Q(client_link__group=group)
    if group.default_for_type and group.active:
        own |= Q(client_link__isnull=True, client_type=group.client_type)
    return ServiceCase.objects.filter(own)


def responses_of(group: ClientGroup):
    """The group's survey responses (linked, or through the case they are about)."""
    own = Q(client_link__group=group) | Q(client_link__isnull=True,
                                         case__client_link__group=group)
    if group.default_for_type and group.active:
        own |= Q(client_link__isnull=True, case__isnull=False, case__client_link__isnull=True,
                 case__client_type=group.client_type)
    return Response.objects.filter(own)


# --- figures ---------------------------------------------------------------------------------


def measure_figure(measure: Measure, *, since: datetime, until: datetime) -> Figure:
    """The value of `measure` over [since, until); a hand-entered measure has none here."""
    group = measure.group
    source = measure.source
    if source == MeasureSource.MANUAL:
        return Figure(None, 0)
    if source == MeasureSource.SURVEY:
        row = Answer.objects.filter(
            response__in=responses_of(group).filter(submitted_at__gte=since,
                                                     submitted_at__lt=until),
            question__instrument__code=measure.instrument_code,
            question__code=measure.question_code, number__isnull=False,
        ).aggregate(mean=Avg("number"), n=Count("id"))
        mean = row["mean"]
        return Figure(round(mean, 2) if mean is not None else None, row["n"])
    cases = cases_of(group)
    if measure.service_id:
        cases = cases.filter(service_id=measure.service_id)
    if source == MeasureSource.COMPLIANCE:
        # A case resolved in the period under a promise: on time if resolved by its
        # deadline and never marked late by the sweep.
        row = cases.filter(resolved_at__gte=since, resolved_at__lt=until,
                           resolve_due_at__isnull=False).aggregate(
            n=Count("pk"),
            met=Count("pk", filter=Q(resolve_breached_at__isnull=True,
                                     resolved_at__lte=F("resolve_due_at"))))
        if not row["n"]:
            return Figure(None, 0)
        return Figure(round(100 * row["met"] / row["n"], 1), row["n"])
    if source == MeasureSource.FIRST_RESPONSE:
        pairs = cases.filter(acknowledged_at__gte=since, acknowledged_at__lt=until).values_list(
            "opened_at", "acknowledged_at")
    else:
        pairs = cases.filter(resolved_at__gte=since, resolved_at__lt=until).values_list(
            "opened_at", "resolved_at")
    hours = [max(0.0, (end - start).total_seconds() / 3600) for start, end in pairs]
    return Figure(median(hours), len(hours))


@dataclass(frozen=True)
class Satisfaction:
    mean: float | None
    count: int


def satisfaction_by_service_group(*, since: datetime, until: datetime, group_ids=None,
                                  ) -> dict[tuple[int, int], Satisfaction]:
    """(service id, group id) -> mean of 1-5 answers in responses about that service's
    cases, from that group, submitted in [since, until). One query."""
    defaults = defaults_by_type()
    rows = (Answer.objects
            .filter(response__submitted_at__gte=since, response__submitted_at__lt=until,
                    response__case__isnull=False, number__isnull=False,
                    question__type=QuestionType.SCALE_5)
            .annotate(group_id=_answer_group_expression(defaults),
                      service_id=F("response__case__service_id"))
            .values("service_id", "group_id")
            .annotate(mean=Avg("number"), n=Count("id")))
    if group_ids is not None:
        rows = rows.filter(group_id__in=list(group_ids))
    return {(r["service_id"], r["group_id"]): Satisfaction(
        round(r["mean"], 2) if r["mean"] is not None else None, r["n"])
        for r in rows if r["group_id"] is not None}


def _answer_group_expression(defaults: dict[str, int]):
    by_type = Case(*[When(response__case__client_type=t, then=Value(g))
                     for t, g in defaults.items()],
                   default=Value(None), output_field=IntegerField())
    return Coalesce(F("response__client_link__group_id"),
                    F("response__case__client_link__group_id"), by_type,
                    output_field=IntegerField())



def measure_figures_by_quarter(measure: Measure, quarters: list[Quarter], *, tz_name: str,
                               ) -> dict[Quarter, Figure]:
    """`measure_figure` for each of `quarters` (consecutive, oldest first) in one query."""
    if not quarters or measure.source == MeasureSource.MANUAL:
        return {q: Figure(None, 0) for q in quarters}
    zone = ZoneInfo(tz_name)
    since, until = quarters[0].bounds(tz_name)[0], quarters[-1].bounds(tz_name)[1]
    found: dict[Quarter, Figure] = {}

    def quarter_of(moment: datetime) -> Quarter:
        return Quarter.of(moment.astimezone(zone).date())

    if measure.source == MeasureSource.SURVEY:
        rows = (Answer.objects.filter(
            response__in=responses_of(measure.group).filter(submitted_at__gte=since,
                                                             submitted_at__lt=until),
            question__instrument__code=measure.instrument_code,
            question__code=measure.question_code, number__isnull=False)
            .annotate(q=TruncQuarter("response__submitted_at", tzinfo=zone))
            .values("q").annotate(mean=Avg("number"), n=Count("id")))
        for row in rows:
            found[Quarter.of(_as_date(row["q"]))] = Figure(round(row["mean"], 2), row["n"])
    else:
        cases = cases_of(measure.group)
        if measure.service_id:
            cases = cases.filter(service_id=measure.service_id)
        if measure.source == MeasureSource.COMPLIANCE:
            rows = (cases.filter(resolved_at__gte=since, resolved_at__lt=until,
                                 resolve_due_at__isnull=False)
                    .annotate(q=TruncQuarter("resolved_at", tzinfo=zone)).values("q")
                    .annotate(n=Count("pk"), met=Count("pk", filter=Q(
                        resolve_breached_at__isnull=True,
                        resolved_at__lte=F("resolve_due_at")))))
            for row in rows:
                found[Quarter.of(_as_date(row["q"]))] = Figure(
                    round(100 * row["met"] / row["n"], 1), row["n"])
        else:
            end = "acknowledged_at" if measure.source == MeasureSource.FIRST_RESPONSE else \
                "resolved_at"
            hours: dict[Quarter, list[float]] = {}
            for start, stop in cases.filter(**{f"{end}__gte": since, f"{end}__lt": until}
                                            ).values_list("opened_at", end):
                hours.setdefault(quarter_of(stop), []).append(
                    max(0.0, (stop - start).total_seconds() / 3600))
            found = {q: Figure(median(v), len(v)) for q, v in hours.items()}
    return {q: found.get(q, Figure(None, 0)) for q in quarters}


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value
