"""A whole province for load tests: regions, hundreds of wards, offices, the
demo's catalogue and staff, then millions of cases over a year with their
events, contacts and survey answers, written set-based (province_sql) on
PostgreSQL only.

The load defers what makes bulk writes slow: the big tables' secondary
indexes, unique and foreign-key constraints are dropped first and rebuilt
afterwards from their saved definitions (CREATE INDEX with parallel workers),
and the work is split over two connections to use both cores. The database is
then exactly as the migrations define it: `schema_snapshot` before and after
must be equal, or the build fails. The rollups are filled last by the
project's own rebuild.
"""

import datetime
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, connections, transaction

from imbizo.cases.models import Case
from imbizo.core import clock
from imbizo.core.bulk import sequence_reset
from imbizo.engagement.models import Instrument
from imbizo.geo.models import Region, Ward
from imbizo.geo.services import boundary_check
from imbizo.insights.rollups import rollups_rebuild
from imbizo.org.models import Institution

from . import province_sql
from .municipality import (
    REGIONS,
    _region_of,
    build_calendar,
    build_catalogue,
    build_organisation,
    build_staff,
    ward_cells,
)
from .province_plan import lookups_drop, plan_build

BIG_TABLES = ("cases_case", "cases_caseevent", "engagement_contact", "engagement_response",
              "engagement_answer")
PG_DATA = "/var/lib/postgresql"
# Measured on a 100,000-case province (docs/benchmarks.md, "Province"): bytes on
# disk per case (its row, events, ratings, indexes) and per contact, with WAL
# and the index builds' temporary files as headroom.
BYTES_PER_CASE = 2_400
BYTES_PER_CONTACT = 240
HEADROOM = 1.2
SESSION = ("SET maintenance_work_mem = '1GB'", "SET max_parallel_maintenance_workers = 2",
           "SET work_mem = '256MB'", "SET synchronous_commit = off")


class ProvinceError(Exception):
    """The province cannot be built here (engine, data already there, disk)."""


@dataclass
class ProvinceReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        counts = ", ".join(f"{n:,} {k}" for k, n in self.counts.items())
        steps = ", ".join(f"{k} {s:.0f} s" for k, s in self.seconds.items())
        return f"{counts} ({steps})"


def disk_needed(cases: int, contacts: int, wal: int = 0) -> int:
    """Bytes for the data with headroom, plus `wal`: the write-ahead log the
    server keeps (up to max_wal_size) while the load runs."""
    return int((cases * BYTES_PER_CASE + contacts * BYTES_PER_CONTACT) * HEADROOM) + wal


def disk_check(cases: int, contacts: int, path: str = PG_DATA, wal: int = 0) -> str:
    """A line saying what the province needs and what is free; ProvinceError if too little."""
    needed = disk_needed(cases, contacts, wal)
    free = shutil.disk_usage(path).free
    log = f" (with {wal / 2**30:.1f} GiB of write-ahead log)" if wal else ""
    line = (f"Disk: the province needs about {needed / 2**30:.1f} GiB{log}; "
            f"{free / 2**30:.1f} GiB free under {path}")
    if needed > free:
        raise ProvinceError(f"{line}. Not enough disk: free some space or ask for fewer "
                            f"--cases/--contacts.")
    return line


