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
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.db import connection, connections, models, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from imbizo.cases.models import Case
from imbizo.cases.selectors import INSTITUTION, case_event_list, case_filtered
from imbizo.core import clock
from imbizo.engagement.models import Answer
from imbizo.org.selectors import institution_get

from . import models as m
from .facts import DONE, OPEN, OUTCOME_DRIVERS
from .localtime import LocalDate, LocalMonth, UtcHour

logger = logging.getLogger(__name__)

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

REBUILD_WORKERS = 2  # connections computing facts at once on PostgreSQL (this machine: 2 cores)
# Case-id ranges the resolutions (the heaviest facts) are cut into, so that two
# workers finish together; every other source is one statement.
REBUILD_SLICES = 2
REBUILD_WORK_MEM = "256MB"  # per connection, for the hash aggregates over millions of facts
CASE_STAGE, RATING_STAGE, SEEN_STAGE = (
    "insights_rebuild_case_facts", "insights_rebuild_rating_facts", "insights_rebuild_seen")


@dataclass(frozen=True)
class FactQuery:
    """SELECT ... whose columns are named k_<column> for keys and <column> for measures,
    to be added to the fact table of `queue` (CaseDelta or RatingDelta)."""

    queue: type[models.Model]
    sql: str
    params: tuple
    columns: tuple[str, ...]

    def insert_sql(self, into: str) -> str:
        names = ", ".join(_q(c.removeprefix("k_")) for c in self.columns)
        picked = ", ".join(_q(c) for c in self.columns)
        return f"INSERT INTO {into} ({names}) SELECT {picked} FROM ({self.sql}) AS facts"

    def rows(self) -> list[dict]:
        """The facts as dicts by column name."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def rollups_rebuild(*, now: datetime.datetime | None = None,
                    workers: int = REBUILD_WORKERS) -> dict[str, int]:
    """Recompute every rollup from cases, events and ratings; return rows per table.

    The rollups and the delta queues change in one transaction: a crash leaves
    them all as they were. Folds wait for a rebuild (advisory lock); deltas
    committed after the rebuild read the raw tables stay and are folded on top.
    On PostgreSQL, as the outermost transaction, `workers` connections compute
    the facts from one exported snapshot and build every rollup table afresh
    beside the live one, which a last short transaction swaps in
    (`_rebuild_in_parallel`); inside a transaction (tests, migrations) and on
    SQLite everything runs on the one connection, replacing rows in place.
    """
    now = now or clock.now()
    if workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        _rebuild_in_parallel(now, workers)
    else:
        _rebuild_on_one_connection(now)
    if connection.vendor == "postgresql":
        # Every rollup row is new: without fresh statistics the planner guesses the
        # pages' reads from the old tables (and chose full scans at 2,000,000 cases).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(_table(model) for model in ROLLUPS))
    return {model._meta.model_name: model.objects.count() for model in ROLLUPS}


def _rebuild_on_one_connection(now) -> None:
    """Facts into the (emptied) delta tables, then the rollups replaced from them,
    in one transaction (REPEATABLE READ on PostgreSQL when it is the outermost)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost and connection.vendor == "postgresql":
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        _lock(cursor)
        for queue, _targets in QUEUES:
            cursor.execute(f"DELETE FROM {_table(queue)}")
        for fact in fact_queries(now=now):
            cursor.execute(fact.insert_sql(_table(fact.queue)), fact.params)
        _rollups_replace(cursor, cases=_table(m.CaseDelta), ratings=_table(m.RatingDelta),
                         now=now)
        for queue, _targets in QUEUES:
            cursor.execute(f"DELETE FROM {_table(queue)}")


