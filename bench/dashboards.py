"""Dashboard benchmark: the four insight pages at provincial scale, against
computing the same figures from the raw tables in the same run.

Builds (or reuses) a PostgreSQL database with the demo municipality, CASES
historical cases from the demo generator (in chunks), its ratings, and
contacts up to CONTACTS; rebuilds the rollups; then times each page's server
time (Django test client, in process, after warm-up) and the same figures
computed from cases, events and answers.

Usage: .venv/bin/python bench/dashboards.py [--cases 2000000] [--contacts 10000000]
                                           [--runs 60] [--raw-runs 7] [--rebuild]
Ends with: dashboards: p95 warroom A ms, needs B ms, scorecard C ms, ward D ms; speedup vs raw xS
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time

from _setup import database_kept, django_start, machine, postgres_reachable

DB = "imbizo_bench_dashboards"
CHUNK = 200_000


def build(cases: int, contacts: int) -> None:
    """Top up the data to `cases` cases and `contacts` contacts (idempotent)."""
    from django.db import connection

    from imbizo.cases.models import Case
    from imbizo.core import clock
    from imbizo.demo.feedback import feedback_build
    from imbizo.demo.history import history_build
    from imbizo.demo.municipality import demo_build
    from imbizo.engagement.models import Contact, Response
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
    if not Response.objects.exists():
        started = time.monotonic()
        rated = feedback_build(seed=2026)
        print(f"  ratings: {rated:,} ({time.monotonic() - started:.0f} s)", flush=True)
    have = Contact.objects.count()
    if have < contacts:
        started = time.monotonic()
        contacts_add(contacts - have, until)
        print(f"  contacts: {contacts:,} ({time.monotonic() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def contacts_add(count: int, until) -> None:
    """System contacts (messages about cases) in the demo's shape, written with COPY."""
    from django.db import transaction

    from imbizo.cases.models import Case
    from imbizo.core.bulk import bulk_insert
    from imbizo.engagement.models import Contact

    rng = random.Random("contacts")
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    offices = dict(Case.objects.filter(pk__lte=min(top, 50_000)).values_list("pk", "office_id"))
    outcomes = ("received", "updated", "resolved", "overdue")
    channels = ("sms", "email")
    start = until - datetime.timedelta(days=540)

    def rows(n):
        for _ in range(n):
            case_id = rng.randint(1, top)
            yield {"at": start + datetime.timedelta(seconds=rng.randrange(540 * 86400)),
                   "kind": "system", "channel": rng.choice(channels), "case_id": case_id,
                   "office_id": offices.get(case_id % 50_000 + 1), "citizen_key": "",
                   "outcome": rng.choice(outcomes)}

    while count > 0:
        n = min(count, 1_000_000)
        with transaction.atomic():
            bulk_insert(Contact, rows(n))
        count -= n


# --- the same figures from the raw tables ---------------------------------------------


def raw_warroom():
    from django.db.models import Count, Q

    from imbizo.cases.models import Case, CaseEvent
    from imbizo.cases.transitions import OPEN_STATUSES
    from imbizo.core import clock
    from imbizo.insights.localtime import LocalDate

    now = clock.now()
    open_ = list(Case.objects.filter(status__in=list(OPEN_STATUSES)).values("ward_id").annotate(
        open=Count("id"), overdue=Count("id", filter=Q(resolve_breached_at__isnull=False)),
        escalated=Count("id", filter=Q(escalation_level__gt=0))))
    day = list(CaseEvent.objects.filter(at__gte=now - datetime.timedelta(hours=24)).values(
        "case__ward_id", "kind").annotate(n=Count("id")))
    weeks = list(Case.objects.filter(opened_at__gte=now - datetime.timedelta(days=35)).annotate(
        day=LocalDate("opened_at", tz_name="Africa/Johannesburg")).values("ward_id", "day")
        .annotate(n=Count("id")))
    oldest = list(Case.objects.filter(status__in=sorted(map(str, OPEN_STATUSES)),
                                      resolve_breached_at__isnull=False)
                  .order_by("resolve_due_at", "id").values_list("reference", flat=True)[:10])
    return open_, day, weeks, oldest


def _since(key: str):
    from imbizo.core import clock
    from imbizo.insights.reports import period_get

    day = period_get(key).since
    return datetime.datetime.combine(day, datetime.time(), tzinfo=clock.now().tzinfo)


def raw_needs():
    from django.db.models import Count

    from imbizo.cases.models import Case

    since = _since("3m")
    return list(Case.objects.filter(opened_at__gte=since).values("ward_id", "service__group")
                .annotate(n=Count("id")))


def raw_scorecard():
    from django.db.models import Count, F, Q
    from django.db.models.functions import TruncMonth

    from imbizo.cases.models import Case, CaseEvent
    from imbizo.insights.facts import DONE, OPEN

    since = _since("12m")
    resolved = list(
        CaseEvent.objects.filter(at__gte=since, from_status__in=OPEN, to_status__in=DONE)
        .annotate(month=TruncMonth("at")).values("case__service_id", "month")
        .annotate(n=Count("id"), late=Count("id", filter=Q(case__resolve_breached_at__isnull=False)))
    )
    acked = list(Case.objects.filter(acknowledged_at__gte=since).values("service_id").annotate(
        met=Count("id", filter=Q(acknowledged_at__lte=F("ack_due_at")))))
    offices = list(CaseEvent.objects.filter(at__gte=since, from_status__in=OPEN,
                                            to_status__in=DONE)
                   .values("case__office_id").annotate(n=Count("id")))
    return resolved, acked, offices


