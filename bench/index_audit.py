"""Index audit: which index on the case, event and contact tables a real query uses.

Builds (or reuses) a PostgreSQL database with the demo municipality and CASES
historical cases (bench/dashboards.py's build), resets PostgreSQL's statistics,
then runs the product's workloads against it in process: the staff queues
(bench/queues.py's variants, three viewers), the insight pages, the public
pages (home, tracking, services), Open311 and REST API lists and details, the
staff case pages and caller lookup, reports opened through `case_open`,
transitions, the clock sweep, the rollup fold, a citizen's erasure, the
retention sweep and a small CSV import. Every SQL statement those run is
recorded; each distinct one is EXPLAINed afterwards, and its plan's index names
are collected. Ends with a table: index, size, scans (pg_stat_user_indexes),
and the statements whose plans use it.

Usage: .venv/bin/python bench/index_audit.py [--cases 500000] [--contacts 200000]
Run under the shared lock: flock /work/bench.lock make bench-index-audit
"""

import argparse
import datetime
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

from _setup import ROOT, database_kept, django_start, machine, postgres_reachable

DB = "imbizo_import_audit"
TABLES = ("cases_case", "cases_caseevent", "engagement_contact")


class Recorder:
    """Every distinct SQL statement run through Django, with its first parameters."""

    def __init__(self):
        self.statements: dict[str, tuple] = {}
        self.workload = "start"
        self.where: dict[str, set[str]] = defaultdict(set)

    def __call__(self, execute, sql, params, many, context):
        if not many and sql not in self.statements:
            self.statements[sql] = params
        self.where[sql].add(self.workload)
        return execute(sql, params, many, context)


def plan_indexes(plan: dict) -> set[str]:
    """Index names anywhere in an EXPLAIN (FORMAT JSON) plan."""
    found = set()
    if "Index Name" in plan:
        found.add(plan["Index Name"])
    for child in plan.get("Plans", []):
        found |= plan_indexes(child)
    return found


