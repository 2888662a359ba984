"""Staff queue benchmark: filtered, sorted, searched queue pages over the
200,000-case demo on PostgreSQL.

Builds (or reuses) a PostgreSQL database with the demo municipality and CASES
historical cases (what `imbizo demo` makes), then times each queue variant's
server time (Django test client, in process, after a warm-up) for staff of
three scopes: an institution-wide agent, a department's manager and an
office's supervisor; and counts each page's queries at 25, 50 and 100 rows.

Usage: .venv/bin/python bench/queues.py [--cases 200000] [--runs 40]
Ends with: queues: worst p95 N ms (variant), queries per page 25/50/100: a/b/c
"""

import argparse
import os
import re
import statistics
import sys
import time

from _setup import database_kept, django_start, machine, postgres_reachable

DB = "imbizo_bench_queues"
CHUNK = 200_000
GOAL_MS = 150


def build(cases: int) -> None:
    """Top up the data to `cases` demo cases (idempotent)."""
    from django.db import connection

    from imbizo.cases.models import Case
    from imbizo.core import clock
    from imbizo.demo.history import history_build
    from imbizo.demo.municipality import demo_build
    from imbizo.org.models import Institution

    if not Institution.objects.exists():
        demo_build(seed=2026)
    until = clock.now()
    have = Case.objects.count()
    chunk = 0
    while have < cases:
        started = time.monotonic()
        made = history_build(seed=2026 + chunk, cases=min(CHUNK, cases - have), until=until)
        have += made
        chunk += 1
        print(f"  cases: {have:,} ({time.monotonic() - started:.0f} s for {made:,})", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18] if len(samples) > 1 \
        else samples[0]


def timed(get, runs: int) -> tuple[float, float, float, float]:
    """(p50, p95) of `runs` wall-clock timings of `get()` in ms, after one
    warm-up, and the medians of this process's CPU time and of the time the
    database took to answer. On a shared machine the wall clock includes
    waiting for a core; CPU and database times show what the page costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get()
    samples, cpu, db = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            get()
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        db.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return statistics.median(samples), p95(samples), statistics.median(cpu), statistics.median(db)


def variants(reference: str, word: str, service: str, ward: str, office: str) -> dict[str, str]:
    """Queue URLs by name: each filter, each order, search, a deep page."""
    base = "/staff/queue/office/"
    return {
        "open, by due": base,
        "sort priority": base + "?sort=priority",
        "sort opened": base + "?sort=opened",
        "sort status": base + "?sort=status",
        "service": base + f"?service={service}",
        "ward": base + f"?ward={ward}",
        "office": base + f"?office={office}",
        "status in progress": base + "?status=in_progress",
        "priority high, by priority": base + "?priority=high&sort=priority",
        "due today": base + "?due=today",
        "due this week": base + "?due=week",
        "overdue": base + "?due=overdue",
        "escalated 2+": base + "?escalation=2",
        "search reference": base + f"?q={reference}",
        "search words": base + f"?q={word}",
        "closed, by due": base + "?status=closed",
        "closed, by priority": base + "?status=closed&sort=priority",
        "closed, page 40": base + "?status=closed&page=40",
        "100 per page, by status": base + "?per_page=100&sort=status",
        "view overdue": "/staff/queue/overdue/",
        "view unacknowledged": "/staff/queue/unacknowledged/",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    if not postgres_reachable():
        sys.exit("bench-queues needs PostgreSQL (PG_BENCH_SERVER)")
    os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")  # no line per timed request
    django_start(database_kept(DB))
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from imbizo.cases.models import Case
    from imbizo.cases.transitions import OPEN_STATUSES
    from imbizo.org.models import Staff

    print(f"machine: {machine()}; load {os.getloadavg()[0]:.1f}", flush=True)
    build(args.cases)
    total = Case.objects.count()
    still_open = Case.objects.filter(status__in=list(OPEN_STATUSES)).count()
    print(f"data: {total:,} cases, {still_open:,} open", flush=True)

    import config.wsgi  # noqa: F401 - as the web server starts: every view loaded

    some = (Case.objects.filter(status__in=list(OPEN_STATUSES))
            .select_related("service", "ward", "office").order_by("-pk").first())
    word = (some.description.split() or ["water"])[-1][:12]
    urls = variants(some.reference, word, some.service.code, some.ward.code if some.ward else "",
                    some.office.code if some.office else "")
    # The demo's logins (README): the agent sees every case, the manager the
    # water department's, the supervisor the North Water Depot's.
    viewers = {f"{login} ({scope})": Staff.objects.get(user__username=login)
               for login, scope in (("agent", "institution"), ("manager", "department"),
                                    ("supervisor", "office"))}
    worst = (0.0, "")
    print(f"{'viewer':<22} {'variant':<28} {'rows':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'cpu ms':>7} {'db ms':>6}", flush=True)
    for who, staff in viewers.items():
        client = Client()
        client.force_login(staff.user)
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            found = re.search(rb"<caption>(\d+) case", response.content)
            listed = int(found.group(1)) if found else 0

            def get(url=url, client=client):
                client.get(url)

            p50, p95_ms, cpu, db = timed(get, args.runs)
            worst = max(worst, (p95_ms, f"{who}: {name}"))
            print(f"{who:<22} {name:<28} {listed:>6} {p50:>7.1f} {p95_ms:>7.1f} {cpu:>7.1f} "
                  f"{db:>6.1f}", flush=True)

    client = Client()
    client.force_login(viewers["agent (institution)"].user)
    queries = {}
    for size in (25, 50, 100):
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/staff/queue/office/?status=closed&sort=priority&per_page={size}")
        queries[size] = len(captured.captured_queries)
    print(f"load after: {os.getloadavg()[0]:.1f}")
    print(f"queues: worst p95 {worst[0]:.0f} ms ({worst[1]}), goal {GOAL_MS} ms; "
          f"queries per page 25/50/100: {queries[25]}/{queries[50]}/{queries[100]}")


if __name__ == "__main__":
    main()
