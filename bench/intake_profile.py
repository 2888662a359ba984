"""Where one citizen report's time goes, end to end, on PostgreSQL.

Seeds the same world as bench/intake.py, then, through Django's test client
(the whole middleware stack and view, no HTTP server, no CSRF check):
  1. the queries of one report (CaptureQueriesContext): count, time, SQL;
  2. the server time of the case's INSERT statement: EXPLAIN (ANALYZE,
     BUFFERS) with the foreign keys checked at once (SET CONSTRAINTS ALL
     IMMEDIATE) so their triggers show, rolled back;
  3. what each of the case table's indexes costs that statement: the mean
     server time of --inserts runs with all indexes, then without each one
     in turn (dropped inside a transaction that is rolled back);
  4. Python time per layer over --reports reports (cProfile, own time
     grouped by package);
  5. CPU time per request (time.process_time) of a report and of the
     ceiling's one-row view, the same client and middleware: unlike wall
     time, it hardly moves with the machine's load.
With --cpu, step 4 counts CPU time (cProfile with process_time), so waits
for the server and for the CPU drop out of the shares.

Usage: .venv/bin/python bench/intake_profile.py [--reports 500] [--inserts 200] [--cpu]
       .venv/bin/python bench/intake_profile.py --cpu-only 5 --reports 200  (step 5 alone)
"""

import argparse
import contextlib
import cProfile
import os
import pstats
import statistics
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from _setup import database_fresh, machine

BENCH = Path(__file__).resolve().parent
CASE_TABLE = "cases_case"

# Own (tottime) CPU grouped by where the function lives: first match wins.
LAYERS = (
    ("database driver (psycopg, socket waits)", ("psycopg", "{method 'execute' of",
                                                  "{method 'recv", "{method 'send")),
    ("Django ORM and SQL compiler", ("django/db/",)),
    ("Django forms", ("django/forms/",)),
    ("Django templates", ("django/template",)),
    ("Django request, middleware, URLs", ("django/core/handlers", "django/middleware",
                                          "django/urls", "django/http", "django/contrib")),
    ("Django other (i18n, utils, signals)", ("django/",)),
    ("Imbizo cases (case_open, clocks, rules)", ("imbizo/cases/",)),
    ("Imbizo portal and web (view, form)", ("imbizo/portal/", "imbizo/web/")),
    ("Imbizo other apps (catalogue, geo, ops, ...)", ("imbizo/",)),
    ("test client", ("django/test",)),
    ("Python standard library and the rest", ("",)),
)


def report_body(where: dict) -> dict:
    return {
        "kind": "request", "service": "water-leak",
        "description": "Water is running down the street from a broken pipe.",
        "lat": where["lat"], "lon": where["lon"], "citizen_name": "Bench Citizen",
        "citizen_email": "bench@example.org", "contact_consent": "on",
        "idempotency_key": uuid.uuid4().hex,
    }


def post_report(client, where: dict) -> None:
    # Form-encoded, as browsers and wrk send it (the test client's default,
    # multipart, costs the parser several times more).
    response = client.post("/report/", urlencode(report_body(where)),
                           content_type="application/x-www-form-urlencoded")
    if response.status_code != 302:
        raise SystemExit(f"the report was not accepted: HTTP {response.status_code}")


def queries_of_one(client, where) -> list[tuple[float, str]]:
    """(milliseconds, SQL) of each statement one report sends, timed around the
    driver call (Django's own capture rounds to whole milliseconds)."""
    from django.db import connection

    timed = []

    def clock(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(clock):
        post_report(client, where)
    return timed


def insert_statement(client, where) -> tuple[str, tuple]:
    """The case's INSERT as the view sends it (captured, not run)."""
    from django.db import connection

    seen = []

    class Captured(Exception):
        pass

    def capture(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("WITH", "INSERT")) and CASE_TABLE in sql:
            seen.append((sql, tuple(params)))
            raise Captured
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture), contextlib.suppress(Captured):
        post_report(client, where)
    return seen[0]


def insert_explained(sql: str, params: tuple) -> str:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def insert_server_ms(cursor, sql: str, params: tuple, runs: int) -> float:
    """Mean server time of the INSERT (EXPLAIN ANALYZE's execution time), each
    run under a savepoint released... and rolled back with the transaction."""
    times = []
    for _ in range(runs):
        cursor.execute("SAVEPOINT one")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]
        times.append(plan["Execution Time"] + plan["Planning Time"])
        cursor.execute("ROLLBACK TO SAVEPOINT one")
    return statistics.mean(times)


def index_costs(sql: str, params: tuple, runs: int) -> list[tuple[str, float]]:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1",
                       [CASE_TABLE])
        names = [row[0] for row in cursor.fetchall()]
    costs = []
    with transaction.atomic(), connection.cursor() as cursor:
        costs.append(("(all indexes)", insert_server_ms(cursor, sql, params, runs)))
        transaction.set_rollback(True)
    for name in names:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT conname FROM pg_constraint WHERE conindid = "
                           "(SELECT oid FROM pg_class WHERE relname = %s)", [name])
            constraint = cursor.fetchone()
            if constraint:  # a primary key or unique constraint: kept, it is a rule
                transaction.set_rollback(True)
                continue
            cursor.execute(f'DROP INDEX "{name}"')
            costs.append((name, insert_server_ms(cursor, sql, params, runs)))
            transaction.set_rollback(True)
    with transaction.atomic(), connection.cursor() as cursor:
        for name in names:
            cursor.execute("SELECT 1 FROM pg_constraint WHERE conindid = "
                           "(SELECT oid FROM pg_class WHERE relname = %s)", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'DROP INDEX "{name}"')
        costs.append(("(no index but the rules')", insert_server_ms(cursor, sql, params, runs)))
        transaction.set_rollback(True)
    return costs


