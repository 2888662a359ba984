"""/metrics: protected, request latency by view name, state from the database,
sweeps and breaches from the worker, and sums across processes."""

import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from imbizo.core import clock
from imbizo.core import periodic as periodic_module
from imbizo.core.replica import ReplicaHealth
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.ops import metrics
from imbizo.ops.heartbeat import heartbeat_beat
from imbizo.server import scrape as scrape_module
from imbizo.server.scrape import exposition
from tests.notify.factories import bulk_messages, open_case

TOKEN = "s3cret-scrape-token"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def scrape(client, **headers) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def value(text: str, line_start: str) -> float:
    lines = [line for line in text.splitlines() if line.startswith(line_start)]
    assert lines, f"no sample starting {line_start!r}"
    return float(lines[0].rsplit(" ", 1)[1])


# --- who may scrape -------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_do_not_exist_unless_configured(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_the_bearer_token_opens_metrics_and_a_wrong_one_does_not(client):
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess").status_code == 404
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_ALLOWED_IPS=["10.0.0.0/8", "192.0.2.7"])
def test_allowed_addresses_may_scrape_and_others_not(client):
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 404


# --- events ---------------------------------------------------------------------------


@override_settings(METRICS_TOKEN=TOKEN)
def test_request_latency_is_labelled_by_view_name_not_path(client, world):
    case = open_case(world)
    client.get(reverse("portal:case_track", args=[case.reference]))

    text = scrape(client)

    assert 'imbizo_http_request_duration_seconds_count{method="GET",view="portal:case_track"}' \
        in text
    assert case.reference not in text
    assert 'imbizo_http_requests_total{method="GET",status="200",view="portal:case_track"}' \
        in text


@override_settings(METRICS_TOKEN=TOKEN)
def test_unrouted_paths_share_one_label(client, db):
    client.get("/no/such/page/1234")

    text = scrape(client)

    assert 'view="unmatched"' in text
    assert "/no/such/page" not in text


@task()
def tidy() -> int:
    return 1


@pytest.fixture
def periodic_tidy(monkeypatch):
    # Every app's tasks module first: one imported while the registry is
    # swapped out would register into the throwaway and be lost for later tests.
    autodiscover_modules("tasks")
    monkeypatch.setattr(periodic_module, "_registry", {})
    periodic_module.periodic(every_seconds=60)(tidy)
    return tidy


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_periodic_task_run_is_timed(client, db, periodic_tidy):
    before = metrics.SWEEP_DURATION.labels("tidy")._sum.get()
    count_before = _count(metrics.SWEEP_DURATION, "tidy")
    metrics.worker_instrument()
    try:
        periodic_tidy.enqueue()  # the test settings run tasks at once
    finally:
        from django_tasks.signals import task_finished

        task_finished.disconnect(dispatch_uid="imbizo.ops.metrics")

    assert _count(metrics.SWEEP_DURATION, "tidy") == count_before + 1
    assert metrics.SWEEP_DURATION.labels("tidy")._sum.get() >= before


def _count(histogram, label) -> float:
    return sum(bucket.get() for bucket in histogram.labels(label)._buckets)


def test_breaches_fired_by_the_clock_sweep_are_counted(monkeypatch):
    monkeypatch.setattr(periodic_module, "_registry", {metrics.CLOCKS_SWEEP: object()})
    resolve_before = metrics.BREACHES.labels("resolve")._value.get()
    ack_before = metrics.BREACHES.labels("acknowledge")._value.get()
    now = clock.now()
    result = SimpleNamespace(
        task=SimpleNamespace(module_path=metrics.CLOCKS_SWEEP), status="SUCCESSFUL",
        started_at=now, finished_at=now + timedelta(seconds=1.5),
        return_value={"cases": 5, "fired": {"breached": 3, "ack_breached": 1, "warned": 4}})

    metrics.task_finished_observe(sender=None, task_result=result)

    assert metrics.BREACHES.labels("resolve")._value.get() == resolve_before + 3
    assert metrics.BREACHES.labels("acknowledge")._value.get() == ack_before + 1


