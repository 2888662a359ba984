"""Reads of the rollups: figures for the pages and for other apps.

Every page reads rollup tables only. A period [since, until) is read from
the monthly tables for the whole months inside it and from the daily tables
for the days at its edges, so any period costs a few thousand rows at most.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Sum, Value, When

from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock

from . import models as m
from .metrics import RULES, Metric, value_of

# Monthly tables, smallest first: a read uses the first that has every column it
# groups or filters by and every measure it sums.
FAMILIES = {"cases": ((m.ServiceMonthlyCases, m.WardMonthlyOpenings, m.MonthlyCases),
                      m.DailyCases),
            "ratings": ((m.ServiceMonthlyRatings, m.MonthlyRatings), m.DailyRatings)}


def _monthly_for(family: str, columns: set[str]):
    candidates, _daily = FAMILIES[family]
    for model in candidates:
        if columns <= {f.attname for f in model._meta.concrete_fields}:
            return model
    return candidates[-1]


def today() -> datetime.date:
    return clock.now().astimezone(catalogue_snapshot().calendar.tz).date()


def _as_date(value) -> datetime.date | None:
    if value is None or type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.astimezone(catalogue_snapshot().calendar.tz).date()
    raise TypeError(f"expected a date or datetime, got {value!r}")


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class PeriodSplit:
    """Whole months [months_from, months_until) plus edge days."""

    months_from: datetime.date | None
    months_until: datetime.date | None
    days: tuple[tuple[datetime.date | None, datetime.date | None], ...]
    use_months: bool


def period_split(since: datetime.date | None, until: datetime.date | None) -> PeriodSplit:
    """Split [since, until) (None: unbounded) into whole months and edge days."""
    first_full = None if since is None else (since if since.day == 1 else _month_after(since))
    last_full = None if until is None else until.replace(day=1)
    if first_full is not None and last_full is not None and first_full >= last_full:
        return PeriodSplit(None, None, ((since, until),), use_months=False)
    days = []
    if since is not None and since < first_full:
        days.append((since, first_full))
    if until is not None and last_full < until:
        days.append((last_full, until))
    return PeriodSplit(first_full, last_full, tuple(days), use_months=True)


def _filters(*, office=None, service=None, ward=None, services=None, driver=None) -> Q:
    q = Q()
    for name, value in (("office_id", office), ("service_id", service), ("ward_id", ward)):
        if value is not None:
            q &= Q(**{name: getattr(value, "pk", value)})
    if services is not None:
        q &= Q(service_id__in=[getattr(s, "pk", s) for s in services])
    if driver is not None:
        q &= Q(driver__in=[driver] if isinstance(driver, str) else list(driver))
    return q


# A key reads can group by that the rollups do not store: the service's group in
# the catalogue, worked out in SQL from service_id, so that a page summing by
# group gets a row per group rather than one per service (the needs map: a
# fifth of the rows). A service moved to another group counts in its new group
# for every period, as the pages that map services to groups in Python do.
SERVICE_GROUP = "service_group"


def _service_group(groups: dict[int, str]):
    ids: dict[str, list[int]] = defaultdict(list)
    for pk, group in groups.items():
        ids[group].append(pk)
    return Case(*(When(service_id__in=pks, then=Value(group)) for group, pks in ids.items()),
                default=Value(""), output_field=CharField())


def period_sums(family: str, measures: Sequence[str], *, since=None, until=None,
                group_by: Sequence[str] = (), by_month: bool = False,
                service_groups: dict[int, str] | None = None, **filters) -> dict:
    """Summed `measures` over [since, until), keyed by the `group_by` values (a
    tuple; () when not grouped). With `by_month`, the first key is the month.
    `group_by` may name SERVICE_GROUP, with `service_groups` mapping service ids
    to their groups ("" for a service not in it)."""
    _candidates, daily = FAMILIES[family]
    used = {f"{k}_id" for k in ("office", "service", "ward") if filters.get(k) is not None}
    used |= {"service_id"} if filters.get("services") is not None else set()
    used |= {"driver"} if filters.get("driver") is not None else set()
    stored = {"service_id" if key == SERVICE_GROUP else key for key in group_by}
    monthly = _monthly_for(family, used | stored | set(measures))
    derived = {}
    if SERVICE_GROUP in group_by:
        if service_groups is None:
            raise TypeError("grouping by SERVICE_GROUP needs service_groups")
        derived[SERVICE_GROUP] = _service_group(service_groups)
    until = _as_date(until)
    if until is not None and until > today():
        until = None  # nothing is dated after today: read the current month whole
    split = period_split(_as_date(since), until)
    where = _filters(**filters)
    width = len(measures)
    totals: dict[tuple, list] = {}

    def add(rows):
        # values_list and plain lists: pages sum thousands of rows per request.
        for row in rows:
            key, values = row[:-width], row[-width:]
            if by_month:
                key = (key[0].replace(day=1), *key[1:])
            target = totals.get(key)
            if target is None:
                totals[key] = [v or 0 for v in values]
            else:
                for i, value in enumerate(values):
                    target[i] += value or 0

    sums = {f"sum_{name}": Sum(name) for name in measures}
    names = [f"sum_{name}" for name in measures]
    if split.use_months:
        q = where
        if split.months_from is not None:
            q &= Q(month__gte=split.months_from)
        if split.months_until is not None:
            q &= Q(month__lt=split.months_until)
        fields = ("month", *group_by) if by_month else tuple(group_by)
        add(_summed(monthly.objects.filter(q).annotate(**derived), fields, sums, names))
    if split.days:
        q = Q()
        for low, high in split.days:
            part = Q()
            if low is not None:
                part &= Q(day__gte=low)
            if high is not None:
                part &= Q(day__lt=high)
            q |= part
        fields = ("day", *group_by) if by_month else tuple(group_by)
        add(_summed(daily.objects.filter(where & q).annotate(**derived), fields, sums, names))
    return {key: dict(zip(measures, values, strict=True)) for key, values in totals.items()}


def _summed(queryset, fields: Sequence[str], sums: dict, names: Sequence[str]):
    """Rows of `fields` then the `sums` (named `names`), one per distinct `fields`."""
    if not fields:
        # values() with no names would group by every column, the id among them.
        row = queryset.aggregate(**sums)
        return [tuple(row[name] for name in names)] if row[names[0]] is not None else []
    return queryset.values(*fields).annotate(**sums).order_by().values_list(*fields, *names)


def stock_sums(measures: Sequence[str] = m.CASE_STOCK, *, group_by: Sequence[str] = (),
               **filters) -> dict:
    """Cases open now (and overdue, escalated), keyed by `group_by` values."""
    rows = _summed(m.OpenLoad.objects.filter(_filters(**filters)), group_by,
                   {name: Sum(name) for name in measures}, measures)
    width = len(group_by)
    return {tuple(row[:width]): {n: v or 0 for n, v in zip(measures, row[width:], strict=True)}
            for row in rows}


def figure(*, metric: Metric | str, office=None, service=None, ward=None, since=None,
           until=None) -> float | None:
    """One number: `metric` (insights.metrics.Metric) over [since, until) (dates in the
    institution's time zone or aware datetimes; `until` exclusive; None unbounded),
    optionally for one office, service and/or ward (instances or ids).

    Shares are 0 to 1, ratings 1 to 5, medians in days; None when there is
    nothing to measure (no case resolved, no rating given). OPEN_NOW and
    OVERDUE_NOW ignore the period.
    """
    metric = Metric(metric)
    rule = RULES[metric]
    names = tuple(dict.fromkeys((*rule.numerator, *rule.denominator)))
    keys = {"office": office, "service": service, "ward": ward}
    if rule.family == "stock":
        sums = stock_sums(names, **keys).get((), {})
    else:
        extra = {"driver": rule.driver} if rule.family == "ratings" else {}
        sums = period_sums(rule.family, names, since=since, until=until, **keys, **extra).get(
            (), {})
    return value_of(metric, sums)


def metric_choices() -> Iterable[tuple[str, str]]:
    return [(metric.value, str(RULES[metric].label)) for metric in Metric]
