import pytest
from django.test import override_settings
from django.utils.module_loading import autodiscover_modules
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from imbizo.core import periodic as periodic_module
from imbizo.server.management.commands.worker import Ticker

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@task()
def heartbeat():
    return "beat"


@pytest.fixture
def registered_heartbeat(monkeypatch):
    # Every app's tasks module first: one imported while the registry is
    # swapped out would register into the throwaway and be lost for later tests.
    autodiscover_modules("tasks")
    monkeypatch.setattr(periodic_module, "_registry", {})
    periodic_module.periodic(every_seconds=60)(heartbeat)
    return heartbeat


@pytest.fixture
def db_tasks():
    # django_tasks resets its backends when TASKS changes (setting_changed).
    with override_settings(TASKS=DB_TASKS):
        yield


@pytest.mark.django_db
def test_ticker_enqueues_a_due_periodic_task_once(registered_heartbeat, db_tasks):
    ticker = Ticker()

    ticker.tick(now=1000.0)

    assert DBTaskResult.objects.filter(task_path=registered_heartbeat.module_path).count() == 1


@pytest.mark.django_db
def test_ticker_does_not_pile_up_copies_while_one_waits(registered_heartbeat, db_tasks):
    ticker = Ticker()
    ticker.tick(now=1000.0)

    ticker.tick(now=1100.0)  # due again, but the first one has not run yet

    assert DBTaskResult.objects.filter(task_path=registered_heartbeat.module_path).count() == 1


@pytest.mark.django_db
def test_ticker_waits_for_the_interval(registered_heartbeat, db_tasks):
    ticker = Ticker()
    ticker.tick(now=1000.0)
    DBTaskResult.objects.all().delete()  # as if the worker ran it

    ticker.tick(now=1030.0)
    assert DBTaskResult.objects.count() == 0
    ticker.tick(now=1061.0)
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_old_task_results_are_pruned_and_recent_ones_kept(registered_heartbeat, db_tasks):
    from datetime import timedelta

    from imbizo.core import clock
    from imbizo.ops.tasks import task_results_prune

    now = clock.now()
    for age_days, status in ((2, "SUCCESSFUL"), (0.1, "SUCCESSFUL"), (3, "FAILED"),
                             (20, "FAILED")):
        result = registered_heartbeat.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            status=status, finished_at=now - timedelta(days=age_days))

    deleted = task_results_prune(now=now)

    assert deleted == 2
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "FAILED", "SUCCESSFUL"]


@pytest.mark.django_db
def test_the_worker_carries_on_after_the_database_goes_away(monkeypatch):
    from django.db.utils import OperationalError

    from imbizo.server.management.commands import worker as worker_module

    monkeypatch.setattr(worker_module.time, "sleep", lambda seconds: None)
    calls = []

    class FlakyWorker:
        running = True

        def run(self):
            calls.append(1)
            if len(calls) < 3:
                raise OperationalError("server closed the connection unexpectedly")

    worker_module.Command()._run_until_stopped(FlakyWorker())

    assert len(calls) == 3


@pytest.mark.django_db
def test_each_ticker_step_records_the_workers_heartbeat(registered_heartbeat, db_tasks):
    from imbizo.ops.models import WorkerHeartbeat

    ticker = Ticker(worker_id="host-42", periodic=False)
    ticker.step(now=1000.0)
    first = WorkerHeartbeat.objects.get(worker_id="host-42").seen_at
    ticker.step(now=1005.0)

    assert WorkerHeartbeat.objects.get(worker_id="host-42").seen_at >= first
    assert DBTaskResult.objects.count() == 0  # periodic off: heartbeat only


@pytest.mark.django_db
def test_heartbeats_of_workers_gone_for_a_day_are_pruned():
    from datetime import timedelta

    from imbizo.core import clock
    from imbizo.ops.heartbeat import heartbeat_beat, heartbeats_prune
    from imbizo.ops.models import WorkerHeartbeat

    heartbeat_beat(worker_id="old", started_at=clock.now())
    WorkerHeartbeat.objects.filter(worker_id="old").update(
        seen_at=clock.now() - timedelta(days=2))
    heartbeat_beat(worker_id="new", started_at=clock.now())

    assert heartbeats_prune() == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["new"]
