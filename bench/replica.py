"""Replica benchmark: the public and insight pages read from a streaming replica
while the primary takes REPORT_RATE (100) citizen reports a second.

The machine's own PostgreSQL allows no replication, so the data lives in a
throwaway primary with a real streaming replica (tests/core/replica_cluster.py,
initdb and pg_basebackup under /tmp, removed at the end). It builds a province
of CASES cases and CONTACTS contacts with the province generator (`imbizo demo
--province`, rollups included) in the primary, copies it to the replica, then:

1. starts gunicorn (--workers sync workers) on the primary and posts the report
   form at REPORT_RATE a second with wrk at a fixed rate (bench/_load.py),
   spread over the province's wards and services;
2. times each page in this process through the whole middleware stack
   (Django test client, DATABASE_REPLICA_URL set): first reading from the
   replica, then pinned to the primary (the pin cookie) under the same load;
3. reports the reports' rate and p99, the CPU each part took, the replica's
   worst lag, and the fallbacks to the primary (there should be none).

Usage: .venv/bin/python bench/replica.py [--cases 2000000] [--contacts 10000000]
                                         [--rate 100] [--runs 40] [--workers 2]
                                         [--explain PAGE]
Ends with: replica: C cases, R reports/s; p95 from the replica: warroom A ms, ...;
           pinned to the primary: ...
"""

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time

import psycopg
from _load import ReportLoad, report_forms
from _setup import ROOT, machine

sys.path.insert(0, str(ROOT))

from tests.core.replica_cluster import StreamingPair  # noqa: E402

PAGES = ("warroom", "needs", "scorecard", "ward", "services", "track")


def environment(pair: StreamingPair) -> dict:
    return {
        "DATABASE_URL": pair.primary.url("imbizo"),
        "DATABASE_REPLICA_URL": pair.replica.url("imbizo"),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        # The load comes from one address, which the public limits would throttle (429).
        "RATE_LIMITS_ENABLED": "false",
        "ACCESS_LOG_LEVEL": "WARNING",
    }


def data_build(pair: StreamingPair, cases: int, contacts: int) -> None:
    """A province of `cases` cases and `contacts` contacts, rollups built, on the primary."""
    subprocess.run([str(pair.primary.bin_dir / "createdb"), "-h", "127.0.0.1",
                    "-p", str(pair.primary.port), "-U", "postgres", "imbizo"], check=True)
    os.environ.update(environment(pair))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from imbizo.demo.province import province_build

    started = time.monotonic()
    report = province_build(name="Gauteng Province", cases=cases, contacts=contacts,
                            say=lambda line: print(f"  {line}", flush=True))
    print(f"  built and rolled up in {time.monotonic() - started:.0f} s: {report.line()}",
          flush=True)


def replica_disk_check(pair: StreamingPair) -> None:
    """The replica is a whole copy of the primary: refuse to start it without the room."""
    with psycopg.connect(pair.primary.url("postgres"), autocommit=True) as conn:
        size = float(conn.execute("SELECT sum(pg_database_size(datname)) FROM pg_database")
                     .fetchone()[0])
    free = shutil.disk_usage(pair.root).free
    print(f"  the replica needs about {size / 2**30:.1f} GiB; {free / 2**30:.1f} GiB free "
          f"under {pair.root}", flush=True)
    if size * 1.2 > free:
        raise SystemExit("not enough disk for the replica's copy: free some space or ask for "
                         "fewer cases")


class LagWatch:
    """The replica's worst lag while the load runs, looked at every half second."""

    def __init__(self):
        self.worst = 0.0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from django.db import connections

        from imbizo.core.replica import replica_lag_measure

        try:
            while not self.stopping.wait(0.5):
                lag = replica_lag_measure()
                self.worst = max(self.worst, float("inf") if lag is None else lag)
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join()


def pages_urls(reference: str) -> dict:
    """Each timed page: the client that asks for it (a manager or a citizen) and its URL."""
    from django.test import Client

    from imbizo.geo.models import Ward
    from imbizo.org.models import Role, Staff

    analyst = Client()
    analyst.force_login(Staff.objects.filter(role=Role.MANAGER).first().user)
    citizen = Client()
    ward = Ward.objects.order_by("code").first()
    return {"warroom": (analyst, "/warroom/"), "needs": (analyst, "/needs/"),
            "scorecard": (analyst, "/scorecard/"), "ward": (analyst, f"/wards/{ward.code}/"),
            "services": (citizen, "/services/"), "track": (citizen, f"/track/{reference}/")}


