"""Clock sweep benchmark.

Builds a database with many open cases, of which some fall due, and times
`clocks_sweep`. Three measurements show that the cost follows the cases that
fall due, not the cases open:

  A. a tenth of the open cases, D due
  B. all open cases, D/10 due
  C. all open cases, D due   (the headline figure; about A if cost follows D)

Usage: .venv/bin/python bench/sweep.py [--open 1000000] [--due-share 0.01]
Ends with:  sweep: O open, D due, S s
"""

import argparse
import datetime
import random
import time

from _setup import database_fresh, django_start, machine


def reference_of(n: int) -> str:
    """A valid, unique reference for the n-th generated case."""
    from imbizo.cases.reference import ALPHABET, check_symbol, format_reference

    data = ""
    for _ in range(7):
        n, digit = divmod(n, len(ALPHABET))
        data = ALPHABET[digit] + data
    return format_reference(data + check_symbol(data))


def seed_world():
    from django.contrib.auth.models import User

    from imbizo.catalogue.models import Service, ServiceStandard
    from imbizo.geo.services import ward_save
    from imbizo.org.models import Department, Institution, Office, Role, Staff

    Institution.objects.create(pk=1, name="Bench Metro")
    ward = ward_save(code="B1", name="Bench ward", boundary={
        "type": "Polygon",
        "coordinates": [[[28, -26.3], [28.2, -26.3], [28.2, -26.1], [28, -26.1], [28, -26.3]]],
    })
    dept = Department.objects.create(code="water", name="Water")
    office = Office.objects.create(code="depot", name="Depot", department=dept)
    user = User.objects.create(username="sup", email="sup@example.org")
    Staff.objects.create(user=user, role=Role.SUPERVISOR, office=office, department=dept)
    service = Service.objects.create(code="leak", name="Leak", department=dept)
    standard = ServiceStandard.objects.create(
        service=service, version=1, pledge="Fix", redress="Call us",
        effective_from=datetime.date(2020, 1, 1), published=True,
    )
    return ward, office, service, standard


def insert_open_cases(first: int, count: int, now, world, rng) -> None:
    from django.db import transaction

    from imbizo.cases.models import Case
    from imbizo.core.bulk import bulk_insert

    ward, office, service, standard = world

    def rows():
        for n in range(first, first + count):
            opened = now - datetime.timedelta(days=rng.uniform(0.1, 3))
            due = now + datetime.timedelta(days=rng.uniform(1, 30))
            consent = n % 2 == 0
            yield {
                "reference": reference_of(n), "channel": "web", "service_id": service.pk,
                "description": "Bench case", "ward_id": ward.pk, "office_id": office.pk,
                "status": "in_progress", "opened_at": opened, "acknowledged_at": opened,
                "standard_id": standard.pk, "resolve_due_at": due, "next_check_at": due,
                "citizen_email": f"c{n}@example.org" if consent else "",
                "contact_consent": consent,
            }

    with transaction.atomic():
        bulk_insert(Case, rows(), now=now)


def make_due(count: int, now) -> None:
    """Move `count` open cases' resolution deadline a minute into the past."""
    from django.db import connection

    past = now - datetime.timedelta(minutes=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET resolve_due_at = %s, next_check_at = %s, "
            "resolve_breached_at = NULL, escalation_level = 0, escalate_next_at = NULL "
            "WHERE id IN (SELECT id FROM cases_case WHERE resolve_breached_at IS NULL "
            "ORDER BY id LIMIT %s)",
            [past, past, count],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE cases_case")


def timed_sweep(now) -> tuple[float, object]:
    from imbizo.cases.sweep import clocks_sweep

    started = time.perf_counter()
    result = clocks_sweep(now=now)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--due-share", type=float, default=0.01)
    args = parser.parse_args()
    vendor = django_start(database_fresh("imbizo_bench_sweep"))
    print(f"database: {vendor}; machine: {machine()}")
    rng = random.Random(7)
    from django.utils import timezone

    now = timezone.now()
    world = seed_world()
    small = max(args.open // 10, 1)
    due = int(args.open * args.due_share)

    started = time.perf_counter()
    insert_open_cases(0, small, now, world, rng)
    print(f"inserted {small:,} open cases in {time.perf_counter() - started:.1f} s")
    make_due(due, now)
    t_small, result = timed_sweep(now)
    print(f"A: {small:,} open, {due:,} due: {t_small:.2f} s ({result})")

    started = time.perf_counter()
    insert_open_cases(small, args.open - small, now, world, rng)
    print(f"inserted {args.open - small:,} more in {time.perf_counter() - started:.1f} s")
    make_due(due // 10, now)
    t_tenth, result = timed_sweep(now)
    print(f"B: {args.open:,} open, {due // 10:,} due: {t_tenth:.2f} s ({result})")
    make_due(due, now)
    t_full, result = timed_sweep(now)
    print(f"C: {args.open:,} open, {due:,} due: {t_full:.2f} s ({result})")
    print(f"sweep: {args.open} open, {due} due, {t_full:.2f} s")


if __name__ == "__main__":
    main()
