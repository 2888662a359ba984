"""What each page shows, read from the rollups (plus the few oldest overdue
cases, read through their own partial index). One function per page; each
returns plain dataclasses the views render and export."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from imbizo.cases.selectors import INSTITUTION, case_list_overdue
from imbizo.catalogue.models import Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.engagement.models import Driver
from imbizo.geo.models import Ward
from imbizo.org.models import Office

from . import models as m
from . import rules
from .metrics import median_days, ratio
from .selectors import SERVICE_GROUP, period_sums, stock_sums, today

# Periods end today and start on the first of a month, so the pages read only
# the monthly rollups (the current month's rows hold it so far).
PERIODS = {
    "1m": (1, _("This month")),
    "3m": (3, _("Last 3 months")),
    "12m": (12, _("Last 12 months")),
}
DEFAULT_PERIOD = "3m"
# A share from fewer resolved (or acknowledged) cases than this is shown but not judged.
MIN_CASES_TO_JUDGE = 20


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    since: datetime.date
    until: datetime.date  # exclusive

    @property
    def last_day(self) -> datetime.date:
        return self.until - datetime.timedelta(days=1)


def period_get(key: str | None, *, default: str = DEFAULT_PERIOD) -> Period:
    """This month and the months before it, up to and including today."""
    key = key if key in PERIODS else default
    months, label = PERIODS[key]
    day = today()
    start = day.replace(day=1)
    for _month in range(months - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return Period(key, str(label), start, day + datetime.timedelta(days=1))


@dataclass(frozen=True)
class WardInfo:
    id: int
    code: str
    name: str
    region: str
    population: int | None


@dataclass(frozen=True)
class ServiceInfo:
    id: int
    code: str
    name: str
    group: str


def wards_all() -> dict[int, WardInfo]:
    return {row[0]: WardInfo(*row) for row in Ward.objects.order_by("code").values_list(
        "id", "code", "name", "region__name", "population")}


def services_all() -> dict[int, ServiceInfo]:
    return {row[0]: ServiceInfo(row[0], row[1], row[2], row[3] or str(_("Other")))
            for row in Service.objects.order_by("group", "name").values_list(
                "id", "code", "name", "group")}


def offices_all() -> dict[int, tuple[str, str]]:
    return {pk: (code, name) for pk, code, name in Office.objects.values_list("id", "code", "name")}


def share(met: int, missed: int) -> float | None:
    return ratio(met, met + missed)


# --- war room -------------------------------------------------------------------


@dataclass(frozen=True)
class WardLoad:
    ward: WardInfo
    open: int = 0
    overdue: int = 0
    escalated: int = 0
    opened_24h: int = 0
    breached_24h: int = 0


@dataclass(frozen=True)
class Hotspot:
    ward: WardInfo
    verdict: rules.HotspotVerdict


@dataclass(frozen=True)
class WarRoom:
    at: datetime.datetime
    open: int
    overdue: int
    escalated: int
    last_24h: dict[str, int]
    wards: list[WardLoad]
    hotspots: list[Hotspot]
    oldest_overdue: list
    no_ward_open: int = 0


LAST_24H = ("opened", "resolved", "breached", "escalated", "ack_missed")


def warroom(*, overdue_limit: int = 10) -> WarRoom:
    """Open load now, the last 24 hours, hotspots and the oldest overdue cases."""
    now = clock.now()
    wards = wards_all()
    stock = stock_sums(group_by=("ward_id",))
    since_hour = now.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0) \
        - datetime.timedelta(hours=23)
    # Summed in SQL, one row per ward: at 580 wards the raw rows are 24 hours
    # and 35 days of each (some 34,000 at a province), too many to sum in Python.
    hourly = {row[0]: dict(zip(LAST_24H, row[1:], strict=True)) for row in
              m.HourlyCases.objects.filter(hour__gte=since_hour).values("ward_id").annotate(
                  **{name: Sum(name) for name in LAST_24H}).order_by().values_list(
                  "ward_id", *LAST_24H)}
    day = today()
    recent_from = day - datetime.timedelta(days=6)
    baseline_from = recent_from - datetime.timedelta(days=28)
    weeks = m.WardDay.objects.filter(day__gte=baseline_from, day__lte=day).values(
        "ward_id").annotate(recent=Sum("opened", filter=Q(day__gte=recent_from)),
                            baseline=Sum("opened", filter=Q(day__lt=recent_from))).order_by()
    hotspots = []
    for ward_id, recent, baseline in weeks.values_list("ward_id", "recent", "baseline"):
        info = wards.get(ward_id)
        if info is None or not rules.hotspot_possible(recent=recent or 0,
                                                      baseline=baseline or 0):
            continue
        verdict = rules.hotspot(recent=recent or 0, baseline=baseline or 0)
        if verdict.is_hotspot:
            hotspots.append(Hotspot(info, verdict))
    hotspots.sort(key=lambda h: (h.verdict.p_value, -h.verdict.ratio))
    quiet = dict.fromkeys(LAST_24H, 0)
    loads = [WardLoad(ward=info, open=stock.get((pk,), {}).get("open", 0),
                      overdue=stock.get((pk,), {}).get("open_overdue", 0),
                      escalated=stock.get((pk,), {}).get("open_escalated", 0),
                      opened_24h=hourly.get(pk, quiet)["opened"],
                      breached_24h=hourly.get(pk, quiet)["breached"])
             for pk, info in wards.items()]
    totals = {name: sum(s.get(name, 0) for s in stock.values()) for name in m.CASE_STOCK}
    # The war room watches the whole institution, whoever looks at it.
    oldest = case_list_overdue(viewer=INSTITUTION, limit=overdue_limit)
    return WarRoom(
        at=now, open=totals["open"], overdue=totals["open_overdue"],
        escalated=totals["open_escalated"],
        last_24h={name: sum(h[name] for h in hourly.values()) for name in LAST_24H},
        wards=loads, hotspots=hotspots, oldest_overdue=oldest,
        no_ward_open=stock.get((0,), {}).get("open", 0))


# --- needs map ------------------------------------------------------------------


@dataclass(frozen=True)
class WardNeed:
    ward: WardInfo
    cases: int
    per_1000: float | None


@dataclass(frozen=True)
class RegionNeed:
    region: str
    group: str | None
    cases: int
    per_1000: float | None


@dataclass(frozen=True)
class Needs:
    period: Period
    group: str  # "" for every service
    groups: list[str]
    wards: list[WardNeed]
    regions: list[RegionNeed]


def _per_1000(cases: int, population: int | None) -> float | None:
    return round(cases * 1000 / population, 2) if population else None


def needs(*, group: str = "", period: Period) -> Needs:
    """Cases per 1,000 residents by ward for a service group, and each region's
    greatest need (the group with most cases per 1,000 residents there)."""
    wards, services = wards_all(), services_all()
    groups = sorted({s.group for s in services.values()})
    group = group if group in groups else ""
    sums = period_sums("cases", ("opened",), since=period.since, until=period.until,
                       group_by=("ward_id", SERVICE_GROUP),
                       service_groups={pk: s.group for pk, s in services.items()})
    by_ward: dict[int, int] = defaultdict(int)
    by_region_group: dict[tuple[str, str], int] = defaultdict(int)
    for (ward_id, service_group), s in sums.items():
        if ward_id not in wards or not service_group:
            continue  # a ward or service no longer there
        if not group or service_group == group:
            by_ward[ward_id] += s["opened"]
        by_region_group[(wards[ward_id].region or "", service_group)] += s["opened"]
    population: dict[str, int] = defaultdict(int)
    for info in wards.values():
        population[info.region or ""] += info.population or 0
    regions = []
    for region in sorted(population):
        best = max(((g, n) for (r, g), n in by_region_group.items() if r == region),
                   key=lambda item: (item[1], item[0]), default=(None, 0))
        regions.append(RegionNeed(region, best[0], best[1],
                                  _per_1000(best[1], population[region])))
    rows = [WardNeed(info, by_ward[pk], _per_1000(by_ward[pk], info.population))
            for pk, info in wards.items()]
    return Needs(period=period, group=group, groups=groups, wards=rows, regions=regions)


# --- scorecard ------------------------------------------------------------------

SCORE_MEASURES = ("opened", "resolved", "ack_met", "ack_missed", "ack_auto", "resolved_on_time",
                  "resolved_late")


@dataclass(frozen=True)
class Score:
    resolved: int
    ack_share: float | None
    ack_cases: int
    resolve_share: float | None
    resolve_cases: int
    target: float | None
    # The system's receipts (Office.auto_acknowledge): shown apart, never in ack_share,
    # which counts only people's acknowledgements.
    ack_auto: int = 0

    @property
    def judged(self) -> bool:
        return self.target is not None and self.resolve_cases >= MIN_CASES_TO_JUDGE

    @property
    def meets(self) -> bool | None:
        """Resolution share against the target; None when too few cases."""
        if not self.judged or self.resolve_share is None:
            return None
        return self.resolve_share * 100 >= self.target

    @property
    def ack_meets(self) -> bool | None:
        if self.target is None or self.ack_cases < MIN_CASES_TO_JUDGE or self.ack_share is None:
            return None
        return self.ack_share * 100 >= self.target


def score_of(s: dict, target: float | None) -> Score:
    return Score(
        resolved=s.get("resolved", 0),
        ack_share=share(s.get("ack_met", 0), s.get("ack_missed", 0)),
        ack_cases=s.get("ack_met", 0) + s.get("ack_missed", 0),
        resolve_share=share(s.get("resolved_on_time", 0), s.get("resolved_late", 0)),
        resolve_cases=s.get("resolved_on_time", 0) + s.get("resolved_late", 0),
        target=target, ack_auto=s.get("ack_auto", 0))


@dataclass(frozen=True)
class ServiceScore:
    service: ServiceInfo
    score: Score
    months: list[tuple[datetime.date, Score]] = field(default_factory=list)


@dataclass(frozen=True)
class OfficeScore:
    code: str
    name: str
    score: Score


@dataclass(frozen=True)
class Scorecard:
    period: Period
    services: list[ServiceScore]
    offices: list[OfficeScore]  # worst first
    missed: int
    months: list[tuple[datetime.date, Score]] = field(default_factory=list)  # all services

    @property
    def missed_services(self) -> list[ServiceScore]:
        return [s for s in self.services if s.score.meets is False]


def _targets() -> dict[int, float]:
    snapshot = catalogue_snapshot()
    on = today()
    targets = {}
    for service_id in snapshot.standards:
        standard = snapshot.standard_in_force(service_id, on)
        if standard is not None:
            targets[service_id] = float(standard.compliance_target)
    return targets


def _office_scores(filters: dict, period: Period) -> list[OfficeScore]:
    offices = offices_all()
    sums = period_sums("cases", SCORE_MEASURES, since=period.since, until=period.until,
                       group_by=("office_id",), **filters)
    scores = [OfficeScore(*offices[pk], score_of(s, None))
              for (pk,), s in sums.items() if pk in offices]
    return sorted(scores, key=lambda o: (o.score.resolve_share is None,
                                         o.score.resolve_share or 0, o.name))


def scorecard(*, period: Period, office=None) -> Scorecard:
    """Per service: shares acknowledged and resolved within the pledge against the
    compliance target, with a monthly trend; offices from worst to best."""
    services, targets = services_all(), _targets()
    filters = {"office": office} if office is not None else {}
    monthly = period_sums("cases", SCORE_MEASURES, since=period.since, until=period.until,
                          group_by=("service_id",), by_month=True, **filters)
    totals: dict[int, dict] = defaultdict(lambda: dict.fromkeys(SCORE_MEASURES, 0))
    everything: dict[datetime.date, dict] = defaultdict(lambda: dict.fromkeys(SCORE_MEASURES, 0))
    months: dict[int, list] = defaultdict(list)
    for (month, service_id), s in sorted(monthly.items()):
        for name in SCORE_MEASURES:
            totals[service_id][name] += s[name]
            everything[month][name] += s[name]
        months[service_id].append((month, score_of(s, targets.get(service_id))))
    rows = [ServiceScore(services[pk], score_of(s, targets.get(pk)), months[pk])
            for pk, s in totals.items() if pk in services and any(s.values())]
    rows.sort(key=lambda r: (r.score.meets is not False, r.service.group, r.service.name))
    offices = [] if office is not None else _office_scores({}, period)
    return Scorecard(period=period, services=rows, offices=offices,
                     missed=sum(1 for r in rows if r.score.meets is False),
                     months=[(month, score_of(s, None)) for month, s in sorted(everything.items())])


def office_scores(*, period: Period) -> list[OfficeScore]:
    return _office_scores({}, period)


# --- ward page --------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    group: str
    opened: int
    resolved: int
    resolve_share: float | None


@dataclass(frozen=True)
class WardReport:
    ward: WardInfo
    period: Period
    opened: int
    resolved: int
    resolve_share: float | None
    resolve_cases: int
    open_now: int
    overdue_now: int
    median_days: float | None
    satisfaction: float | None
    ratings: int
    groups: list[GroupFigures]
    months: list[tuple[datetime.date, int, int]]


SATISFACTION_DRIVERS = ("overall", "satisfaction")


def ward_report(*, ward, period: Period) -> WardReport:
    """What was reported in a ward and what became of it, from the rollups."""
    services = services_all()
    info = WardInfo(ward.pk, ward.code, ward.name, ward.region.name if ward.region else "",
                    ward.population)
    measures = ("opened", "resolved", "resolved_on_time", "resolved_late", *m.RESOLVE_BUCKETS)
    sums = period_sums("cases", measures, since=period.since, until=period.until,
                       group_by=("service_id",), by_month=True, ward=ward.pk)
    total = dict.fromkeys(measures, 0)
    groups: dict[str, dict] = defaultdict(lambda: dict.fromkeys(measures, 0))
    months: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for (month, service_id), s in sums.items():
        group = services[service_id].group if service_id in services else str(_("Other"))
        for name in measures:
            total[name] += s[name]
            groups[group][name] += s[name]
        months[month][0] += s["opened"]
        months[month][1] += s["resolved"]
    stock = stock_sums(ward=ward.pk).get((), {})
    ratings = period_sums("ratings", ("n", "total"), since=period.since, until=period.until,
                          ward=ward.pk, driver=SATISFACTION_DRIVERS).get((), {"n": 0, "total": 0})
    return WardReport(
        ward=info, period=period, opened=total["opened"], resolved=total["resolved"],
        resolve_share=share(total["resolved_on_time"], total["resolved_late"]),
        resolve_cases=total["resolved_on_time"] + total["resolved_late"],
        open_now=stock.get("open", 0), overdue_now=stock.get("open_overdue", 0),
        median_days=median_days(total),
        satisfaction=ratio(ratings["total"], ratings["n"]), ratings=ratings["n"],
        groups=sorted((GroupFigures(g, s["opened"], s["resolved"],
                                    share(s["resolved_on_time"], s["resolved_late"]))
                       for g, s in groups.items()), key=lambda g: (-g.opened, g.group)),
        months=sorted((month, o, r) for month, (o, r) in months.items()))


@dataclass(frozen=True)
class WardSummary:
    ward: WardInfo
    opened: int
    resolved: int
    resolve_share: float | None
    open_now: int
    overdue_now: int


def ward_summaries(*, period: Period) -> list[WardSummary]:
    """Every ward's headline figures (the ward index and its open-data download)."""
    wards = wards_all()
    sums = period_sums("cases", ("opened", "resolved", "resolved_on_time", "resolved_late"),
                       since=period.since, until=period.until, group_by=("ward_id",))
    stock = stock_sums(group_by=("ward_id",))
    rows = []
    for pk, info in wards.items():
        s = sums.get((pk,), {})
        st = stock.get((pk,), {})
        rows.append(WardSummary(info, s.get("opened", 0), s.get("resolved", 0),
                                share(s.get("resolved_on_time", 0), s.get("resolved_late", 0)),
                                st.get("open", 0), st.get("open_overdue", 0)))
    return rows


