"""Folding deltas into the rollups, and rebuilding them from the raw tables.

Writers add delta rows in their own transaction (insights.receivers). A fold
takes committed deltas, adds them to every rollup table and deletes them, all
in one transaction over one fixed set of rows: on PostgreSQL a single
statement (DELETE ... RETURNING feeding the upserts), on SQLite an immediate
transaction, in which no other writer can commit. No watermark is kept, so a
transaction that commits late, with lower ids than rows already folded, is
simply folded next time (docs/adr/0006-rollups.md).
"""

import datetime
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.db import connection, models, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from imbizo.cases.selectors import INSTITUTION, case_event_list, case_filtered
from imbizo.core import clock
from imbizo.engagement.models import Answer
from imbizo.org.selectors import institution_get

from . import models as m
from .facts import DONE, OPEN, OUTCOME_DRIVERS
from .localtime import LocalDate, LocalMonth, UtcHour

HOURLY_DAYS = 8
FOLD_LOCK = 0x1B1250  # PostgreSQL advisory lock: one fold (or rebuild) at a time
BATCH = 20_000


@dataclass(frozen=True)
class Target:
    model: type[models.Model]
    keys: tuple[str, ...]
    measures: tuple[str, ...]
    where: str = ""


_CASE_KEYS = ("ward_id", "service_id", "office_id")
CASE_TARGETS = (
    Target(m.DailyCases, ("day", *_CASE_KEYS, "channel"), m.CASE_FLOWS),
    Target(m.MonthlyCases, ("month", *_CASE_KEYS), m.CASE_FLOWS),
    Target(m.ServiceMonthlyCases, ("month", "service_id", "office_id"), m.CASE_FLOWS),
    Target(m.WardMonthlyOpenings, ("month", "ward_id", "service_id"), ("opened",)),
    Target(m.WardDay, ("day", "ward_id"), m.CASE_FLOWS),
    Target(m.HourlyCases, ("hour", "ward_id"),
           ("opened", "resolved", "breached", "escalated", "ack_missed"), "hour IS NOT NULL"),
    Target(m.OpenLoad, _CASE_KEYS, m.CASE_STOCK),
)
RATING_TARGETS = (
    Target(m.DailyRatings, ("day", *_CASE_KEYS, "driver"), m.RATING_MEASURES),
    Target(m.MonthlyRatings, ("month", *_CASE_KEYS, "driver"), m.RATING_MEASURES),
    Target(m.ServiceMonthlyRatings, ("month", "service_id", "office_id", "driver"),
           m.RATING_MEASURES),
)
ROLLUPS = tuple(t.model for t in (*CASE_TARGETS, *RATING_TARGETS))
QUEUES = ((m.OpeningDelta, CASE_TARGETS), (m.CaseDelta, CASE_TARGETS),
          (m.RatingDelta, RATING_TARGETS))


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


def _for_queue(target: Target, queue) -> Target | None:
    """`target` limited to the measures `queue` carries (None when it carries none)."""
    columns = {f.column for f in queue._meta.concrete_fields}
    measures = tuple(c for c in target.measures if c in columns)
    return Target(target.model, target.keys, measures, target.where) if measures else None


def _upsert_sql(target: Target, source: str, extra_where: str = "") -> str:
    """INSERT INTO target SELECT keys, SUM(measures) FROM source GROUP BY keys, adding
    to rows that exist. Names come from model metadata, never from input."""
    table = _table(target.model)
    keys = ", ".join(_q(k) for k in target.keys)
    sums = ", ".join(f"SUM({_q(c)})" for c in target.measures)
    where = " AND ".join(w for w in ("true", target.where, extra_where) if w)
    nonzero = " OR ".join(f"SUM({_q(c)}) <> 0" for c in target.measures)
    updates = ", ".join(f"{_q(c)} = {table}.{_q(c)} + excluded.{_q(c)}" for c in target.measures)
    measures = ", ".join(_q(c) for c in target.measures)
    return (f"INSERT INTO {table} ({keys}, {measures}) SELECT {keys}, {sums} "
            f"FROM {source} WHERE {where} GROUP BY {keys} HAVING {nonzero} "
            f"ON CONFLICT ({keys}) DO UPDATE SET {updates}")


def _lock(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FOLD_LOCK])