def workloads(recorder: Recorder) -> None:
    """The product's reads and writes against the built data, one group at a time."""
    from django.test import Client
    from queues import variants

    import config.wsgi  # noqa: F401 - as the web server starts: every view loaded
    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.models import Case
    from imbizo.cases.services import case_acknowledge, case_open, case_start
    from imbizo.cases.sweep import clocks_sweep
    from imbizo.cases.transitions import OPEN_STATUSES
    from imbizo.catalogue.models import Service
    from imbizo.core import clock
    from imbizo.geo.models import Ward
    from imbizo.insights.rollups import rollups_fold
    from imbizo.integrations.services import apikey_create
    from imbizo.org.models import Office, Role, Staff
    from imbizo.privacy.selectors import citizen_find
    from imbizo.privacy.services import citizen_erase, retention_sweep

    def group(name):
        recorder.workload = name
        print(f"  workload: {name}", flush=True)

    def get(client, url, headers=None):
        try:
            response = client.get(url, headers=headers or {})
            if response.status_code != 200:
                print(f"    {url}: {response.status_code}", flush=True)
        except Exception as exc:  # a failing page is reported, the audit goes on
            print(f"    {url}: {type(exc).__name__}: {exc}", flush=True)

    some = (Case.objects.filter(status__in=list(OPEN_STATUSES), ward__isnull=False)
            .select_related("service", "ward", "office").order_by("-pk").first())
    closed = Case.objects.exclude(status__in=list(OPEN_STATUSES)).order_by("pk").first()
    word = (some.description.split() or ["water"])[-1][:12]
    ward = Ward.objects.order_by("code").first()
    service = Service.objects.order_by("code").first()
    office = Office.objects.order_by("code").first()

    group("staff queues")
    urls = variants(some.reference, word, some.service.code, some.ward.code, some.office.code)
    urls.update({view: f"/staff/queue/{view}/" for view in ("mine", "due_soon", "escalated")})
    officer = (Staff.objects.filter(assigned_cases__status__in=list(OPEN_STATUSES))
               .values_list("user__username", flat=True).first())
    for login in ("agent", "manager", "supervisor", *([officer] if officer else [])):
        client = Client()
        client.force_login(Staff.objects.get(user__username=login).user)
        for url in urls.values():
            get(client, url)

    group("staff case pages")
    client = Client()
    client.force_login(Staff.objects.get(user__username="agent").user)
    for case in (some, closed):
        get(client, f"/staff/cases/{case.reference}/")
        get(client, f"/staff/cases/{case.reference}/journey/")
    get(client, f"/staff/intake/lookup/?phone={some.citizen_phone}")
    get(client, "/staff/")

    group("insight pages")
    client = Client()
    client.force_login(Staff.objects.filter(role=Role.MANAGER).first().user)
    for url in ("/warroom/", "/needs/", "/scorecard/", f"/scorecard/services/{service.code}/",
                "/scorecard/offices/", f"/scorecard/offices/{office.code}/", "/wards/",
                f"/wards/{ward.code}/", "/drivers/"):
        get(client, url)

    group("public pages")
    public = Client()
    for url in ("/", "/services/", f"/track/{some.reference}/", f"/track/{closed.reference}/",
                "/track/?reference=" + some.reference, "/recognition/"):
        get(public, url)

    group("open311")
    for url in ("/open311/v2/requests.json", f"/open311/v2/requests/{some.reference}.json",
                f"/open311/v2/requests.json?service_code={service.code}",
                "/open311/v2/requests.json?status=open",
                "/open311/v2/servicerequestupdates.json?start_date="
                + (clock.now() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")):
        get(public, url)

    group("rest api")
    _key, raw = apikey_create(name=f"audit {time.time()}", scopes="read")
    headers = {"X-API-Key": raw}
    for url in ("/api/v1/cases", f"/api/v1/cases?ward={ward.code}",
                f"/api/v1/cases?service={service.code}",
                "/api/v1/cases?updated_after=2026-01-01T00:00:00%2B02:00",
                f"/api/v1/cases/{some.reference}", "/api/v1/stats/cases", "/api/v1/contacts"):
        get(public, url, headers)

    group("intake and transitions")
    agent = Staff.objects.get(user__username="agent")
    opened = []
    for n in range(30):
        opened.append(case_open(draft=CaseDraft(
            service_code=some.service.code, description=f"Audit report {n}", channel="web",
            lat=some.lat, lon=some.lon, citizen_phone="+27821234567", contact_consent=True,
            consent_text="audit"), idempotency_key=f"audit-{time.time()}-{n}"))
    for case in opened[:10]:
        case = case_acknowledge(case=case, actor=agent)
        case_start(case=case, actor=agent)

    group("clock sweep")
    clocks_sweep(now=clock.now() + datetime.timedelta(days=3))

    group("rollup fold")
    rollups_fold()

    group("erasure")
    citizen_erase(staff=agent, match=citizen_find(phone="+27821234567"), note="audit")
    retention_sweep(max_batches=2)

    group("import")
    import_small(3_000)


def import_small(rows: int) -> None:
    """A CSV of `rows` demo-shaped cases (bench/import.py's), imported."""
    import importlib

    from imbizo.cases.bulk_import import cases_import

    bench_import = importlib.import_module("import")
    path = ROOT / "var" / f"index-audit-{rows}.csv"
    if not path.exists():
        bench_import.generate(path, rows, 2027)
    with path.open("rb") as file:
        cases_import(file=file)


def index_table(recorder: Recorder) -> list[dict]:
    from django.db import connection, transaction

    used_by: dict[str, list[str]] = defaultdict(list)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in recorder.statements.items():
            if not any(t in sql for t in TABLES) or sql.lstrip().upper().startswith("INSERT"):
                continue
            try:
                cursor.execute("SAVEPOINT explain")
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0]
                cursor.execute("RELEASE SAVEPOINT explain")
            except Exception:  # a statement EXPLAIN cannot take (DDL, COPY): skipped
                cursor.execute("ROLLBACK TO SAVEPOINT explain")
                continue
            plan = plan if isinstance(plan, list) else json.loads(plan)
            for name in plan_indexes(plan[0]["Plan"]):
                used_by[name].append(f"[{', '.join(sorted(recorder.where[sql]))}] {sql[:400]}")
        cursor.execute(
            "SELECT s.relname, s.indexrelname, s.idx_scan, pg_relation_size(s.indexrelid), "
            "pg_get_indexdef(s.indexrelid), "
            "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid) "
            "FROM pg_stat_user_indexes s WHERE s.relname = ANY(%s) "
            "ORDER BY s.relname, s.indexrelname", [list(TABLES)])
        rows = cursor.fetchall()
    return [{"table": t, "index": i, "scans": scans, "mib": size / 2**20, "definition": d,
             "constraint": c, "queries": used_by.get(i, [])}
            for t, i, scans, size, d, c in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--out", default=str(ROOT / "var" / "index-audit.json"))
    args = parser.parse_args()
    if not postgres_reachable():
        sys.exit("the index audit needs PostgreSQL (PG_BENCH_SERVER)")
    os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")
    django_start(database_kept(DB))
    from dashboards import build
    from django.db import connection

    from imbizo.cases.models import Case
    from imbizo.insights.models import MonthlyCases
    from imbizo.insights.rollups import rollups_rebuild

    print(f"machine: {machine()}; load {os.getloadavg()[0]:.1f}", flush=True)
    build(args.cases, args.contacts)
    if not MonthlyCases.objects.exists():
        rollups_rebuild()
    print(f"data: {Case.objects.count():,} cases", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_reset()")
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        workloads(recorder)
    connection.close()  # its statistics flushed as the backend ends
    time.sleep(2)
    table = index_table(recorder)
    Path(args.out).write_text(json.dumps(table, indent=1))
    for row in table:
        print(f"{row['table']:<20} {row['index']:<45} {row['mib']:>8.1f} MiB "
              f"{row['scans']:>8} scans  {len(row['queries']):>3} statements"
              f"{'  (constraint)' if row['constraint'] else ''}")
    print(f"index audit: {len(table)} indexes, {sum(1 for r in table if not r['scans'])} "
          f"never scanned; details in {args.out}")


if __name__ == "__main__":
    main()
