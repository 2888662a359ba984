"""Run by tests/core/test_replica_streaming.py in a process of its own, whose
DATABASE_URL is a throwaway primary and DATABASE_REPLICA_URL its streaming
replica (the test process itself is tied to the test database). It walks a
citizen through the public pages with Django's test client, records on which
alias each request read and wrote, and prints what it saw as JSON.

Usage: replica_probe.py <pair root> <primary port> <replica port> <bin dir>
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from prometheus_client import REGISTRY  # noqa: E402

from imbizo.cases.models import Case  # noqa: E402
from imbizo.core.replica import PIN_COOKIE, REPLICA  # noqa: E402
from tests.core.replica_cluster import Cluster, StreamingPair  # noqa: E402
from tests.factories import (  # noqa: E402
    InstitutionFactory,
    OfficeFactory,
    ServiceFactory,
    ServiceStandardFactory,
    WardFactory,
)


def world_build() -> dict:
    """tests/conftest.py's `world` on the throwaway primary; the report form for it."""
    from importlib import import_module

    from imbizo.cases.models import EscalationStep, RoutingRule

    for level, name, hours, notify in ((1, "Office supervisor", 0, "supervisor"),
                                       (2, "Head of department", 16, "head_of_department"),
                                       (3, "War room", 40, "war_room")):
        EscalationStep.objects.get_or_create(
            level=level, defaults={"name": name, "after_hours": hours, "notify": notify})
    for migration, function in (("imbizo.engagement.migrations.0002_standard_instruments", "create"),
                                ("imbizo.engagement.migrations.0005_anything_else_question", "add"),
                                ("imbizo.engagement.migrations.0008_client_service_recommend",
                                 "add")):
        getattr(import_module(migration), function)(django.apps.apps, None)
    InstitutionFactory()
    ward = WardFactory(code="W001")
    office = OfficeFactory(code="depot")
    service = ServiceFactory(code="water-leak", department=office.department)
    ServiceStandardFactory(service=service, warn_before_hours=4)
    RoutingRule.objects.create(service=service, office=office)
    return {
        "kind": "request", "service": "water-leak", "description": "Burst pipe on the corner",
        "lat": str(ward.centroid_lat), "lon": str(ward.centroid_lon),
        "citizen_name": "Lerato Khumalo", "citizen_phone": "082 555 0101",
        "citizen_email": "lerato@example.org", "contact_consent": "on",
        "idempotency_key": "probe-1",
    }


def request_on_aliases(send) -> dict:
    """Send one request; how many statements ran on each alias, and which wrote.

    Not CaptureQueriesContext: it connects on entry, and one step stops the replica.
    """
    aliases = ("default", REPLICA)
    for alias in aliases:
        connections[alias].force_debug_cursor = True
        connections[alias].queries_log.clear()
    fallen_back = {reason: fallbacks(reason) for reason in ("lag", "down")}
    response = send()
    # The router's own look at the replica's lag is not a page's read.
    primary, replica = ([q["sql"] for q in connections[alias].queries_log
                         if "pg_is_in_recovery" not in q["sql"]] for alias in aliases)
    return {
        "status": response.status_code,
        "primary": len(primary),
        "replica": len(replica),
        "replica_writes": sum(_is_write(sql) for sql in replica),
        "primary_inserts": sum(sql.lstrip().upper().startswith("INSERT") for sql in primary),
        "pin_cookie": PIN_COOKIE in response.cookies,
        "fallbacks": {reason: fallbacks(reason) - before for reason, before in fallen_back.items()},
        "content": response.content.decode(errors="replace"),
    }


def _is_write(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))


def fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("imbizo_replica_fallback_total", {"reason": reason}) or 0.0


def replica_sql(sql: str):
    import psycopg

    with psycopg.connect(pair.replica.url("postgres"), autocommit=True) as conn:
        return conn.execute(sql).fetchone()[0]


def wait_until_behind(*, seconds: float) -> None:
    """Until the paused replica has received WAL it has not replayed, and its last
    replayed transaction is more than `seconds` old."""
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if replica_sql("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() AND "
                       "now() - pg_last_xact_replay_timestamp() "
                       f"> make_interval(secs => {seconds})"):
            return
        time.sleep(0.05)
    raise SystemExit("the paused replica never fell behind the primary")


root, primary_port, replica_port, bin_dir = sys.argv[1:5]
pair = StreamingPair(root=Path(root),
                     primary=Cluster(Path(bin_dir), Path(root) / "primary", int(primary_port)),
                     replica=Cluster(Path(bin_dir), Path(root) / "replica", int(replica_port)))
form = world_build()
services = reverse("portal:service_list")
seen = {}

with connections[REPLICA].cursor() as cursor:
    cursor.execute("SELECT pg_is_in_recovery()")
    seen["replica_in_recovery"] = cursor.fetchone()[0]

citizen = Client()
pair.caught_up_wait()
seen["public_page"] = request_on_aliases(lambda: citizen.get(services))
seen["report"] = request_on_aliases(lambda: citizen.post(reverse("portal:report"), form))
reference = Case.objects.get().reference
seen["track_after_report"] = request_on_aliases(
    lambda: citizen.get(reverse("portal:case_track", args=[reference])))
seen["reference"] = reference

replica_sql("SELECT pg_wal_replay_pause()")
Client().post(reverse("portal:report"), {**form, "idempotency_key": "probe-2"})
wait_until_behind(seconds=settings.IMBIZO_REPLICA_MAX_LAG_SECONDS)
lag_before = fallbacks("lag")
seen["public_page_lagging"] = request_on_aliases(lambda: Client().get(services))
seen["lag_fallbacks"] = fallbacks("lag") - lag_before
replica_sql("SELECT pg_wal_replay_resume()")

pair.replica.stop()
down_before = fallbacks("down")
seen["public_page_replica_down"] = request_on_aliases(lambda: Client().get(services))
seen["down_fallbacks"] = fallbacks("down") - down_before

seen["track_shows_reference"] = reference in seen["track_after_report"]["content"]
for step in seen.values():
    if isinstance(step, dict):
        del step["content"]
print(json.dumps(seen))