def _fold_batch(cursor, queue, targets, batch: int) -> int:
    table = _table(queue)
    targets = [t for t in (_for_queue(t, queue) for t in targets) if t is not None]
    if connection.vendor == "postgresql":
        parts = [f"claimed AS (DELETE FROM {table} WHERE id IN (SELECT id FROM {table} "
                 f"ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING *)"]
        parts += [f"u{i} AS ({_upsert_sql(t, 'claimed')})" for i, t in enumerate(targets)]
        cursor.execute("WITH " + ", ".join(parts) + " SELECT count(*) FROM claimed", [batch])
        return cursor.fetchone()[0]
    # SQLite: this immediate transaction holds the write lock, so what it reads
    # stays exactly the set of committed rows until it commits.
    cursor.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1 OFFSET %s", [batch - 1])
    row = cursor.fetchone()
    if row is None:
        cursor.execute(f"SELECT max(id) FROM {table}")
        row = cursor.fetchone()
    last = row[0]
    if last is None:
        return 0
    for target in targets:
        cursor.execute(_upsert_sql(target, table, f"id <= {int(last)}"))
    cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last])
    return cursor.rowcount


def rollups_fold(*, batch: int = BATCH, now: datetime.datetime | None = None) -> int:
    """Fold every committed delta into the rollups; return how many were folded."""
    folded = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            _lock(cursor)
            done = sum(_fold_batch(cursor, queue, targets, batch) for queue, targets in QUEUES)
            if done < batch:
                _prune(cursor, now or clock.now())
        folded += done
        if done < batch:
            return folded


def _prune(cursor, now) -> None:
    cursor.execute(f"DELETE FROM {_table(m.HourlyCases)} WHERE hour < %s",
                   [_hour_floor(now - timedelta(days=HOURLY_DAYS))])


def _hour_floor(at: datetime.datetime) -> datetime.datetime:
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


# --- rebuilding from the raw tables -------------------------------------------------