def layer_of(filename: str, function: str) -> str:
    where = f"{filename} {function}"
    if "django/test" in filename:
        return "test client"
    for layer, marks in LAYERS:
        if any(mark in where for mark in marks):
            return layer
    return LAYERS[-1][0]


def cpu_per_request(client, where, runs: int, rounds: int = 1) -> tuple[float, float]:
    """Milliseconds of this process's CPU per report and per ceiling request:
    the least of `rounds` rounds of `runs` each, the two kinds taking turns
    (on a shared machine the least is the figure other work disturbed least)."""
    def ceiling() -> None:
        response = client.post("/bench/ceiling", urlencode({"description": "A broken pipe."}),
                               content_type="application/x-www-form-urlencoded")
        if response.status_code != 201:
            raise SystemExit(f"the ceiling answered HTTP {response.status_code}")

    sends = (lambda: post_report(client, where), ceiling)
    for send in sends:
        for _ in range(30):
            send()
    figures: list[list[float]] = [[], []]
    for _ in range(rounds):
        for send, figure in zip(sends, figures, strict=True):
            started = time.process_time()
            for _ in range(runs):
                send()
            figure.append((time.process_time() - started) / runs * 1000)
    return min(figures[0]), min(figures[1])


def profiled(client, where, reports: int, cpu: bool = False) -> tuple[float, dict]:
    profile = cProfile.Profile(time.process_time) if cpu else cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(reports):
        post_report(client, where)
    profile.disable()
    wall = time.perf_counter() - started
    per_layer: dict[str, float] = defaultdict(float)
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in \
            pstats.Stats(profile).stats.items():
        per_layer[layer_of(filename, function)] += tottime
    print("\n== the 25 functions with the most own time (cProfile)")
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    print("\n== Imbizo's and Django's functions by time including callees (cProfile)")
    ours = r"imbizo/|django/(forms|db/models/base|core/handlers/base|middleware)"
    pstats.Stats(profile).sort_stats("cumulative").print_stats(ours, 40)
    return wall, per_layer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--inserts", type=int, default=200)
    parser.add_argument("--cpu", action="store_true", help="profile CPU time, not wall time")
    parser.add_argument("--cpu-only", type=int, metavar="ROUNDS", default=0,
                        help="only step 5, the least of ROUNDS rounds of --reports each")
    args = parser.parse_args()
    url = database_fresh("imbizo_intake_profile")
    if not url.startswith("postgres"):
        raise SystemExit("the profile is of PostgreSQL (PG_BENCH_SERVER)")
    sys.path.insert(0, str(BENCH))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from intake import seed

    setup_test_environment()  # the test client needs it (ALLOWED_HOSTS gets "testserver")
    print(f"database: {connection.vendor}; machine: {machine()}")
    where = seed()
    client = Client()
    for _ in range(50):  # warm: snapshots, templates, connections
        post_report(client, where)
    if args.cpu_only:
        report_cpu, ceiling_cpu = cpu_per_request(client, where, args.reports, args.cpu_only)
        print(f"intake-cpu: report {report_cpu:.2f} ms, ceiling {ceiling_cpu:.2f} ms, "
              f"x{report_cpu / ceiling_cpu:.1f} (least of {args.cpu_only} rounds of "
              f"{args.reports}); load {os.getloadavg()[0]:.1f}")
        return

    queries = queries_of_one(client, where)
    print(f"\n== statements of one report: {len(queries)}, "
          f"{sum(ms for ms, _sql in queries):.2f} ms in all (client side)")
    for ms, sql in queries:
        print(f"  {ms:6.2f} ms  {' '.join(sql.split())[:150]}")

    sql, params = insert_statement(client, where)
    print(f"\n== the INSERT, EXPLAIN (ANALYZE, BUFFERS), foreign keys checked at once\n"
          f"{insert_explained(sql, params)}")

    print(f"\n== server time of the INSERT without each index (mean of {args.inserts}, ms)")
    costs = index_costs(sql, params, args.inserts)
    everything = costs[0][1]
    for name, ms in costs:
        print(f"  {ms:6.3f} ms  {everything - ms:+6.3f}  {name}")

    wall, per_layer = profiled(client, where, args.reports, cpu=args.cpu)
    total = sum(per_layer.values())
    print(f"\n== Python time per layer over {args.reports} reports (cProfile own time; "
          f"wall {wall / args.reports * 1000:.2f} ms per report under the profiler)")
    for layer, seconds in sorted(per_layer.items(), key=lambda item: -item[1]):
        print(f"  {seconds / args.reports * 1000:6.2f} ms  {seconds / total:5.1%}  {layer}")
    report_cpu, ceiling_cpu = cpu_per_request(client, where, args.reports)
    print(f"\n== CPU per request over {args.reports} (time.process_time): report "
          f"{report_cpu:.2f} ms, ceiling {ceiling_cpu:.2f} ms, "
          f"x{report_cpu / ceiling_cpu:.1f}; load {os.getloadavg()[0]:.1f}")
    print(f"\nintake-profile: {len(queries)} statements per report, "
          f"{total / args.reports * 1000:.2f} ms per report under cProfile")


if __name__ == "__main__":
    main()
