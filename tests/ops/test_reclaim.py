"""Tasks left RUNNING by a dead worker go back to the queue (imbizo.ops.reclaim),
and the worker's claim stays an index scan over many finished tasks."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from imbizo.core import clock
from imbizo.ops.models import WorkerHeartbeat
from imbizo.ops.reclaim import tasks_reclaim
from tests.ops.reclaim_tasks import append_when_released

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ROOT = Path(__file__).resolve().parents[2]
TABLE = DBTaskResult._meta.db_table

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="worker processes and the planner's choice are checked on PostgreSQL")


@pytest.fixture
def db_tasks():
    with override_settings(TASKS=DB_TASKS):
        yield


def running_task(tmp_path, *, worker_id: str, started_ago: float) -> DBTaskResult:
    result = append_when_released.enqueue(str(tmp_path / "hold"), str(tmp_path / "effects"))
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=[worker_id],
        started_at=clock.now() - timedelta(seconds=started_ago))
    return DBTaskResult.objects.get(pk=result.id)


def beat(worker_id: str, *, ago: float) -> None:
    seen = clock.now() - timedelta(seconds=ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=seen, seen_at=seen)


@pytest.mark.django_db
def test_a_task_of_a_worker_gone_silent_goes_back_to_the_queue(db_tasks, tmp_path):
    beat("host-1", ago=300)
    task = running_task(tmp_path, worker_id="host-1", started_ago=400)

    assert tasks_reclaim(after_seconds=60) == 1

    task.refresh_from_db()
    assert (task.status, task.started_at) == ("READY", None)


@pytest.mark.django_db
def test_a_task_of_a_worker_that_never_beat_goes_back_to_the_queue(db_tasks, tmp_path):
    task = running_task(tmp_path, worker_id="host-without-heartbeat", started_ago=400)

    assert tasks_reclaim(after_seconds=60) == 1
    task.refresh_from_db()
    assert task.status == "READY"


@pytest.mark.django_db
def test_a_long_task_of_a_live_worker_and_a_fresh_claim_are_left_running(db_tasks, tmp_path):
    beat("host-2", ago=3)  # a live worker, running a task for an hour
    long_task = running_task(tmp_path, worker_id="host-2", started_ago=3600)
    just_claimed = running_task(tmp_path, worker_id="host-3", started_ago=5)  # no beat yet
    # Claimed again after an earlier worker died: the last worker is the one that counts.
    reclaimed_once = running_task(tmp_path, worker_id="host-2", started_ago=600)
    DBTaskResult.objects.filter(pk=reclaimed_once.pk).update(worker_ids=["host-dead", "host-2"])

    assert tasks_reclaim(after_seconds=60) == 0
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"RUNNING"}
    assert {long_task.pk, just_claimed.pk} <= set(DBTaskResult.objects.values_list("pk", flat=True))


def worker_process(database_name: str, worker_log) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev",
           "DATABASE_URL": os.environ.get("DATABASE_URL", "").rsplit("/", 1)[0] + "/" + database_name,
           "TASKS_RECLAIM_AFTER_SECONDS": "1", "LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-m", "imbizo.cli", "worker", "--no-ticker", "--interval", "0.1"],
        cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT)


def wait_for(condition, *, timeout: float = 30, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_completes_once_on_the_next_worker(db_tasks, tmp_path):
    hold, effects = tmp_path / "hold", tmp_path / "effects"
    hold.touch()
    result = append_when_released.enqueue(str(hold), str(effects))
    task = DBTaskResult.objects.filter(pk=result.id)
    name = connection.settings_dict["NAME"]
    with open(tmp_path / "worker.log", "w") as log:
        first = worker_process(name, log)
        try:
            wait_for(lambda: task.get().status == "RUNNING", what="the first worker's claim")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        hold.unlink()
        time.sleep(1.5)  # the killed worker's last heartbeat grows older than the 1 s allowed
        second = worker_process(name, log)
        try:
            wait_for(lambda: task.get().status == "SUCCESSFUL", what="the second worker's run")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=20)

    row = task.get()
    assert [int(worker_id.rsplit("-", 1)[1]) for worker_id in row.worker_ids] == [
        first.pid, second.pid]
    assert effects.read_text().split() == [str(second.pid)]  # the killed run left nothing


def claim_sql(monkeypatch) -> tuple[str, tuple]:
    """The SQL and parameters `imbizo worker`'s loop sends to claim a task."""
    from django_tasks_db.management.commands import db_worker

    from imbizo.server.management.commands.worker import LONG_QUEUES

    class Captured(Exception):
        pass

    seen = []

    def capture(execute, sql, params, many, context):
        if "SKIP LOCKED" in sql:
            seen.append((sql, tuple(params)))
            raise Captured
        return execute(sql, params, many, context)

    # The loop closes old connections, which would end the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    worker = db_worker.Worker(queue_names=["*"], interval=1.0, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="test",
                    excluded_queue_names=list(LONG_QUEUES))
    with connection.execute_wrapper(capture), pytest.raises(Captured):
        worker.run()
    return seen[0]


@postgres_only
@pytest.mark.django_db
def test_the_claim_is_an_index_scan_over_many_finished_tasks(db_tasks, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {TABLE} (id, status, enqueued_at, started_at, finished_at, args_kwargs,
                priority, task_path, worker_ids, queue_name, backend_name, run_after,
                return_value, exception_class_path, traceback)
            SELECT gen_random_uuid(), CASE WHEN i <= 20000 THEN 'SUCCESSFUL' ELSE 'READY' END,
                   now(), now(), CASE WHEN i <= 20000 THEN now() END, '{{"args": [], "kwargs": {{}}}}',
                   0, 'imbizo.notify.tasks.outbox_sweep', '["host-1"]', 'default', 'default',
                   '9999-01-01 00:00:00+00', NULL, '', ''
            FROM generate_series(1, 20020) AS i""")  # noqa: S608 - the model's table
        cursor.execute(f"ANALYZE {TABLE}")
    sql, params = claim_sql(monkeypatch)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan using tasks_db_new_ordering_idx" in plan, plan
    assert "Seq Scan" not in plan, plan