def test_a_bad_task_result_never_breaks_the_task(monkeypatch):
    monkeypatch.setattr(periodic_module, "_registry", {metrics.CLOCKS_SWEEP: object()})
    result = SimpleNamespace(task=SimpleNamespace(module_path=metrics.CLOCKS_SWEEP),
                             status="SUCCESSFUL", started_at=None, finished_at=None,
                             return_value="not a dict")

    metrics.task_finished_observe(sender=None, task_result=result)  # does not raise


# --- state from the database ----------------------------------------------------------


@override_settings(METRICS_TOKEN=TOKEN)
def test_outbox_backlog_is_counted_by_status(client, world):
    case = open_case(world)
    pending, sending, failed, sent = bulk_messages(
        case, ["a@example.org", "b@example.org", "c@example.org", "d@example.org"])
    OutboxMessage.objects.filter(pk=sending.pk).update(status=MessageStatus.SENDING)
    OutboxMessage.objects.filter(pk=failed.pk).update(status=MessageStatus.FAILED)
    OutboxMessage.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)

    text = scrape(client)

    assert value(text, 'imbizo_outbox_messages{status="pending"}') == 1
    assert value(text, 'imbizo_outbox_messages{status="sending"}') == 1
    assert value(text, 'imbizo_outbox_messages{status="failed"}') == 1
    assert value(text, "imbizo_database_up") == 1


@override_settings(METRICS_TOKEN=TOKEN)
def test_queue_depth_counts_tasks_waiting(client, db, periodic_tidy):
    with override_settings(TASKS=DB_TASKS):
        periodic_tidy.enqueue()
        periodic_tidy.enqueue()
        text = scrape(client)

    assert DBTaskResult.objects.count() == 2
    assert value(text, 'imbizo_task_queue_depth{queue="default"}') == 2


@override_settings(METRICS_TOKEN=TOKEN)
def test_worker_heartbeat_age_and_live_workers(client, db):
    heartbeat_beat(worker_id="host-1", started_at=clock.now())

    text = scrape(client)

    assert value(text, "imbizo_workers_alive") == 1
    assert value(text, "imbizo_worker_heartbeat_age_seconds") < 5


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_scrape_while_the_database_is_out_says_so(client, db, monkeypatch):
    from django.db.utils import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(OutboxMessage.objects, "filter", down)

    text = scrape(client)

    assert value(text, "imbizo_database_up") == 0


# --- several processes ----------------------------------------------------------------


CHILD = """
from imbizo.ops import metrics
metrics.REQUESTS.labels("portal:home", "GET", "200").inc()
metrics.REQUEST_DURATION.labels("portal:home", "GET").observe(0.02)
"""


@pytest.mark.django_db
def test_processes_sharing_the_metrics_directory_are_summed(tmp_path, monkeypatch):
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # two gunicorn workers, say
        subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    text = exposition().decode()

    assert value(text, 'imbizo_http_requests_total{method="GET",status="200",view="portal:home"}') \
        == 2
    assert value(text, 'imbizo_http_request_duration_seconds_count{method="GET",view="portal:home"}') \
        == 2


def test_imbizo_run_gives_its_processes_an_empty_metrics_directory(tmp_path, monkeypatch):
    from imbizo.server.management.commands.run import metrics_dir_fresh

    (tmp_path / "counter_123.db").write_bytes(b"old counts")
    (tmp_path / "notes.txt").write_text("kept")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    path = metrics_dir_fresh()

    assert path == str(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# --- the replica ----------------------------------------------------------------------


@pytest.mark.parametrize(("lag", "up"), [(2.5, 1), (None, 0)])
def test_the_replica_lag_is_measured_at_scrape_time(db, monkeypatch, lag, up):
    # given a configured replica that is 2.5 s behind, or out of reach
    monkeypatch.setattr(scrape_module, "replica_configured", lambda: True)
    monkeypatch.setattr(scrape_module, "replica_health",
                        lambda fresh: ReplicaHealth(lag, 0.0))

    text = exposition().decode()

    assert value(text, "imbizo_replica_up") == up
    if lag is None:
        assert "imbizo_replica_lag_seconds" not in text
    else:
        assert value(text, "imbizo_replica_lag_seconds") == lag


def test_no_replica_gauges_without_a_replica(db):
    assert "imbizo_replica_up" not in exposition().decode()
