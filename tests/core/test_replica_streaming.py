"""The router against a real streaming replica: a throwaway primary and its
replica (tests/core/replica_cluster.py), loaded with a copy of this
(migrated) test database, and a probe process (tests/core/replica_probe.py)
whose DATABASE_URL and DATABASE_REPLICA_URL point at them. The probe builds
conftest's `world` there and walks a citizen through the public pages.

PostgreSQL only. Under CI=true a replica that cannot be started fails the
test with the reason: CI must not pass by testing less.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.core.replica_cluster import ClusterError, StreamingPair

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="a streaming replica needs PostgreSQL")

PROBE = Path(__file__).with_name("replica_probe.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def streaming_pair(db):
    """A primary holding a copy of this test database, and its replica."""
    try:
        pair = StreamingPair.create(major=connection.pg_version // 10000)
    except ClusterError as exc:
        _cannot_start(str(exc))
    try:
        _database_copy(to=pair)
        pair.replica_start()
    except ClusterError as exc:
        pair.remove()
        _cannot_start(str(exc))
    yield pair
    pair.remove()


def _cannot_start(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the throwaway replica did not start, and CI=true requires it: {reason}",
                    pytrace=False)
    pytest.skip(f"the throwaway replica did not start: {reason}")


def _database_copy(*, to: StreamingPair) -> None:
    """This (migrated) test database, schema and rows, into the throwaway primary as "imbizo"."""
    bin_dir = to.primary.bin_dir
    settings = connection.settings_dict
    source = (f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:"
              f"{settings['PORT'] or 5432}/{settings['NAME']}")
    password = {"PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else {}
    steps = (
        ("creating the database", [str(bin_dir / "createdb"), "-h", "127.0.0.1",
                                   "-p", str(to.primary.port), "-U", "postgres", "imbizo"], None),
        ("dumping the test database", [str(bin_dir / "pg_dump"), "--no-owner",
                                       "--no-privileges", source], password),
    )
    for step, command, extra_env in steps:
        done = subprocess.run(command, capture_output=True, env={**os.environ, **(extra_env or {})},
                              check=False)
        if done.returncode != 0:
            raise ClusterError(f"{step}: {done.stderr.decode(errors='replace')[-800:]}")
    load = subprocess.run([str(bin_dir / "psql"), "-q", "-v", "ON_ERROR_STOP=1",
                           to.primary.url("imbizo")], input=done.stdout, capture_output=True)
    if load.returncode != 0:
        raise ClusterError("loading the dump into the throwaway primary: "
                           f"{load.stderr.decode(errors='replace')[-800:]}")


def _probe(pair: StreamingPair) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": pair.primary.url("imbizo"),
        "DATABASE_REPLICA_URL": pair.replica.url("imbizo"),
        # Look at the replica on every request; a second behind is too far (the
        # probe pauses replay and waits until the replica is that far behind).
        "IMBIZO_REPLICA_CHECK_SECONDS": "0",
        "IMBIZO_REPLICA_MAX_LAG_SECONDS": "1",
    }
    # The probe reads its own counters from its own registry: no multiprocess files.
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    done = subprocess.run(
        [sys.executable, str(PROBE), str(pair.root), str(pair.primary.port),
         str(pair.replica.port), str(pair.primary.bin_dir)],
        capture_output=True, text=True, cwd=ROOT, env=environment,
        timeout=120, check=False)
    assert done.returncode == 0, f"the probe failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_reads_and_writes_go_where_the_router_sends_them(streaming_pair):
    # given a primary and its replica; when the probe reads a public page, reports,
    # tracks the case, reads while replay is paused and reads with the replica stopped
    seen = _probe(streaming_pair)

    assert seen["replica_in_recovery"] is True, f"the replica alias is not a standby: {seen}"
    public = seen["public_page"]
    assert (public["status"], public["primary"], public["replica_writes"]) == (200, 0, 0), public
    assert public["replica"] > 0, public

    report = seen["report"]
    assert report["status"] == 302 and report["pin_cookie"], report
    assert report["primary_inserts"] > 0 and report["replica"] == 0, report

    track = seen["track_after_report"]
    assert (track["status"], track["replica"]) == (200, 0), \
        f"reads after a write left the primary: {track}"
    assert seen["track_shows_reference"], "the tracking page did not show the new case"

    lagging = seen["public_page_lagging"]
    assert (lagging["status"], lagging["replica"]) == (200, 0) and lagging["primary"] > 0, lagging
    assert seen["lag_fallbacks"] == 1, seen

    down = seen["public_page_replica_down"]
    assert down["status"] == 200 and down["primary"] > 0, down
    assert seen["down_fallbacks"] >= 1, seen