def wal_kept() -> int:
    """The server's max_wal_size in bytes: the log a long load can hold on disk."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_bytes(current_setting('max_wal_size'))")
        return cursor.fetchone()[0]


def engine_check() -> None:
    """ProvinceError unless the database is PostgreSQL."""
    if connection.vendor != "postgresql":
        raise ProvinceError(
            f"The province needs PostgreSQL (this database is {connection.vendor}): it is "
            "written with PostgreSQL's set-based SQL. Pass --database postgres://... or set "
            "DATABASE_URL.")


def province_build(*, name: str, cases: int, contacts: int, wards: int = 580, seed: int = 2026,
                   days: int = 365, until: datetime.datetime | None = None,
                   say: Callable[[str], None] = print) -> ProvinceReport:
    """Build the province in this (empty, PostgreSQL) database."""
    engine_check()
    if Institution.objects.exists():
        raise ProvinceError("This database already has an institution; build the province in "
                            "a new, migrated database.")
    instrument = _rating_instrument()
    say(disk_check(cases, contacts, wal=wal_kept()))
    until = until or clock.now()
    report = ProvinceReport()
    with _step(report, "organisation"):
        _organisation_build(name, wards, seed)
    with _step(report, "lookups"):
        plan = plan_build(seed=seed, cases=cases, until=until, days=days)
    before = schema_snapshot()
    saved = _secondary_drop()
    try:
        _load(plan, instrument, cases, contacts, report, say)
    finally:
        with _step(report, "indexes"):
            _secondary_restore(saved)
        lookups_drop()
    after = schema_snapshot()
    if before != after:
        raise ProvinceError(f"The indexes and constraints differ after the load: missing "
                            f"{sorted(before - after)}, unexpected {sorted(after - before)}.")
    with _step(report, "analyze"):
        _parallel([f"VACUUM ANALYZE {table}" for table in BIG_TABLES])
    with _step(report, "rollups"):
        rollups_rebuild(now=until)
    report.counts.update(_counts())
    return report


class _step:
    """Times a step into the report."""

    def __init__(self, report: ProvinceReport, name: str):
        self.report, self.name = report, name

    def __enter__(self):
        self.started = time.monotonic()

    def __exit__(self, *exc):
        self.report.seconds[self.name] = time.monotonic() - self.started


def _organisation_build(name: str, wards: int, seed: int) -> None:
    with transaction.atomic():
        regions = _geography_build(wards, seed)
        build_calendar()
        offices = build_organisation(seed, regions)
        Institution.objects.filter(pk=1).update(name=name, short_name=name.removesuffix(" Province"))
        build_catalogue(offices, regions)
        build_staff(seed, offices)


def _geography_build(count: int, seed: int) -> dict[str, Region]:
    """`count` synthetic wards (Voronoi cells, as the demo's) in the five regions;
    a region the cells happen to miss takes wards in turn, so none is empty."""
    regions = {code: Region.objects.create(code=code, name=label) for code, label in REGIONS}
    cells = ward_cells(seed, count=count)
    placed = []
    for number, (polygon, population) in enumerate(cells, start=1):
        geometry = {"type": "Polygon",
                    "coordinates": [[list(xy) for xy in polygon.exterior.coords]]}
        lat, lon = boundary_check(geometry)
        placed.append([number, population, geometry, lat, lon, _region_of(lon, lat)])
    empty = [code for code, _ in REGIONS if all(p[5] != code for p in placed)]
    for i, code in enumerate(empty):
        placed[i][5] = code
    Ward.objects.bulk_create(
        Ward(code=f"PV{number:03d}", name=f"Ward {number}", population=population,
             region=regions[region], boundary=geometry, centroid_lat=lat, centroid_lon=lon)
        for number, population, geometry, lat, lon, region in placed)
    return regions


def _rating_instrument() -> Instrument:
    """The survey the ratings answer; without it they would silently be none."""
    instrument = Instrument.objects.filter(code="after-contact").order_by("-version").first()
    if instrument is None:  # it comes from a data migration
        raise ProvinceError("The 'after-contact' survey instrument is missing: run "
                            "`imbizo migrate` on this database before building a province.")
    return instrument


def _load(plan, instrument, cases: int, contacts: int, report: ProvinceReport, say) -> None:
    first = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    last = first + cases - 1
    halves = _halves(first, last)
    with _step(report, "cases"):
        _parallel([lambda a=a, b=b: province_sql.cases_insert(plan, a, b) for a, b in halves])
    say(f"  cases written ({report.seconds['cases']:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    with _step(report, "events"):
        _parallel([lambda a=a, b=b: province_sql.events_insert(plan, a, b) for a, b in halves])
    say(f"  events written ({report.seconds['events']:.0f} s)")
    with _step(report, "contacts"):
        rated = province_sql.ratings_insert(plan, instrument.pk)
        system = contacts - rated[0]
        _parallel([
            lambda a=a, b=b, n=n: province_sql.system_contacts_insert(plan, n, a, b)
            for (a, b), n in zip(halves, _split(system, halves), strict=True)])
    say(f"  contacts and ratings written ({report.seconds['contacts']:.0f} s)")
    sequence_reset(Case)


def _halves(first: int, last: int) -> list[tuple[int, int]]:
    middle = (first + last) // 2
    return [(first, middle), (middle + 1, last)] if last > first else [(first, last)]


def _split(count: int, ranges) -> list[int]:
    """`count` shared over `ranges` in proportion to their sizes."""
    sizes = [b - a + 1 for a, b in ranges]
    total = sum(sizes)
    shares = [count * s // total for s in sizes]
    shares[-1] += count - sum(shares)
    return shares


def _parallel(work: list) -> list:
    """Run each item (SQL text or a callable) on its own connection, two at a time."""
    def run(item):
        try:
            with connection.cursor() as cursor:
                for statement in SESSION:
                    cursor.execute(statement)
            if callable(item):
                return item()
            with connection.cursor() as cursor:
                cursor.execute(item)
            return None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, work))


# --- deferring indexes and constraints -----------------------------------------------


def schema_snapshot() -> frozenset[tuple[str, str, str]]:
    """Every index and constraint of the big tables: (table, name, definition)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename = ANY(%s)
            UNION ALL
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)""",
                       [list(BIG_TABLES), list(BIG_TABLES)])
        return frozenset(cursor.fetchall())


@dataclass(frozen=True)
class _Saved:
    constraints: list[tuple[str, str, str, str]]  # table, name, kind, definition
    indexes: list[str]  # CREATE INDEX statements


def _secondary_drop() -> _Saved:
    """Drop the big tables' foreign keys, unique constraints and indexes (not the
    primary keys: the load joins on them); return how to put them back."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u')
            ORDER BY contype DESC, conname""", [list(BIG_TABLES)])
        constraints = cursor.fetchall()
        for table, name, _kind, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))""",
                       [list(BIG_TABLES)])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return _Saved(constraints=constraints, indexes=[d for _n, d in indexes])