def _rebuild_in_parallel(now, workers: int) -> None:
    """PostgreSQL: `workers` connections compute the facts from one snapshot into
    unlogged staging tables, then build each rollup afresh beside the live one
    (rows first, then its indexes, each statement on its own). One short
    transaction then swaps every new table in and deletes exactly the deltas the
    snapshot saw. Until it commits, readers see the old rollups and nothing
    else changes: a rebuild stopped half way leaves every month as it was."""
    with connection.cursor() as cursor:
        # Held across the transactions below: no fold changes a rollup meanwhile.
        cursor.execute("SELECT pg_advisory_lock(%s)", [FOLD_LOCK])
    try:
        _scratch_drop()
        _stages_create()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            statements = [(f.insert_sql(_stage_of(f.queue)), f.params)
                          for f in fact_queries(now=now, slices=_case_slices(cursor))]
            statements += [(f"INSERT INTO {SEEN_STAGE} (queue, id) "
                            f"SELECT %s, id FROM {_table(queue)}", (queue._meta.db_table,))
                           for queue, _targets in QUEUES]
            started = time.monotonic()
            _run_in_parallel(statements, workers, snapshot=snapshot)
            logger.info("rollups rebuild: facts in %.1f s (%d statements, %d connections)",
                        time.monotonic() - started, len(statements), workers)
        started = time.monotonic()
        with connection.cursor() as cursor:
            # Statistics, so that the grouped INSERTs below hash rather than sort.
            cursor.execute(f"ANALYZE {CASE_STAGE}, {RATING_STAGE}, {SEEN_STAGE}")
            indexes = {model: _indexes(cursor, model) for model in ROLLUPS}
        _run_in_parallel([_fill_sql(target, source, now) for target, source in _sources()],
                         workers)
        _run_in_parallel([(sql, ()) for model in ROLLUPS for sql in _index_sql(model, indexes)],
                         workers)
        logger.info("rollups rebuild: new tables built in %.1f s", time.monotonic() - started)
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            for model in ROLLUPS:
                _swap(cursor, model, indexes[model])
            for queue, _targets in QUEUES:
                cursor.execute(f"DELETE FROM {_table(queue)} WHERE id IN "
                               f"(SELECT id FROM {SEEN_STAGE} WHERE queue = %s)",
                               [queue._meta.db_table])
        logger.info("rollups rebuild: swapped in %.1f s", time.monotonic() - started)
    finally:
        _scratch_drop()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [FOLD_LOCK])


def _new(model) -> str:
    """The name of `model`'s rollup table while it is being rebuilt beside the live one."""
    return _q(f"{model._meta.db_table}_rebuilt")


def _renamed(name: str) -> str:
    """The name of an index of a table being rebuilt (live until the swap)."""
    if len(name) > 55:
        raise ValueError(f"index name {name!r} is too long to rebuild beside (55 characters)")
    return f"{name}_rebuilt"


def _scratch_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CASE_STAGE}, {RATING_STAGE}, {SEEN_STAGE}, "
                       + ", ".join(_new(model) for model in ROLLUPS))


def _sources():
    return [*((t, CASE_STAGE) for t in CASE_TARGETS), *((t, RATING_STAGE) for t in RATING_TARGETS)]


def _fill_sql(target: Target, source: str, now) -> tuple[str, tuple]:
    """A new table shaped like the rollup (columns, defaults, checks; no indexes yet),
    filled from the staging table: one statement, committed on its own."""
    new = _new(target.model)
    create = (f"CREATE TABLE {new} (LIKE {_table(target.model)} INCLUDING DEFAULTS "
              f"INCLUDING CONSTRAINTS INCLUDING IDENTITY)")
    fill = _replace_sql(target, source).replace(_table(target.model), new, 1)
    if target.model is m.HourlyCases:  # kept HOURLY_DAYS days, as the fold's prune keeps it
        fill = fill.replace(" GROUP BY ", " AND hour >= %s GROUP BY ", 1)
        return (f"{create}; {fill}", (_hour_floor(now - timedelta(days=HOURLY_DAYS)),))
    return (f"{create}; {fill}", ())


