"""Time the insight pages of an existing database as a manager sees them.

    DATABASE_URL=postgres://.../imbizo_pages_p .venv/bin/python bench/pages.py [--runs 40]
        [--profile warroom]

Server time through Django's test client (as bench/province.py times them),
after one warm-up request: p50 and p95 of `--runs` requests, the Python CPU
time, and the number of queries of one request and their time (`--sql`: the
slowest of them). `--profile NAME` prints cProfile's top functions of one page
instead (SORT=tottime to sort by own time, TOP=n lines). Nothing is written to the database.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--profile", default="")
    parser.add_argument("--sql", action="store_true", help="print the slowest queries")
    parser.add_argument("--pages", default="warroom,needs,scorecard,ward")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    import config.wsgi  # noqa: F401
    from imbizo.geo.models import Ward
    from imbizo.org.models import Role, Staff

    staff = Client()
    staff.force_login(Staff.objects.filter(role=Role.MANAGER).first().user)
    ward = Ward.objects.order_by("code").first()
    urls = {"warroom": "/warroom/", "needs": "/needs/", "scorecard": "/scorecard/",
            "ward": f"/wards/{ward.code}/", "wards": "/wards/"}
    wards = Ward.objects.count()
    print(f"{wards} wards; load {os.getloadavg()[0]:.1f}", flush=True)
    for name in args.pages.split(","):
        url = urls[name]
        first = staff.get(url)
        assert first.status_code == 200, (url, first.status_code)
        if args.profile == name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                staff.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                int(os.environ.get("TOP", "45")))
            continue
        queries: list[tuple[float, str]] = []

        def count(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - started) * 1000, sql))

        with connection.execute_wrapper(count):
            staff.get(url)
        if args.sql:
            for ms, sql in sorted(queries, reverse=True)[:8]:
                print(f"    {ms:6.1f} ms  {sql[:300]}")
        samples, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            staff.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        # The process's CPU time leaves out the database's and the waits for a
        # core on a busy machine: the Python part, steadier than the wall clock.
        print(f"  {name}: p50 {p(samples, 0.5):.0f} ms, p95 {p(samples, 0.95):.0f} ms "
              f"(Python CPU p50 {p(cpu, 0.5):.0f} ms), {len(queries)} queries "
              f"({sum(ms for ms, _sql in queries):.0f} ms), "
              f"{len(first.content) // 1024} KiB", flush=True)
    print(f"load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