def _secondary_restore(saved: _Saved) -> None:
    """Unique constraints and indexes first (two at a time), then foreign keys."""
    unique = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}'
              for t, n, k, d in saved.constraints if k == "u"]
    _parallel(unique + [_index_create(d) for d in _largest_first(saved.indexes)])
    _parallel([f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}'
               for t, n, k, d in saved.constraints if k == "f"])


def _index_create(definition: str):
    """The model's own index (as the migration created it, so PostgreSQL deparses
    it the same way), else the saved definition."""
    name = definition.split(" ON ")[0].split()[-1].strip('"')
    for model in _big_models():
        for index in model._meta.indexes:
            if index.name == name:
                def create(model=model, index=index):
                    with connection.schema_editor() as editor:
                        editor.add_index(model, index)
                return create
    return definition


def _big_models() -> list:
    return [m for m in apps.get_models() if m._meta.db_table in BIG_TABLES]


def _largest_first(statements: list[str]) -> list[str]:
    """Index builds, those on the largest tables first, so the two connections
    finish together."""
    order = {table: i for i, table in enumerate(("cases_caseevent", "engagement_contact",
                                                 "cases_case", "engagement_answer",
                                                 "engagement_response"))}
    return sorted(statements, key=lambda s: next(
        (i for t, i in order.items() if f" {t} " in s or f".{t} " in s), 99))


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for label, table in (("wards", "geo_ward"), ("offices", "org_office"),
                             ("cases", "cases_case"), ("events", "cases_caseevent"),
                             ("contacts", "engagement_contact"),
                             ("responses", "engagement_response"),
                             ("answers", "engagement_answer")):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
            counts[label] = cursor.fetchone()[0]
    return counts
