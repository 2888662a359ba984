"""The replica router's rules, without a replica (SQLite or PostgreSQL alike).

Where reads really go with a streaming replica: test_replica_streaming.py.
"""

import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS
from django.db.utils import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from prometheus_client import REGISTRY

from imbizo.cases.models import Case
from imbizo.core import replica
from imbizo.core.replica import (
    PIN_COOKIE,
    REPLICA,
    ReplicaHealth,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    current_read_alias,
    pinned_to_primary,
    reads_from_replica,
    replica_eligible,
    replica_may_serve,
)


def _request(method: str, path: str, **cookies):
    request = getattr(RequestFactory(), method.lower())(path)
    request.resolver_match = resolve(path)
    request.COOKIES.update(cookies)
    return request


@pytest.fixture
def configured_replica(monkeypatch):
    """A replica alias as far as the router knows, `lag` seconds behind (None: down)."""
    state = {"lag": 0.0}
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "replica_lag_measure", lambda: state["lag"])
    replica.replica_health_forget()
    yield state
    replica.replica_health_forget()


def _fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("imbizo_replica_fallback_total", {"reason": reason}) or 0.0


def test_reads_in_a_scope_may_go_to_the_replica():
    assert replica_may_serve(app_label="cases", in_scope=True, in_transaction=False)


def test_reads_outside_a_scope_stay_on_the_primary():
    assert not replica_may_serve(app_label="cases", in_scope=False, in_transaction=False)


def test_reads_inside_a_transaction_stay_on_the_primary():
    assert not replica_may_serve(app_label="cases", in_scope=True, in_transaction=True)


@pytest.mark.parametrize("app_label", ["sessions", "auth", "django_cache", "axes"])
def test_who_the_visitor_is_is_always_read_from_the_primary(app_label):
    assert not replica_may_serve(app_label=app_label, in_scope=True, in_transaction=False)


def test_writes_and_migrations_stay_on_the_primary():
    router = ReplicaRouter()
    assert router.db_for_write(Case) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "cases")
    assert not router.allow_migrate(REPLICA, "cases")


@pytest.mark.parametrize("path", ["/services/", "/warroom/", "/open311/v2/services.json"])
def test_public_and_insight_gets_are_eligible(path):
    assert replica_eligible(_request("GET", path))


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/report/"), ("GET", "/staff/"), ("GET", "/admin/"),
])
def test_writes_staff_pages_and_the_admin_are_not_eligible(method, path):
    assert not replica_eligible(_request(method, path))


def test_a_recent_write_pins_the_browser_to_the_primary():
    request = _request("GET", "/services/", **{PIN_COOKIE: f"{time.time() + 10:.3f}"})
    assert pinned_to_primary(request, now=time.time())


@pytest.mark.parametrize("value", ["0", "not-a-time", ""])
def test_an_expired_or_garbled_pin_is_ignored(value):
    request = _request("GET", "/services/", **{PIN_COOKIE: value})
    assert not pinned_to_primary(request, now=time.time())


@pytest.mark.parametrize(("lag", "reason"), [(None, "down"), (31.0, "lag"), (30.0, None),
                                             (0.0, None)])
def test_a_replica_behind_or_down_is_not_used(lag, reason):
    assert ReplicaHealth(lag, 0.0).unusable_reason(max_lag_seconds=30) == reason


def test_without_a_replica_nothing_is_routed():
    # given no DATABASE_REPLICA_URL (the test settings have none)
    # then the middleware takes itself out, and a replica scope is no scope
    with pytest.raises(MiddlewareNotUsed):
        ReplicaReadsMiddleware(lambda request: None)
    with reads_from_replica():
        assert ReplicaRouter().db_for_read(Case) == DEFAULT_DB_ALIAS


def test_a_scope_reads_from_a_replica_that_keeps_up(configured_replica):
    with reads_from_replica():
        assert ReplicaRouter().db_for_read(Case) == REPLICA


@pytest.mark.parametrize(("lag", "reason"), [(120.0, "lag"), (None, "down")])
def test_a_lagging_or_absent_replica_sends_reads_back_and_is_counted(
        configured_replica, settings, lag, reason):
    settings.IMBIZO_REPLICA_MAX_LAG_SECONDS = 30
    configured_replica["lag"] = lag
    before = _fallbacks(reason)
    with reads_from_replica():
        assert ReplicaRouter().db_for_read(Case) == DEFAULT_DB_ALIAS
        ReplicaRouter().db_for_read(Case)  # decided once per scope: counted once
        assert current_read_alias() == DEFAULT_DB_ALIAS
    assert _fallbacks(reason) == before + 1


def test_a_page_the_replica_fails_half_way_is_answered_from_the_primary(
        configured_replica, monkeypatch):
    # given a public page whose read on the replica breaks (the replica went away)
    monkeypatch.setattr(replica, "_connection_drop", lambda: None)
    monkeypatch.setattr(replica, "_replica_failed", lambda: True)
    read_from = []

    def page(request):
        read_from.append(ReplicaRouter().db_for_read(Case))
        if read_from[-1] == REPLICA:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("the services")

    middleware = ReplicaReadsMiddleware(lambda request: None)
    request = _request("GET", "/services/")
    before = _fallbacks("down")
    # when the middleware opens the scope and the page fails on the replica
    middleware.process_view(request, page, (), {})
    try:
        with pytest.raises(OperationalError):
            page(request)
        response = middleware.process_exception(request, OperationalError("gone"))
    finally:
        replica._scope.reset(request._replica_scope_token)
    # then the same page is answered from the primary, and the fallback is counted
    assert (response.status_code, read_from) == (200, [REPLICA, DEFAULT_DB_ALIAS])
    assert _fallbacks("down") == before + 1


def test_an_error_of_the_primary_is_left_to_the_outage_middleware(configured_replica, monkeypatch):
    # given a page reading from the replica when the primary (not the replica) fails
    monkeypatch.setattr(replica, "_replica_failed", lambda: False)
    middleware = ReplicaReadsMiddleware(lambda request: None)
    request = _request("GET", "/services/")
    middleware.process_view(request, lambda request: HttpResponse(), (), {})
    try:
        ReplicaRouter().db_for_read(Case)
        # then the middleware does not answer: the outage middleware's 503 will
        assert middleware.process_exception(request, OperationalError("primary gone")) is None
    finally:
        replica._scope.reset(request._replica_scope_token)