def _indexes(cursor, model) -> list[tuple[str, str, str | None]]:
    """(name, definition, constraint type p/u or None) of every index of `model`'s table."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid), c.contype FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid LEFT JOIN pg_constraint c "
        "ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid "
        "WHERE x.indrelid = %s::regclass ORDER BY i.relname", [model._meta.db_table])
    return [(name, definition, kind) for name, definition, kind in cursor.fetchall()]


def _index_sql(model, indexes) -> list[str]:
    """The statements that give the new table the live one's indexes, under names of
    their own until the swap (which makes the primary and unique keys of them)."""
    statements = []
    for name, definition, _kind in indexes[model]:
        found = re.fullmatch(r"CREATE (UNIQUE )?INDEX (\S+) ON (\S+) (USING .*)", definition)
        if found is None:
            raise ValueError(f"cannot rebuild index {name} of {model._meta.db_table}: {definition}")
        statements.append(f"SET LOCAL maintenance_work_mem = '{REBUILD_WORK_MEM}'; "
                          f"CREATE {found[1] or ''}INDEX {_q(_renamed(name))} ON {_new(model)} "
                          f"{found[4]}")
    return statements


def _swap(cursor, model, indexes) -> None:
    """The live table dropped and the new one renamed in, with its indexes and its
    id sequence, in the caller's transaction."""
    table = model._meta.db_table
    cursor.execute(f"DROP TABLE {_table(model)}")
    cursor.execute(f"ALTER TABLE {_new(model)} RENAME TO {_table(model)}")
    for name, _definition, kind in indexes:
        cursor.execute(f"ALTER INDEX {_q(_renamed(name))} RENAME TO {_q(name)}")
        if kind in ("p", "u"):
            # Here rather than beside its index: it locks the whole table, and two
            # workers adding two of one table's constraints would deadlock.
            what = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            cursor.execute(f"ALTER TABLE {_table(model)} ADD CONSTRAINT {_q(name)} {what} "
                           f"USING INDEX {_q(name)}")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    if sequence is not None:
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {_q(f'{table}_id_seq')}")


def _stage_of(queue) -> str:
    return RATING_STAGE if queue is m.RatingDelta else CASE_STAGE


def _stages_create() -> None:
    """Unlogged staging tables shaped like the delta tables (without their ids):
    written by the workers, read by the replacing transaction, dropped after."""
    with connection.cursor() as cursor:
        for stage, queue in ((CASE_STAGE, m.CaseDelta), (RATING_STAGE, m.RatingDelta)):
            cursor.execute(f"CREATE UNLOGGED TABLE {stage} (LIKE {_table(queue)} "
                           f"INCLUDING DEFAULTS)")
            cursor.execute(f"ALTER TABLE {stage} DROP COLUMN id")
        cursor.execute(f"CREATE UNLOGGED TABLE {SEEN_STAGE} (queue text NOT NULL, "
                       f"id bigint NOT NULL)")


def _case_slices(cursor) -> list[tuple[int, int]]:
    """REBUILD_SLICES half-open case-id ranges covering every case."""
    cursor.execute(f"SELECT min(id), max(id) FROM {_table(Case)}")
    low, high = cursor.fetchone()
    if low is None:
        return [(0, 1)]
    step = (high - low) // REBUILD_SLICES + 1
    return [(start, start + step) for start in range(low, high + 1, step)]


def _run_in_parallel(statements: list[tuple[str, tuple]], workers: int, *,
                     snapshot: str | None = None) -> None:
    """Run each statement in its own transaction on one of `workers` new connections,
    reading the exported `snapshot` when one is given; every statement runs, then
    the first error is raised."""
    if snapshot is not None and not re.fullmatch(r"[0-9A-F-]+", snapshot):
        raise ValueError(f"unexpected snapshot id from pg_export_snapshot(): {snapshot!r}")

    def run(statement: tuple[str, tuple]) -> None:
        sql, params = statement
        with connections["default"].cursor() as cursor, transaction.atomic():
            if snapshot is not None:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            cursor.execute(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'")
            cursor.execute(sql, params)

    def run_then_close(statement) -> None:
        try:
            run(statement)
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(run_then_close, s) for s in statements]:
            future.result()


