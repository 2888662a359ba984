"""Case intake benchmark: the citizen report form over HTTP against the same
Django serving a minimal one-row insert (the ceiling), in one run.

Starts gunicorn (2 sync workers) on the benchmark database, drives each
endpoint with wrk for --seconds at saturation, and ends with:
  intake: imbizo N req/s p99 M ms, ceiling C req/s, ratio R

Usage: .venv/bin/python bench/intake.py [--seconds 30] [--connections 8]
"""

import argparse
import datetime
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _setup import ROOT, database_fresh, machine

BENCH = Path(__file__).resolve().parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def seed() -> dict:
    from django.db import connection

    from imbizo.cases.models import RoutingRule
    from imbizo.catalogue.models import Service, ServiceStandard
    from imbizo.geo.services import ward_save
    from imbizo.org.models import Department, Institution, Office

    Institution.objects.create(pk=1, name="Bench Metro")
    ward = ward_save(code="B1", name="Bench ward", boundary={
        "type": "Polygon",
        "coordinates": [[[28, -26.3], [28.2, -26.3], [28.2, -26.1], [28, -26.1], [28, -26.3]]],
    })
    dept = Department.objects.create(code="water", name="Water")
    office = Office.objects.create(code="depot", name="Depot", department=dept)
    service = Service.objects.create(code="water-leak", name="Water leak", department=dept)
    ServiceStandard.objects.create(
        service=service, version=1, pledge="We fix leaks within 5 working days.",
        redress="Call the depot supervisor.", effective_from=datetime.date(2020, 1, 1),
        published=True,
    )
    RoutingRule.objects.create(service=service, office=office)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_ceiling (id INTEGER PRIMARY KEY "
            + ("GENERATED ALWAYS AS IDENTITY" if connection.vendor == "postgresql" else "")
            + ", created_at TIMESTAMP NOT NULL, body TEXT NOT NULL)"
        )
    return {"lat": "-26.2", "lon": "28.1", "ward": ward.code}


def server(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{PORT}", "--workers", "2", "--worker-class", "sync",
         "--log-level", "warning"],
        env=env, cwd=ROOT,
    )


def wait_healthy(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not become healthy")


def wrk(path: str, body: str, csrf: str, seconds: int, connections: int) -> dict:
    env = {**os.environ, "BENCH_CSRF": csrf, "BENCH_BODY": body}
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(BENCH / "intake.lua"), f"http://127.0.0.1:{PORT}{path}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, _, rate, p50, p99, errors, status_errors = line.split()[1:]
    return {"requests": int(requests), "rate": float(rate), "p50": float(p50),
            "p99": float(p99), "errors": int(errors), "status_errors": int(status_errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    url = database_fresh("imbizo_bench_intake")
    sys.path.insert(0, str(BENCH))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    print(f"database: {connection.vendor}; machine: {machine()}")
    where = seed()
    connection.close()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH}"}
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts an unmasked secret
    report = urllib.parse.urlencode({
        "csrfmiddlewaretoken": csrf, "kind": "request", "service": "water-leak",
        "description": "Water is running down the street from a broken pipe.",
        "lat": where["lat"], "lon": where["lon"], "citizen_name": "Bench Citizen",
        "citizen_email": "bench@example.org", "contact_consent": "on",
    })
    ceiling_body = urllib.parse.urlencode({
        "description": "Water is running down the street from a broken pipe."})
    gunicorn = server(env)
    try:
        wait_healthy()
        wrk("/report/", report, csrf, 3, args.connections)  # warm up
        imbizo = wrk("/report/", report, csrf, args.seconds, args.connections)
        wrk("/bench/ceiling", ceiling_body, csrf, 3, args.connections)
        ceiling = wrk("/bench/ceiling", ceiling_body, csrf, args.seconds, args.connections)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=20)
    from imbizo.cases.models import Case

    stored = Case.objects.count()
    for name, r in (("imbizo /report/", imbizo), ("ceiling", ceiling)):
        print(f"{name}: {r['requests']} requests, {r['rate']:.0f} req/s, p50 {r['p50']:.1f} ms, "
              f"p99 {r['p99']:.1f} ms, errors {r['errors']} (status {r['status_errors']})")
    print(f"cases stored: {stored} (warm-up included)")
    ratio = imbizo["rate"] / ceiling["rate"]
    print(f"intake: imbizo {imbizo['rate']:.0f} req/s p99 {imbizo['p99']:.0f} ms, "
          f"ceiling {ceiling['rate']:.0f} req/s, ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