def raw_ward(ward_id):
    from django.db.models import Avg, Count, Q
    from django.db.models.functions import TruncMonth

    from imbizo.cases.models import Case, CaseEvent
    from imbizo.cases.transitions import OPEN_STATUSES
    from imbizo.engagement.models import Answer
    from imbizo.insights.facts import DONE, OPEN

    since = _since("12m")
    opened = list(Case.objects.filter(ward_id=ward_id, opened_at__gte=since)
                  .annotate(month=TruncMonth("opened_at")).values("service__group", "month")
                  .annotate(n=Count("id")))
    resolved = list(CaseEvent.objects.filter(case__ward_id=ward_id, at__gte=since,
                                             from_status__in=OPEN, to_status__in=DONE)
                    .values("case__service__group").annotate(n=Count("id")))
    now_open = Case.objects.filter(ward_id=ward_id, status__in=list(OPEN_STATUSES)).aggregate(
        n=Count("id"), overdue=Count("id", filter=Q(resolve_breached_at__isnull=False)))
    rating = Answer.objects.filter(response__case__ward_id=ward_id, driver="overall",
                                   response__submitted_at__gte=since).aggregate(Avg("number"))
    return opened, resolved, now_open, rating


# --- timing ---------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18] if len(samples) > 1 \
        else samples[0]


MEDIANS: dict = {}


def timed(fn, runs: int) -> float:
    """p95 of `runs` timings in ms (the median is kept in MEDIANS)."""
    fn()  # warm-up: caches, snapshots, plans
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    MEDIANS[fn] = statistics.median(samples)
    return p95(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--raw-runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the rollups even if built.")
    args = parser.parse_args()
    if not postgres_reachable():
        sys.exit("bench-dashboards needs PostgreSQL (PG_BENCH_SERVER)")
    django_start(database_kept(DB))
    from django.test import Client

    from imbizo.cases.models import Case, CaseEvent
    from imbizo.engagement.models import Contact
    from imbizo.geo.models import Ward
    from imbizo.insights.models import MonthlyCases
    from imbizo.insights.rollups import rollups_rebuild
    from imbizo.org.models import Role, Staff

    print(f"machine: {machine()}; load {os.getloadavg()[0]:.1f}", flush=True)
    build(args.cases, args.contacts)
    if args.rebuild or not MonthlyCases.objects.exists():
        started = time.monotonic()
        rollups_rebuild()
        print(f"  rollups rebuilt in {time.monotonic() - started:.0f} s", flush=True)
    counts = (Case.objects.count(), CaseEvent.objects.count(), Contact.objects.count())
    print("data: {:,} cases, {:,} events, {:,} contacts".format(*counts), flush=True)

    # As the web server starts its workers: every view loaded, the start-up heap
    # frozen out of the cycle collector's way (config/wsgi.py).
    import config.wsgi  # noqa: F401

    client = Client()
    client.force_login(Staff.objects.filter(role=Role.MANAGER).first().user)
    ward = Ward.objects.order_by("code").first()

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return get

    pages = {"warroom": page("/warroom/"), "needs": page("/needs/"),
             "scorecard": page("/scorecard/"), "ward": page(f"/wards/{ward.code}/")}
    raw = {"warroom": raw_warroom, "needs": raw_needs, "scorecard": raw_scorecard,
           "ward": lambda: raw_ward(ward.pk)}
    from imbizo.insights import reports

    figures = {"warroom": reports.warroom,
               "needs": lambda: reports.needs(period=reports.period_get("3m")),
               "scorecard": lambda: reports.scorecard(period=reports.period_get("12m")),
               "ward": lambda: reports.ward_report(ward=ward, period=reports.period_get("12m"))}
    served = {name: timed(fn, args.runs) for name, fn in pages.items()}
    rolled = {name: timed(fn, args.runs) for name, fn in figures.items()}
    direct = {name: timed(fn, args.raw_runs) for name, fn in raw.items()}
    # Like for like: the same figures from the rollups and from the raw tables, the
    # typical (median) run of each; the ratio of the p95s is printed beside it (on
    # a virtual machine one slow run in twenty moves a p95 by a third).
    ratios = {n: MEDIANS[raw[n]] / MEDIANS[figures[n]] for n in pages}
    for name in pages:
        print(f"  {name}: page p95 {served[name]:.0f} ms (median {MEDIANS[pages[name]]:.0f}); "
              f"its figures from the rollups p95 {rolled[name]:.1f} ms (median "
              f"{MEDIANS[figures[name]]:.1f}), from the raw tables p95 {direct[name]:.0f} ms "
              f"(median {MEDIANS[raw[name]]:.0f}); x{ratios[name]:.1f} "
              f"(p95s: x{direct[name] / rolled[name]:.1f})", flush=True)
    speedup = min(ratios.values())
    print(f"load after: {os.getloadavg()[0]:.1f}")
    print("dashboards: p95 warroom {warroom:.0f} ms, needs {needs:.0f} ms, scorecard "
          "{scorecard:.0f} ms, ward {ward:.0f} ms; speedup vs raw x{s:.1f}".format(
              **served, s=speedup))


if __name__ == "__main__":
    main()