def _replace_sql(target: Target, source: str) -> str:
    """INSERT INTO target SELECT keys, SUM(measures) FROM source GROUP BY keys, into
    an emptied table (no conflicts). Names come from model metadata, never from input."""
    keys = ", ".join(_q(k) for k in target.keys)
    measures = ", ".join(_q(c) for c in target.measures)
    sums = ", ".join(f"SUM({_q(c)})" for c in target.measures)
    nonzero = " OR ".join(f"SUM({_q(c)}) <> 0" for c in target.measures)
    where = f"WHERE {target.where} " if target.where else ""
    return (f"INSERT INTO {_table(target.model)} ({keys}, {measures}) SELECT {keys}, {sums} "
            f"FROM {source} {where}GROUP BY {keys} HAVING {nonzero}")


def _rollups_replace(cursor, *, cases: str, ratings: str, now) -> None:
    """Every rollup table emptied and filled from the fact tables `cases` and `ratings`,
    one grouped INSERT each, in the caller's transaction."""
    for targets, source in ((CASE_TARGETS, cases), (RATING_TARGETS, ratings)):
        for target in targets:
            cursor.execute(f"DELETE FROM {_table(target.model)}")
            cursor.execute(_replace_sql(target, source))
    _prune(cursor, now)


def fact_queries(*, now, slices: list[tuple[int, int]] | None = None) -> list[FactQuery]:
    """Every fact the rollups are summed from, the heaviest first: the resolutions
    (cut into the case-id ranges of `slices`, when given, so two workers share
    them), the other case sources, then the ratings."""
    queries = [resolution_facts(now=now, case_ids=ids) for ids in slices or [None]]
    queries += [_fact_query(m.CaseDelta, qs) for qs in case_fact_sources(now=now)]
    queries.append(rating_facts())
    return queries


def _fact_query(queue, queryset) -> FactQuery:
    sql, params = queryset.query.sql_with_params()
    selected = (*queryset.query.values_select, *queryset.query.annotation_select)
    return FactQuery(queue, sql, tuple(params), tuple(selected))


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


_KEYS = ("k_day", "k_month", "k_hour", "k_ward_id", "k_service_id", "k_office_id", "k_channel")


def _with_keys(qs, at_field: str, *, cutoff, prefix: str = ""):
    return qs.annotate(
        **_periods(at_field, cutoff=cutoff), k_ward_id=Coalesce(f"{prefix}ward_id", 0),
        k_service_id=F(f"{prefix}service_id"), k_office_id=Coalesce(f"{prefix}office_id", 0),
        k_channel=F(f"{prefix}channel"))


def _case_events(case_ids):
    events = case_event_list(viewer=INSTITUTION).filter(case__isnull=False)
    if case_ids is not None:
        events = events.filter(case_id__gte=case_ids[0], case_id__lt=case_ids[1])
    return events


def case_fact_sources(*, now) -> list:
    """Querysets whose rows are pre-summed CaseDelta rows (columns by name): openings
    with the stock, acknowledgements, and breaches, escalations and reopenings (the
    resolutions are `resolution_facts`)."""
    cutoff = _hour_floor(now - timedelta(days=HOURLY_DAYS))
    open_ = Q(status__in=OPEN)

    def by_keys(qs, at_field, prefix=""):
        return _with_keys(qs, at_field, cutoff=cutoff, prefix=prefix).values(*_KEYS)

    cases = case_filtered(viewer=INSTITUTION)
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

    counted = by_keys(_case_events(None).filter(kind__in=("breached", "escalated", "reopened")),
                      "at", prefix="case__").annotate(
        breached=Sum(_one_if(kind="breached")), escalated=Sum(_one_if(kind="escalated")),
        reopened=Sum(_one_if(kind="reopened")))
    return [opened, acked, counted]