def pages_time(runs: int, *, pinned: bool, reference: str) -> dict[str, float]:
    """p95 in ms of each page, read from the replica (or pinned to the primary);
    `reference` is a case both databases hold (not one the load just wrote)."""
    import time as clock

    from dashboards import p95

    from imbizo.core.replica import PIN_COOKIE

    urls = pages_urls(reference)
    figures = {}
    for name, (client, url) in urls.items():
        samples = []
        for _ in range(runs + 1):  # the first is a warm-up
            if pinned:
                client.cookies[PIN_COOKIE] = f"{clock.time() + 60:.3f}"
            else:
                client.cookies.pop(PIN_COOKIE, None)
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        figures[name] = p95(samples[1:])
    return figures


def explain_slowest(page: str, *, reference: str) -> None:
    """One request of `page` from the replica: its queries' times and the plan of
    the slowest, run again on the replica with EXPLAIN ANALYZE."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from imbizo.core.replica import REPLICA

    timed_urls = pages_urls(reference)
    client, url = timed_urls[page]
    with CaptureQueriesContext(connections[REPLICA]) as replica_queries:
        client.get(url)
    queries = sorted(replica_queries.captured_queries, key=lambda q: -float(q["time"]))
    print(f"  {page} from the replica: {len(queries)} queries, "
          f"{sum(float(q['time']) for q in queries) * 1000:.0f} ms", flush=True)
    if queries:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, SETTINGS) " + queries[0]["sql"])
            for (line,) in cursor.fetchall():
                print(f"    {line}", flush=True)


def fallbacks() -> float:
    from prometheus_client import REGISTRY

    return sum(REGISTRY.get_sample_value("imbizo_replica_fallback_total", {"reason": r}) or 0.0
               for r in ("lag", "down"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--rate", type=float, default=100.0, help="reports a second")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers taking the reports")
    parser.add_argument("--explain", default="", metavar="PAGE",
                        help="after the timing, EXPLAIN ANALYZE the slowest query of PAGE on the replica")
    args = parser.parse_args()
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.1f}", flush=True)
    pair = StreamingPair.create(shared_buffers="1GB")
    try:
        print(f"  throwaway primary :{pair.primary.port}, replica :{pair.replica.port} "
              f"in {pair.root}", flush=True)
        data_build(pair, args.cases, args.contacts)
        from django.db import connections

        connections.close_all()
        replica_disk_check(pair)
        started = time.monotonic()
        pair.replica_start()
        pair.caught_up_wait(timeout=600)
        print(f"  replica copied and caught up in {time.monotonic() - started:.0f} s", flush=True)
        from imbizo.cases.models import Case

        cases = Case.objects.count()
        reference = Case.objects.order_by("-pk").values_list("reference", flat=True).first()
        forms = report_forms()
        # As the web server starts its workers (config/wsgi.py): the views imported and
        # the start-up heap, the province's build included, frozen out of the garbage
        # collector's walks. Without it a full collection walked that heap every few
        # requests of the needs map (209-228 ms p95 against 83-92 ms on the same data).
        import config.wsgi  # noqa: F401

        connections.close_all()  # gunicorn's workers open their own
        load = ReportLoad(env={**os.environ}, forms=forms, rate=args.rate, workers=args.workers,
                          logs=ROOT / "var" / "bench-replica")
        with load:
            time.sleep(5)  # gunicorn's workers warm up and the load reaches its pace
            before = fallbacks()
            with LagWatch() as lag:
                from_replica = pages_time(args.runs, pinned=False, reference=reference)
                from_primary = pages_time(args.runs, pinned=True, reference=reference)
            load_average = os.getloadavg()[0]
            if args.explain:
                explain_slowest(args.explain, reference=reference)
        result = load.result
        print(f"  {result.line(args.rate)}", flush=True)
        print(f"  replica worst lag {lag.worst:.2f} s; fallbacks to the primary "
              f"{fallbacks() - before:.0f}; load {load_average:.1f} while timing", flush=True)
        print(f"replica: {cases:,} cases, {result.rate:.0f} reports/s; p95 from the replica: "
              + ", ".join(f"{n} {from_replica[n]:.0f} ms" for n in PAGES)
              + "; pinned to the primary: "
              + ", ".join(f"{n} {from_primary[n]:.0f} ms" for n in PAGES))
    finally:
        from django.db import connections

        connections.close_all()
        pair.remove()


if __name__ == "__main__":
    main()