def rollups_rebuild(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Recompute every rollup from cases, events and ratings; return rows per table.

    One transaction. On PostgreSQL it runs at REPEATABLE READ (when it is the
    outermost transaction), so the raw rows it reads and the deltas it throws
    away are the same moment's: deltas committed later stay and are folded
    on top. Folds wait for it (advisory lock).
    """
    now = now or clock.now()
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost and connection.vendor == "postgresql":
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        _lock(cursor)
        for model in (*(queue for queue, _targets in QUEUES), *ROLLUPS):
            cursor.execute(f"DELETE FROM {_table(model)}")
        for queryset in case_fact_sources(now=now):
            _insert_facts(cursor, m.CaseDelta, queryset)
        _insert_facts(cursor, m.RatingDelta, rating_fact_source())
        while any(_fold_batch(cursor, queue, targets, 10**9) for queue, targets in QUEUES):
            pass
        _prune(cursor, now)
    if connection.vendor == "postgresql":
        # Every rollup row is new: without fresh statistics the planner guesses the
        # pages' reads from the old tables (and chose full scans at 2,000,000 cases).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(_table(model) for model in ROLLUPS))
    return {model._meta.model_name: model.objects.count() for model in ROLLUPS}


def _insert_facts(cursor, queue, queryset) -> None:
    """INSERT INTO queue SELECT ... FROM (queryset): the queryset's key columns are
    named k_<column>, its measures <column>."""
    sql, params = queryset.query.sql_with_params()
    selected = list(queryset.query.values_select) + list(queryset.query.annotation_select)
    columns = ", ".join(_q(c.removeprefix("k_")) for c in selected)
    picked = ", ".join(_q(c) for c in selected)
    cursor.execute(f"INSERT INTO {_table(queue)} ({columns}) "
                   f"SELECT {picked} FROM ({sql}) AS facts", params)


def _tz_name() -> str:
    return institution_get().time_zone


def _periods(field: str, *, cutoff) -> dict:
    tz_name = _tz_name()
    return {
        "k_day": LocalDate(field, tz_name=tz_name),
        "k_month": LocalMonth(field, tz_name=tz_name),
        "k_hour": SqlCase(When(**{f"{field}__gte": cutoff}, then=UtcHour(field)),
                          default=None, output_field=models.DateTimeField()),
    }


def _one_if(*conditions, **lookups) -> SqlCase:
    return SqlCase(When(*conditions, **lookups, then=Value(1)), default=Value(0),
                 output_field=models.IntegerField())


def case_fact_sources(*, now) -> list:
    """Querysets whose rows are pre-summed CaseDelta rows (columns by name)."""
    cutoff = _hour_floor(now - timedelta(days=HOURLY_DAYS))
    open_ = Q(status__in=OPEN)

    def by_keys(qs, at_field, prefix=""):
        return qs.annotate(
            **_periods(at_field, cutoff=cutoff), k_ward_id=Coalesce(f"{prefix}ward_id", 0),
            k_service_id=F(f"{prefix}service_id"), k_office_id=Coalesce(f"{prefix}office_id", 0),
            k_channel=F(f"{prefix}channel"),
        ).values("k_day", "k_month", "k_hour", "k_ward_id", "k_service_id", "k_office_id",
                 "k_channel")

    cases, all_events = case_filtered(viewer=INSTITUTION), case_event_list(viewer=INSTITUTION)
    opened = by_keys(cases, "opened_at").annotate(
        opened=Count("id"), ack_auto=Sum(_one_if(acknowledged_by_system=True)),
        open=Sum(_one_if(open_)),
        open_overdue=Sum(_one_if(open_, resolve_breached_at__isnull=False)),
        open_escalated=Sum(_one_if(open_, escalation_level__gt=0)))

    acked = cases.filter(ack_due_at__isnull=False).filter(
        Q(ack_breached_at__isnull=False) | Q(acknowledged_at__isnull=False)).alias(
        ack_at=SqlCase(When(ack_breached_at__isnull=False, then=F("ack_breached_at")),
                     default=F("acknowledged_at"), output_field=models.DateTimeField()))
    met = Q(ack_breached_at__isnull=True, acknowledged_at__lte=F("ack_due_at"))
    acked = by_keys(acked, "ack_at").annotate(
        ack_met=Sum(_one_if(met)), ack_missed=Sum(_one_if(~met)))

    events = all_events.filter(case__isnull=False)
    counted = by_keys(events.filter(kind__in=("breached", "escalated", "reopened")), "at",
                      prefix="case__").annotate(
        breached=Sum(_one_if(kind="breached")), escalated=Sum(_one_if(kind="escalated")),
        reopened=Sum(_one_if(kind="reopened")))

    last_cycle_kind = Subquery(
        all_events.filter(case_id=OuterRef("case_id"), at__lte=OuterRef("at"),
                                 kind__in=("opened", "reopened", "breached"))
        .order_by("-at", "-id").values("kind")[:1])
    reopened_before = Exists(all_events.filter(
        case_id=OuterRef("case_id"), kind="reopened", at__lt=OuterRef("at")))
    resolutions = events.filter(from_status__in=OPEN, to_status__in=DONE).alias(
        last_cycle=last_cycle_kind, later=reopened_before,
        took=models.ExpressionWrapper(F("at") - F("case__opened_at"),
                                      output_field=models.DurationField()))
    standard = Q(case__standard__isnull=False)
    stamped = Q(details__has_key="on_time")
    on_time = standard & ((stamped & Q(details__on_time=True))
                          | (~stamped & ~Q(last_cycle="breached")))
    late = standard & ((stamped & Q(details__on_time=False))
                       | (~stamped & Q(last_cycle="breached")))
    first = Q(later=False)
    buckets = {}
    edges = [None, *m.RESOLVE_HOURS_EDGES, None]
    for i, name in enumerate(m.RESOLVE_BUCKETS):
        low, high = edges[i], edges[i + 1]
        condition = first
        if low is not None:
            condition &= Q(took__gte=timedelta(hours=low))
        if high is not None:
            condition &= Q(took__lt=timedelta(hours=high))
        buckets[name] = Sum(_one_if(condition))
    resolved = by_keys(resolutions, "at", prefix="case__").annotate(
        resolved=Count("id"), resolved_on_time=Sum(_one_if(on_time)),
        resolved_late=Sum(_one_if(late)), first_resolved=Sum(_one_if(first)), **buckets)
    return [opened, acked, counted, resolved]


def rating_fact_source():
    """A queryset of pre-summed RatingDelta rows: 1-5 answers per driver, each paired
    with its response's overall answer (facts.OUTCOME_DRIVERS)."""
    tz_name = _tz_name()

    def outcome(driver):
        return Subquery(
            Answer.objects.filter(response_id=OuterRef("response_id"), driver=driver,
                                  number__isnull=False, question__type="scale5")
            .values("response_id").annotate(top=models.Max("number")).values("top"))

    x, y = F("number"), F("y")
    paired = Q(y__isnull=False)

    def total(expression):
        return Coalesce(Sum(expression), 0)

    return (
        Answer.objects.filter(number__isnull=False, question__type="scale5")
        .alias(y=Coalesce(*(outcome(d) for d in OUTCOME_DRIVERS)))
        .annotate(k_day=LocalDate("response__submitted_at", tz_name=tz_name),
                  k_month=LocalMonth("response__submitted_at", tz_name=tz_name),
                  k_ward_id=Coalesce("response__case__ward_id", 0),
                  k_service_id=Coalesce("response__case__service_id", 0),
                  k_office_id=Coalesce("response__office_id", 0), k_driver=F("driver"))
        .values("k_day", "k_month", "k_ward_id", "k_service_id", "k_office_id", "k_driver")
        .annotate(n=Count("id"), total=total(x), total_sq=total(x * x),
                  pn=Sum(_one_if(paired)),
                  px=total(SqlCase(When(paired, then=x), default=None)),
                  py=total(y), pxx=total(SqlCase(When(paired, then=x * x), default=None)),
                  pyy=total(y * y), pxy=total(x * y))
    )