def resolution_facts(*, now, case_ids: tuple[int, int] | None = None) -> FactQuery:
    """Pre-summed CaseDelta rows of resolutions (a move from an open status to a done
    one): on time or late, and, for a case's first resolution (no reopening before
    it), its time-to-resolve bucket.

    Each resolution's verdict and bucket are worked out once, in an inner query;
    "reopened before" is a join to each case's first reopening, not a lookup per
    row. A resolution stamped `on_time` keeps its stamp; one without (bulk-loaded
    history) is late when the last of opened, reopened and breached at or before
    it is a breach: the one look-up per row left, made only for those.
    """
    cutoff = _hour_floor(now - timedelta(days=HOURLY_DAYS))
    all_events = case_event_list(viewer=INSTITUTION)
    last_cycle_kind = Subquery(
        all_events.filter(case_id=OuterRef("case_id"), at__lte=OuterRef("at"),
                          kind__in=("opened", "reopened", "breached"))
        .order_by("-at", "-id").values("kind")[:1])
    stamped = Q(details__has_key="on_time")
    took = models.ExpressionWrapper(F("at") - F("case__opened_at"),
                                    output_field=models.DurationField())
    bucket = SqlCase(*(When(took__lt=timedelta(hours=edge), then=Value(i))
                       for i, edge in enumerate(m.RESOLVE_HOURS_EDGES)),
                     default=Value(len(m.RESOLVE_HOURS_EDGES)), output_field=models.IntegerField())
    rows = _with_keys(
        _case_events(case_ids).filter(from_status__in=OPEN, to_status__in=DONE),
        "at", cutoff=cutoff, prefix="case__",
    ).alias(took=took).annotate(
        r_case_id=F("case_id"), r_at=F("at"),
        r_standard=_one_if(case__standard__isnull=False),
        r_stamp=SqlCase(When(stamped & Q(details__on_time=True), then=Value(1)),
                        When(stamped & Q(details__on_time=False), then=Value(0)),
                        default=None, output_field=models.IntegerField()),
        r_stamped=_one_if(stamped),
        r_last_cycle=SqlCase(When(stamped, then=Value(None)), default=last_cycle_kind,
                             output_field=models.CharField()),
        r_bucket=bucket,
    ).values(*_KEYS, "r_case_id", "r_at", "r_standard", "r_stamp", "r_stamped", "r_last_cycle",
             "r_bucket").order_by()  # no sort: the rows are summed
    reopenings = (case_event_list(viewer=INSTITUTION).filter(kind="reopened")
                  .values("case_id").annotate(first_reopened=Min("at")).values(
                      "case_id", "first_reopened"))
    if case_ids is not None:
        reopenings = reopenings.filter(case_id__gte=case_ids[0], case_id__lt=case_ids[1])
    rows_sql, rows_params = rows.query.sql_with_params()
    reopen_sql, reopen_params = reopenings.query.sql_with_params()
    # PostgreSQL would otherwise pull the inner query up and look the last cycle
    # up once for every reference to it.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    first = "(f.first_reopened IS NULL OR f.first_reopened >= r.r_at)"
    on_time = "(r.r_stamp = 1 OR (r.r_stamped = 0 AND r.r_last_cycle <> 'breached'))"
    late = "(r.r_stamp = 0 OR (r.r_stamped = 0 AND r.r_last_cycle = 'breached'))"
    measures = {
        "resolved": "COUNT(*)",
        "resolved_on_time": f"SUM(CASE WHEN r.r_standard = 1 AND {on_time} THEN 1 ELSE 0 END)",
        "resolved_late": f"SUM(CASE WHEN r.r_standard = 1 AND {late} THEN 1 ELSE 0 END)",
        "first_resolved": f"SUM(CASE WHEN {first} THEN 1 ELSE 0 END)",
        **{name: f"SUM(CASE WHEN {first} AND r.r_bucket = {i} THEN 1 ELSE 0 END)"
           for i, name in enumerate(m.RESOLVE_BUCKETS)},
    }
    keys = ", ".join(f"r.{_q(k)}" for k in _KEYS)
    picked = ", ".join(f"{sql} AS {_q(name)}" for name, sql in measures.items())
    sql = (f"SELECT {keys}, {picked} FROM ({rows_sql}{fence}) AS r "
           f"LEFT JOIN ({reopen_sql}) AS f ON f.{_q('case_id')} = r.{_q('r_case_id')} "
           f"GROUP BY {keys}")
    return FactQuery(m.CaseDelta, sql, (*rows_params, *reopen_params), (*_KEYS, *measures))


