"""Province benchmark: build a whole province (imbizo demo --province) and time
the insight pages and the public tracking page while the primary takes
citizen reports.

Builds the province in PostgreSQL database --db (or reuses it with --keep:
a database that already holds a province is timed as it is, and its rollups
rebuilt to time the rebuild), then, while --posters background processes
post --rate reports a second in all through the real report view (Django test
client), times each page --runs times after a warm-up (server time, in
process, as bench/dashboards.py does). Without --keep the database is dropped
at the end.

Usage: .venv/bin/python bench/province.py [--cases 12000000] [--contacts 60000000]
           [--db imbizo_province] [--keep] [--runs 40] [--rate 100]
Ends with one line:
  province: C cases, K contacts, build B s, rebuild R s, p95 warroom W ms, needs N ms,
  scorecard S ms, ward D ms, track T ms, replica p95 P ms
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import time

from _setup import PG_SERVER, database_kept, django_start, machine, postgres_reachable

REPORT = {"kind": "request", "service": "water-leak",
          "description": "Water is running down the street from a broken pipe.",
          "citizen_name": "Bench Citizen", "citizen_email": "bench@example.org",
          "contact_consent": "on"}


def post_reports(url: str, rate: float) -> None:
    """Background mode: post `rate` reports a second until SIGTERM, then print
    how many were taken (HTTP 200 or redirect) and how many failed."""
    # Every report comes from this one address; the public rate limits would answer 429.
    os.environ["RATE_LIMITS_ENABLED"] = "false"
    django_start(url)
    from django.test import Client

    from imbizo.geo.models import Ward

    wards = list(Ward.objects.values_list("centroid_lat", "centroid_lon"))
    client, taken, failed = Client(), 0, 0
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    started = time.monotonic()
    while not stop:
        lat, lon = random.choice(wards)
        response = client.post("/report/", {**REPORT, "lat": f"{lat:.5f}", "lon": f"{lon:.5f}"})
        if response.status_code in (200, 302):
            taken += 1
        else:
            failed += 1
        # Paced: sleep until the next report is due (none when running behind).
        time.sleep(max(0.0, started + (taken + failed) / rate - time.monotonic()))
    print(f"{taken} {failed} {time.monotonic() - started:.1f}", flush=True)


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


def build_or_reuse(args) -> tuple[str, float]:
    """Build the province (its build and rollup seconds), or reuse the one there."""
    from imbizo.demo.province import province_build
    from imbizo.insights.rollups import rollups_rebuild
    from imbizo.org.models import Institution

    if Institution.objects.exists():
        if not args.keep:
            sys.exit(f"Database {args.db} already holds data: pass --keep to reuse it, or "
                     f"drop it first.")
        print("  reusing the province already built; rebuilding its rollups", flush=True)
        started = time.monotonic()
        rollups_rebuild()
        return "n/a (reused)", time.monotonic() - started
    started = time.monotonic()
    report = province_build(name="Gauteng Province", cases=args.cases, contacts=args.contacts,
                            say=lambda line: print(line, flush=True))
    print(f"  built: {report.line()}", flush=True)
    return f"{time.monotonic() - started:.0f}", report.seconds["rollups"]


def posters_start(url: str, rate: float, count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, __file__, "--post", url, "--rate", str(rate / count)],
                             stdout=subprocess.PIPE, text=True) for _ in range(count)]


def posters_stop(posters: list[subprocess.Popen], seconds: float) -> str:
    taken = failed = 0
    for poster in posters:
        poster.send_signal(signal.SIGTERM)
        out, _ = poster.communicate(timeout=60)
        ok, bad, _elapsed = (out.split() or ["0", "0", "0"])[:3]
        taken, failed = taken + int(ok), failed + int(bad)
    return f"{taken:,} reports taken ({taken / seconds:.0f} a second), {failed} failed"


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
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rate", type=float, default=100.0, help="Reports a second, in all.")
    parser.add_argument("--posters", type=int, default=2)
    parser.add_argument("--post", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.post:
        return post_reports(args.post, args.rate)
    if not postgres_reachable():
        sys.exit("bench-province needs PostgreSQL (PG_BENCH_SERVER)")
    url = database_kept(args.db)
    django_start(url)
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.1f}", flush=True)
    build, rebuild = build_or_reuse(args)
    try:
        figures = pages_timed(url, args)
    finally:
        if not args.keep:
            database_drop(args.db)
    print("province: {cases:,} cases, {contacts:,} contacts, build {build} s, rebuild "
          "{rebuild:.0f} s, p95 warroom {warroom:.0f} ms, needs {needs:.0f} ms, scorecard "
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
    connections.close_all()  # the posters fork nothing, but start from a clean slate
    posters = posters_start(url, args.rate, args.posters)
    started = time.monotonic()
    try:
        time.sleep(5)  # let the posters reach their pace
        figures = {name: timed(fn, args.runs) for name, fn in pages.items()}
    finally:
        taken = posters_stop(posters, time.monotonic() - started)
    for name, value in figures.items():
        print(f"  {name}: p95 {value:.0f} ms", flush=True)
    print(f"  while timing: {taken}; load {os.getloadavg()[0]:.1f}", flush=True)
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
