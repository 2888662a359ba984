"""Run by tests/core/test_replica_streaming.py in a process of its own, whose
DATABASE_URL is a throwaway primary and DATABASE_REPLICA_URL its streaming
replica (the test process itself is tied to the test database). It walks a
citizen through the public pages with Django's test client, records on which
alias each request read and wrote, and prints what it saw as JSON.

Usage: replica_probe.py <pair root> <primary port> <replica port> <bin dir>
       (stdin: the report form as JSON)
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from prometheus_client import REGISTRY  # noqa: E402

from imbizo.cases.models import Case  # noqa: E402
from imbizo.core.replica import PIN_COOKIE, REPLICA  # noqa: E402
from tests.core.replica_cluster import Cluster, StreamingPair  # noqa: E402


def request_on_aliases(send) -> dict:
    """Send one request; how many statements ran on each alias, and which wrote.

    Not CaptureQueriesContext: it connects on entry, and one step stops the replica.
    """
    aliases = ("default", REPLICA)
    for alias in aliases:
        connections[alias].force_debug_cursor = True
        connections[alias].queries_log.clear()
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


def wait_until_behind() -> None:
    """Until the paused replica has received WAL it has not replayed."""
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if replica_sql("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()"):
            return
        time.sleep(0.05)
    raise SystemExit("the paused replica never received the primary's new WAL")


root, primary_port, replica_port, bin_dir = sys.argv[1:5]
pair = StreamingPair(root=Path(root),
                     primary=Cluster(Path(bin_dir), Path(root) / "primary", int(primary_port)),
                     replica=Cluster(Path(bin_dir), Path(root) / "replica", int(replica_port)))
form = json.loads(sys.stdin.read())
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
wait_until_behind()
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
