"""Province benchmark: build a whole province (imbizo demo --province) and time
the insight pages and the public tracking page while the primary takes
citizen reports.

Builds the province in PostgreSQL database --db (or reuses it with --keep:
a database that already holds a province is timed as it is, and its rollups
rebuilt to time the rebuild, unless --skip-rebuild), then, while gunicorn
(--workers sync workers) takes --rate reports a second posted by wrk at a fixed
rate (bench/_load.py), times each page --runs times after a warm-up (server
time, in process, as bench/dashboards.py does). Without --keep the database is
dropped at the end.

Usage: .venv/bin/python bench/province.py [--cases 12000000] [--contacts 60000000]
           [--db imbizo_province] [--keep [--skip-rebuild]] [--runs 40] [--rate 100]
           [--workers 2]
Ends with one line:
  province: C cases, K contacts, build B s, rebuild R s, p95 warroom W ms, needs N ms,
  scorecard S ms, ward D ms, track T ms, replica p95 P ms
"""

import argparse
import os
import random
import sys
import time

from _load import ReportLoad, report_forms
from _setup import PG_SERVER, database_kept, django_start, machine, postgres_reachable


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def timed(fn, runs: int) -> float:
    fn()  # warm-up: caches, snapshots, plans
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return p95(samples)


def build_or_reuse(args) -> tuple[str, str]:
    """Build the province (its build and rollup seconds), or reuse the one there
    (rebuilding its rollups to time the rebuild, unless --skip-rebuild)."""
    from imbizo.demo.province import province_build
    from imbizo.insights.rollups import rollups_rebuild
    from imbizo.org.models import Institution

    if Institution.objects.exists():
        if not args.keep:
            sys.exit(f"Database {args.db} already holds data: pass --keep to reuse it, or "
                     f"drop it first.")
        if args.skip_rebuild:
            print("  reusing the province already built, rollups as they are", flush=True)
            return "n/a (reused)", "n/a (--skip-rebuild: timed when built)"
        print("  reusing the province already built; rebuilding its rollups", flush=True)
        started = time.monotonic()
        rollups_rebuild()
        return "n/a (reused)", f"{time.monotonic() - started:.0f}"
    started = time.monotonic()
    report = province_build(name="Gauteng Province", cases=args.cases, contacts=args.contacts,
                            say=lambda line: print(line, flush=True))
    print(f"  built: {report.line()}", flush=True)
    return f"{time.monotonic() - started:.0f}", f"{report.seconds['rollups']:.0f}"


def server_settings() -> str:
    """The PostgreSQL settings a bulk load depends on, so a figure says what it ran under."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)"
                       " ORDER BY name", [["shared_buffers", "max_wal_size", "checkpoint_timeout"]])
        return "PostgreSQL " + ", ".join(f"{name} {value}" for name, value in cursor.fetchall())


def replica_p95() -> str:
    from django.conf import settings

    if "replica" not in settings.DATABASES:
        return "n/a (see bench-replica)"
    return "n/a (see bench-replica: this benchmark times the primary)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=12_000_000)
    parser.add_argument("--contacts", type=int, default=60_000_000)
    parser.add_argument("--db", default="imbizo_province")
    parser.add_argument("--keep", action="store_true", help="Keep (and reuse) the database.")
    parser.add_argument("--skip-rebuild", action="store_true",
                        help="With --keep, reuse the province without timing a rollup rebuild.")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rate", type=float, default=100.0, help="Reports a second, in all.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers taking the reports")
    args = parser.parse_args()
    if args.skip_rebuild and not args.keep:
        parser.error("--skip-rebuild reuses a province: pass --keep as well")
    if not postgres_reachable():
        sys.exit("bench-province needs PostgreSQL (PG_BENCH_SERVER)")
    url = database_kept(args.db)
    django_start(url)
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.1f}; {server_settings()}", flush=True)
    build, rebuild = build_or_reuse(args)
    try:
        figures = pages_timed(url, args)
    finally:
        if not args.keep:
            database_drop(args.db)
    print("province: {cases:,} cases, {contacts:,} contacts, build {build} s, rebuild "
          "{rebuild} s, p95 warroom {warroom:.0f} ms, needs {needs:.0f} ms, scorecard "
          "{scorecard:.0f} ms, ward {ward:.0f} ms, track {track:.0f} ms, replica p95 "
          "{replica}".format(build=build, rebuild=rebuild, replica=replica_p95(), **figures))


def pages_timed(url: str, args) -> dict:
    # As the web server starts its workers (config/wsgi.py).
    from django.db import connections
    from django.test import Client

    import config.wsgi  # noqa: F401
    from imbizo.cases.models import Case
    from imbizo.engagement.models import Contact
    from imbizo.geo.models import Ward
    from imbizo.org.models import Role, Staff

    counts = {"cases": Case.objects.count(), "contacts": Contact.objects.count()}
    staff, public = Client(), Client()
    staff.force_login(Staff.objects.filter(role=Role.MANAGER).first().user)
    ward = Ward.objects.order_by("code").first()
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    references = list(Case.objects.filter(pk__in=random.Random(1).sample(
        range(1, top + 1), min(200, top))).values_list("reference", flat=True))

    def page(client, url_of):
        def get():
            response = client.get(url_of())
            assert response.status_code == 200, (url_of(), response.status_code)
        return get

    pages = {"warroom": page(staff, lambda: "/warroom/"), "needs": page(staff, lambda: "/needs/"),
             "scorecard": page(staff, lambda: "/scorecard/"),
             "ward": page(staff, lambda: f"/wards/{ward.code}/"),
             "track": page(public, lambda: f"/track/{random.choice(references)}/")}
    forms = report_forms()
    connections.close_all()  # gunicorn's workers open their own
    env = {**os.environ, "DATABASE_URL": url}
    with ReportLoad(env=env, forms=forms, rate=args.rate, workers=args.workers) as load:
        time.sleep(5)  # gunicorn's workers warm up and the load reaches its pace
        figures = {name: timed(fn, args.runs) for name, fn in pages.items()}
        load_average = os.getloadavg()[0]
    for name, value in figures.items():
        print(f"  {name}: p95 {value:.0f} ms", flush=True)
    print(f"  while timing: {load.result.line(args.rate)}; load {load_average:.1f}", flush=True)
    return {**counts, **figures}


def database_drop(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"  dropped {name} (pass --keep to keep it)", flush=True)


if __name__ == "__main__":
    main()
