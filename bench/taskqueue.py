"""Task queue benchmark: the worker's claim query over many finished tasks.

Fills django-tasks-db's table with --finished SUCCESSFUL/FAILED rows (one
INSERT ... SELECT over generate_series per million, no Python per row),
--ready waiting tasks and two RUNNING ones, ANALYZEs it, then captures the
exact SQL `imbizo worker` sends to claim a task (its django-tasks-db Worker,
configured as the command configures it, with a connection.execute_wrapper)
and prints EXPLAIN (ANALYZE, BUFFERS) of it and of the reclaim of dead
workers' tasks (imbizo.ops.reclaim), with their median time over --runs.
PostgreSQL only. Ends with:
  taskqueue: F finished rows, claim C ms (index scan: yes|no), reclaim R ms

Usage: .venv/bin/python bench/taskqueue.py [--finished 10000000] [--ready 1000] [--keep]
"""

import argparse
import contextlib
import statistics
import time

from _setup import PG_SERVER, database_fresh, database_kept, django_start, machine

DATABASE = "imbizo_intake_taskqueue"
CHUNK = 1_000_000
TABLE = "django_tasks_database_dbtaskresult"
TASK_PATHS = ("imbizo.notify.tasks.outbox_sweep", "imbizo.clocks.tasks.clocks_sweep_task",
              "imbizo.notify.tasks.outbox_deliver", "imbizo.rollups.tasks.rollups_fold_task")


class Captured(Exception):
    """Raised from the wrapper once the claim SQL is seen: the worker stops there."""


def rows_insert(cursor, *, first: int, count: int, status_sql: str) -> None:
    """`count` task rows in one statement; `status_sql` is an SQL expression of i."""
    paths = "ARRAY[" + ",".join(f"'{p}'" for p in TASK_PATHS) + "]"
    cursor.execute(f"""
        INSERT INTO {TABLE} (id, status, enqueued_at, started_at, finished_at, args_kwargs,
            priority, task_path, worker_ids, queue_name, backend_name, run_after,
            return_value, exception_class_path, traceback)
        SELECT gen_random_uuid(), s.status,
               now() - make_interval(secs => i * 0.0086),
               now() - make_interval(secs => i * 0.0086 - 0.01),
               CASE WHEN s.status IN ('SUCCESSFUL', 'FAILED')
                    THEN now() - make_interval(secs => i * 0.0086 - 0.2) END,
               '{{"args": [], "kwargs": {{}}}}'::jsonb, 0,
               ({paths})[1 + mod(i, {len(TASK_PATHS)})], '["bench-host-1"]'::jsonb,
               'default', 'default', '9999-01-01 00:00:00+00',
               CASE WHEN s.status = 'SUCCESSFUL' THEN '0'::jsonb END, '', ''
        FROM generate_series(%s, %s) AS i, LATERAL (SELECT {status_sql} AS status) AS s
    """, [first, first + count - 1])  # noqa: S608 - constants and our own SQL expression


def fill(*, finished: int, ready: int) -> float:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        for first in range(0, finished, CHUNK):
            count = min(CHUNK, finished - first)
            rows_insert(cursor, first=first, count=count,
                        status_sql="CASE WHEN mod(i, 50) = 0 THEN 'FAILED' ELSE 'SUCCESSFUL' END")
            print(f"  {first + count:,} finished rows", flush=True)
        rows_insert(cursor, first=finished, count=ready, status_sql="'READY'")
        rows_insert(cursor, first=finished + ready, count=2, status_sql="'RUNNING'")
        cursor.execute(f"ANALYZE {TABLE}")
    return time.monotonic() - started


def claim_sql() -> tuple[str, tuple]:
    """The SQL and parameters `imbizo worker`'s loop sends to claim a task."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    from imbizo.server.management.commands.worker import LONG_QUEUES

    seen: list = []

    def capture(execute, sql, params, many, context):
        if "SKIP LOCKED" in sql:
            seen.append((sql, tuple(params)))
            raise Captured
        return execute(sql, params, many, context)

    worker = Worker(queue_names=["*"], interval=1.0, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="bench",
                    excluded_queue_names=list(LONG_QUEUES))
    with connection.execute_wrapper(capture), contextlib.suppress(Captured):
        worker.run()
    return seen[0]


def explain(sql: str, params: tuple) -> str:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def timed(sql: str, params: tuple, runs: int) -> float:
    """Median milliseconds of `sql`, each run in its own rolled-back transaction."""
    from django.db import connection, transaction

    times = []
    for _ in range(runs):
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall() if cursor.description else None
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return statistics.median(times)


def reclaim_sql() -> tuple[str, tuple]:
    from django.db import connection

    from imbizo.ops.reclaim import tasks_reclaim

    seen: list = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, tuple(params)))
        raise Captured

    with connection.execute_wrapper(capture), contextlib.suppress(Captured):
        tasks_reclaim()
    return seen[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--finished", type=int, default=10_000_000)
    parser.add_argument("--ready", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", action="store_true",
                        help=f"keep (and on the next run reuse) the database {DATABASE}")
    args = parser.parse_args()
    url = database_kept(DATABASE) if args.keep else database_fresh(DATABASE)
    if not url.startswith("postgres"):
        raise SystemExit("bench-taskqueue needs PostgreSQL (PG_BENCH_SERVER)")
    django_start(url)
    from django.db import connection

    print(f"database: {connection.vendor}; machine: {machine()}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE status IN ('SUCCESSFUL', 'FAILED')")  # noqa: S608
        present = cursor.fetchone()[0]
    if present != args.finished:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")
        print(f"filling {args.finished:,} finished task rows ...", flush=True)
        print(f"filled in {fill(finished=args.finished, ready=args.ready):.0f} s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_size_pretty(pg_total_relation_size('{TABLE}'))")
        print(f"table with its indexes: {cursor.fetchone()[0]}")
    results = {}
    for name, (sql, params) in (("claim", claim_sql()), ("reclaim", reclaim_sql())):
        plan = explain(sql, params)
        print(f"\n== {name}: {sql % tuple(repr(p) for p in params)}\n{plan}")
        results[name] = (timed(sql, params, args.runs), plan)
    connection.close()
    if not args.keep:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    claim_ms, claim_plan = results["claim"]
    index_scan = "Index Scan using tasks_db_new_ordering_idx" in claim_plan
    print(f"\ntaskqueue: {args.finished:,} finished rows, claim {claim_ms:.2f} ms "
          f"(index scan: {'yes' if index_scan else 'no'}), reclaim {results['reclaim'][0]:.2f} ms")


if __name__ == "__main__":
    main()