# --- satisfaction drivers -----------------------------------------------------------


@dataclass(frozen=True)
class Drivers:
    period: Period
    scores: list[rules.DriverScore]
    responses: int
    by_office: list[tuple[str, str, rules.DriverScore | None, int]]


def drivers(*, period: Period, office=None, service=None) -> Drivers:
    """Importance (correlation with overall satisfaction) and performance (mean
    score) of each driver, and, per office, the driver to work on first."""
    filters = {k: v for k, v in (("office", office), ("service", service)) if v is not None}
    sums = period_sums("ratings", m.RATING_MEASURES, since=period.since, until=period.until,
                       group_by=("driver",), **filters)
    by_driver = {driver: s for (driver,), s in sums.items()}
    scores = rules.driver_scores(by_driver)
    offices = offices_all()
    per_office = period_sums("ratings", m.RATING_MEASURES, since=period.since,
                             until=period.until, group_by=("office_id", "driver"),
                             **({"service": service} if service is not None else {}))
    grouped: dict[int, dict] = defaultdict(dict)
    for (office_id, driver), s in per_office.items():
        grouped[office_id][driver] = s
    by_office = []
    for office_id, driver_sums in grouped.items():
        if office_id not in offices:
            continue
        ranked = [d for d in rules.driver_scores(driver_sums) if d.importance is not None]
        # Work on first: the most important of the drivers scoring below 4.
        focus = next((d for d in ranked if d.mean is not None and d.mean < 4), None)
        responses = driver_sums.get("overall", {}).get("n", 0)
        by_office.append((*offices[office_id], focus, responses))
    by_office.sort(key=lambda row: row[1])
    return Drivers(period=period, scores=scores,
                   responses=by_driver.get("overall", {}).get("n", 0), by_office=by_office)


def driver_label(driver: str) -> str:
    return str(Driver(driver).label) if driver in Driver.values else driver

