"""/readyz: the database answers, migrations are applied, a worker beat recently."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db.utils import OperationalError

from imbizo.core import clock
from imbizo.ops.heartbeat import heartbeat_beat
from imbizo.server import views


@pytest.fixture(autouse=True)
def _migrations_unchecked(monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)


@pytest.mark.django_db
def test_ready_with_database_migrations_and_a_live_worker(client):
    heartbeat_beat(worker_id="host-1", started_at=clock.now())

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {
        "database": "ok", "migrations": "ok", "worker": "ok"}}


@pytest.mark.django_db
def test_not_ready_before_any_worker_started(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "no worker has started"


@pytest.mark.django_db
def test_not_ready_when_the_last_heartbeat_is_old(client):
    heartbeat_beat(worker_id="host-1", started_at=clock.now())

    with time_machine.travel(clock.now() + timedelta(minutes=5)):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith("last seen 30")


@pytest.mark.django_db
def test_not_ready_with_migrations_to_apply(client):
    heartbeat_beat(worker_id="host-1", started_at=clock.now())

    with mock.patch("imbizo.server.views.MigrationExecutor.migration_plan",
                    return_value=[("app", "0002")]):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "1 not applied"


@pytest.mark.django_db
def test_not_ready_when_the_database_is_out(client):
    with mock.patch("imbizo.server.views.connection.cursor",
                    side_effect=OperationalError("down")):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unreachable"}
