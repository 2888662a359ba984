"""Partition migration check: the monthly partitioning (ADR 0045) run on a copy
of a large database, without losing a row or changing a rollup.

Builds (or reuses) SOURCE at the schema before the partition migrations, with
CASES historical cases (the demo generator, as bench/dashboards.py builds
them) and CONTACTS contacts, and its rollups rebuilt. Then copies it
(CREATE DATABASE ... TEMPLATE), counts the rows of every table and sums every
rollup measure, migrates the copy forward (timed), counts again, rebuilds the
rollups and sums again. Any difference is printed and the run fails.

Usage: .venv/bin/python bench/partition_check.py [--cases 200000] [--contacts 1000000]
                                                 [--source imbizo_partition_src] [--keep]
       [--build-only]: build the source and stop.
Ends with: partition: C cases, E events, migrate M s, T tables equal, rollups equal
(run it under `flock /work/bench.lock`, as `make bench-partition` does).
"""

import argparse
import os
import sys
import time

from _setup import PG_SERVER, machine, postgres_reachable

COPY = "imbizo_partition_copy"


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def django_setup(name: str) -> None:
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def database_switch(name: str) -> None:
    """Point Django's default connection at database `name`."""
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = name


def targets_before_partitioning() -> list[tuple[str, str]]:
    """Every app's latest migration that is not a partition migration: main's schema."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(connection).graph
    targets = []
    for app, name in graph.leaf_nodes():
        node = (app, name)
        while "_partition_" in node[1]:
            parents = [p for p in graph.node_map[node].parents if p[0] == app]
            node = parents[0] if parents else (app, None)
        targets.append(node)
    return targets


def migrate_to(targets) -> None:
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # What `migrate` does after migrating (permissions, content types), so that
    # the forward migrate later adds only the partitioning.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


def migrate_forward() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def source_build(name: str, cases: int, contacts: int) -> None:
    from dashboards import build

    from imbizo.insights.models import MonthlyCases
    from imbizo.insights.rollups import rollups_rebuild

    if not database_exists(name):
        admin(f'CREATE DATABASE "{name}"')
    database_switch(name)
    migrate_to(targets_before_partitioning())
    build(cases, contacts)
    if not MonthlyCases.objects.exists():
        started = time.monotonic()
        rollups_rebuild()
        print(f"  rollups rebuilt in {time.monotonic() - started:.0f} s", flush=True)


def table_counts() -> dict[str, int]:
    """Rows of every table of the public schema (a partitioned table counts its partitions)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY 1""")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def rollup_sums() -> dict[str, int]:
    """The sum of every measure of every rollup table, and its row count."""
    from django.db.models import Count, Sum

    from imbizo.insights.rollups import CASE_TARGETS, RATING_TARGETS

    sums = {}
    for target in (*CASE_TARGETS, *RATING_TARGETS):
        label = target.model._meta.db_table
        figures = target.model.objects.aggregate(
            rows=Count("pk"), **{measure: Sum(measure) for measure in target.measures})
        for what, value in figures.items():
            sums[f"{label}.{what}"] = value or 0
    return sums


def differences(before: dict, after: dict) -> list[str]:
    """Every key of `before` whose value changed or went missing. django_migrations
    gains the partition migrations' rows by design."""
    return [f"{key}: {before[key]} before, {after.get(key)} after"
            for key in sorted(before) if key != "django_migrations" and before[key] != after.get(key)]


def partitioned_tables() -> dict[str, int]:
    """Each partitioned table and how many partitions it has."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT p.relname, count(i.inhrelid) FROM pg_partitioned_table t
            JOIN pg_class p ON p.oid = t.partrelid
            LEFT JOIN pg_inherits i ON i.inhparent = p.oid GROUP BY 1 ORDER BY 1""")
        return dict(cursor.fetchall())


def check(source: str) -> int:
    from imbizo.insights.rollups import rollups_rebuild

    database_switch("postgres")
    admin(f'DROP DATABASE IF EXISTS "{COPY}" WITH (FORCE)')
    started = time.monotonic()
    admin(f'CREATE DATABASE "{COPY}" TEMPLATE "{source}"')
    print(f"  copied {source} to {COPY} in {time.monotonic() - started:.0f} s", flush=True)
    database_switch(COPY)
    counts_before, sums_before = table_counts(), rollup_sums()
    started = time.monotonic()
    migrate_forward()
    migrate_seconds = time.monotonic() - started
    print(f"  migrated forward in {migrate_seconds:.1f} s; partitioned: {partitioned_tables()}",
          flush=True)
    counts_after = table_counts()
    started = time.monotonic()
    rollups_rebuild()
    print(f"  rollups rebuilt in {time.monotonic() - started:.0f} s", flush=True)
    sums_after = rollup_sums()
    lost = differences(counts_before, counts_after)
    changed = differences(sums_before, sums_after)
    for line in lost + changed:
        print(f"  DIFFERENT {line}")
    print(f"partition: {counts_after['cases_case']:,} cases, "
          f"{counts_after['cases_caseevent']:,} events, migrate {migrate_seconds:.1f} s, "
          f"{len(counts_before) - len(lost)}/{len(counts_before)} tables equal, "
          f"rollups {'equal' if not changed else 'DIFFERENT'} ({len(sums_after)} sums)")
    return 1 if lost or changed else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--source", default="imbizo_partition_src")
    parser.add_argument("--keep", action="store_true", help="Keep the source and the copy.")
    parser.add_argument("--build-only", action="store_true", help="Build the source and stop.")
    args = parser.parse_args()
    if not postgres_reachable():
        sys.exit("bench-partition needs PostgreSQL (PG_BENCH_SERVER)")
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.1f}", flush=True)
    django_setup(args.source)
    started = time.monotonic()
    source_build(args.source, args.cases, args.contacts)
    print(f"  source {args.source} ready in {time.monotonic() - started:.0f} s", flush=True)
    if args.build_only:
        return
    failed = check(args.source)
    database_switch("postgres")
    if not args.keep:
        admin(f'DROP DATABASE IF EXISTS "{COPY}" WITH (FORCE)')
        admin(f'DROP DATABASE IF EXISTS "{args.source}" WITH (FORCE)')
    sys.exit(failed)


if __name__ == "__main__":
    main()