def rating_facts(*, case_id: int | None = None) -> FactQuery:
    """Pre-summed RatingDelta rows: 1-5 answers per driver, each paired with its
    response's overall answer (facts.OUTCOME_DRIVERS: the first driver the response
    answered; the largest, should it answer twice), found by one join to each
    response's outcome rather than a look-up per answer. `case_id`: only the ratings
    of that case."""
    tz_name = _tz_name()
    scale = Answer.objects.filter(number__isnull=False, question__type="scale5")
    if case_id is not None:
        scale = scale.filter(response__case_id=case_id)
    rows = scale.annotate(
        k_day=LocalDate("response__submitted_at", tz_name=tz_name),
        k_month=LocalMonth("response__submitted_at", tz_name=tz_name),
        k_ward_id=Coalesce("response__case__ward_id", 0),
        k_service_id=Coalesce("response__case__service_id", 0),
        k_office_id=Coalesce("response__office_id", 0), k_driver=F("driver"),
        r_response_id=F("response_id"), r_x=F("number"),
    ).values(*_RATING_KEYS, "r_response_id", "r_x").order_by()  # no sort: the rows are summed
    outcomes = scale.filter(driver__in=OUTCOME_DRIVERS).values("response_id").annotate(
        **{f"o{i}": models.Max("number", filter=Q(driver=driver))
           for i, driver in enumerate(OUTCOME_DRIVERS)}).values(
        "response_id", *(f"o{i}" for i in range(len(OUTCOME_DRIVERS))))
    rows_sql, rows_params = rows.query.sql_with_params()
    outcomes_sql, outcomes_params = outcomes.query.sql_with_params()
    y = "COALESCE(" + ", ".join(f"o.{_q(f'o{i}')}" for i in range(len(OUTCOME_DRIVERS))) + ")"
    x = "r.r_x"
    measures = {
        "n": "COUNT(*)", "total": f"SUM({x})", "total_sq": f"SUM({x} * {x})",
        "pn": f"COUNT({y})",
        "px": f"COALESCE(SUM(CASE WHEN {y} IS NOT NULL THEN {x} END), 0)",
        "py": f"COALESCE(SUM({y}), 0)",
        "pxx": f"COALESCE(SUM(CASE WHEN {y} IS NOT NULL THEN {x} * {x} END), 0)",
        "pyy": f"COALESCE(SUM({y} * {y}), 0)", "pxy": f"COALESCE(SUM({x} * {y}), 0)",
    }
    keys = ", ".join(f"r.{_q(k)}" for k in _RATING_KEYS)
    picked = ", ".join(f"{sql} AS {_q(name)}" for name, sql in measures.items())
    sql = (f"SELECT {keys}, {picked} FROM ({rows_sql}) AS r "
           f"LEFT JOIN ({outcomes_sql}) AS o ON o.{_q('response_id')} = r.{_q('r_response_id')} "
           f"GROUP BY {keys}")
    return FactQuery(m.RatingDelta, sql, (*rows_params, *outcomes_params),
                     (*_RATING_KEYS, *measures))


_RATING_KEYS = ("k_day", "k_month", "k_ward_id", "k_service_id", "k_office_id", "k_driver")
