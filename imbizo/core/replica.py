"""Reads from a streaming replica where a few stale seconds do no harm (ADR 0046).

With DATABASE_REPLICA_URL set there is a second alias, "replica". Reads go to
it only inside a *replica scope*: a GET or HEAD to a view in one of
IMBIZO_REPLICA_NAMESPACES (the public pages, Open311 and the insight pages),
opened by `ReplicaReadsMiddleware`, or code wrapped in `reads_from_replica()`.
Everything else (every write, the clock sweep, the outbox, the task worker,
the admin, the staff's case work) never opens a scope and stays on the
primary.

Inside a scope the primary still answers when:

- the browser wrote in the last IMBIZO_REPLICA_PIN_SECONDS (the pin cookie),
  so a citizen who reports and then tracks sees the case;
- the model says who the visitor is or counts their requests (sessions,
  users, the rate-limit cache): a stale copy would sign someone out or let a
  limit be passed;
- a transaction is open on the primary: it reads what it has written;
- the replica is further behind than IMBIZO_REPLICA_MAX_LAG_SECONDS, or
  cannot be reached. Each process looks at most every
  IMBIZO_REPLICA_CHECK_SECONDS; every scope sent back is announced on
  `replica_fallback(reason="lag"|"down")` (counted by imbizo.ops.metrics),
  and one warning is logged when the replica turns unusable.

A page whose replica connection fails half-way is run again on the primary
(`process_exception`): the scope only ever covers safe requests, so running
the view twice changes nothing.
"""

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import InterfaceError, OperationalError
from django.dispatch import Signal

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "imbizo_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Who the visitor is and how often they came: never from a copy that may be behind.
PRIMARY_ONLY_APPS = frozenset({
    "sessions", "auth", "django_cache", "axes", "otp_totp", "otp_static", "django_tasks_database",
})
REPLICA_ERRORS = (OperationalError, InterfaceError)

# `replica_fallback(reason=...)`: a scope's reads went to the primary, because
# the replica was behind ("lag") or out of reach ("down").
replica_fallback = Signal()

# How far behind the replica is, in seconds: 0 when it has replayed all it
# received (an idle primary sends nothing, and its last replayed transaction
# then looks old; a standby just started reports the start of the segment it
# streams from, which may lie behind what it replayed from its own files),
# the age of the last replayed transaction otherwise, and infinity when it is
# behind and has replayed nothing yet. A server that is not in recovery is a
# primary and cannot lag.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()),
                  'Infinity')
END::float8
"""


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


# --- the replica's health, measured at most every few seconds per process -----------------


@dataclass(frozen=True)
class ReplicaHealth:
    """One look at the replica: `lag_seconds` is None when it could not be reached."""

    lag_seconds: float | None
    measured_at: float  # time.monotonic()

    @property
    def reachable(self) -> bool:
        return self.lag_seconds is not None

    def unusable_reason(self, *, max_lag_seconds: float) -> str | None:
        """"down", "lag", or None when reads may go to the replica."""
        if self.lag_seconds is None:
            return "down"
        if self.lag_seconds > max_lag_seconds:
            return "lag"
        return None


_health_lock = threading.Lock()
_last_health: ReplicaHealth | None = None
_last_reason: str | None = None


def replica_lag_measure() -> float | None:
    """The replica's lag in seconds now, or None when it cannot be reached."""
    connection = connections[REPLICA]
    try:
        if connection.vendor != "postgresql":
            connection.ensure_connection()
            return 0.0
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except REPLICA_ERRORS:
        _connection_drop()
        return None


def replica_health(*, fresh: bool = False) -> ReplicaHealth:
    """The last look at the replica, taken again when older than IMBIZO_REPLICA_CHECK_SECONDS."""
    global _last_health
    with _health_lock:
        now = time.monotonic()
        last = _last_health
        if fresh or last is None or now - last.measured_at >= settings.IMBIZO_REPLICA_CHECK_SECONDS:
            last = _last_health = ReplicaHealth(replica_lag_measure(), now)
        return last


def replica_health_forget() -> None:
    """Look at the replica afresh on the next scope (tests, and after a failure)."""
    global _last_health, _last_reason
    with _health_lock:
        _last_health = None
        _last_reason = None


def _replica_down() -> None:
    global _last_health
    with _health_lock:
        _last_health = ReplicaHealth(None, time.monotonic())


def _connection_drop() -> None:
    connection = connections[REPLICA]
    try:
        connection.close()
    except REPLICA_ERRORS:
        connection.connection = None


def _replica_failed() -> bool:
    """True when the replica's connection raised in this request (Django marks it so)."""
    return connections[REPLICA].errors_occurred


def _replica_usable() -> bool:
    """True when this scope may read from the replica; says why not otherwise."""
    global _last_reason
    health = replica_health()
    reason = health.unusable_reason(max_lag_seconds=settings.IMBIZO_REPLICA_MAX_LAG_SECONDS)
    if reason != _last_reason:
        _last_reason = reason
        if reason == "down":
            logger.warning("replica: out of reach, reads go to the primary")
        elif reason == "lag":
            logger.warning("replica: %.1f s behind (more than %s s), reads go to the primary",
                           health.lag_seconds, settings.IMBIZO_REPLICA_MAX_LAG_SECONDS)
        else:
            logger.info("replica: caught up (%.1f s), reads go to it again", health.lag_seconds)
    if reason is not None:
        replica_fallback.send(sender=ReplicaRouter, reason=reason)
        return False
    return True


# --- scopes -----------------------------------------------------------------------------


class _Scope:
    """Reads that may go to the replica; the choice is made once, at the first read."""

    def __init__(self, *, pinned: bool = False):
        self.pinned = pinned
        self.alias: str | None = DEFAULT_DB_ALIAS if pinned else None

    def read_alias(self) -> str:
        if self.alias is None:
            self.alias = REPLICA if _replica_usable() else DEFAULT_DB_ALIAS
        return self.alias


_scope: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "imbizo_replica_scope", default=None)


@contextlib.contextmanager
def reads_from_replica() -> Iterator[None]:
    """Send this block's reads to the replica (when configured and keeping up).

    For code outside requests that only reads, e.g. a benchmark timing pages.
    """
    token = _scope.set(_Scope() if replica_configured() else None)
    try:
        yield
    finally:
        _scope.reset(token)


def current_read_alias() -> str | None:
    """The alias this scope reads from, or None outside a scope or before its first read."""
    scope = _scope.get()
    return scope.alias if scope else None


# --- the router -------------------------------------------------------------------------


def replica_may_serve(*, app_label: str, in_scope: bool, in_transaction: bool) -> bool:
    """True when a read of a model of `app_label` may go to the replica."""
    return in_scope and not in_transaction and app_label not in PRIMARY_ONLY_APPS


class ReplicaRouter:
    """DATABASE_ROUTERS entry when a replica is configured: writes and
    migrations on the primary, reads on the replica only inside a scope."""

    def db_for_read(self, model, **hints) -> str:
        scope = _scope.get()
        may_use_replica = replica_may_serve(
            app_label=model._meta.app_label,
            in_scope=scope is not None,
            in_transaction=connections[DEFAULT_DB_ALIAS].in_atomic_block,
        )
        return scope.read_alias() if may_use_replica else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows on both: a replica is a copy of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


# --- the middleware ---------------------------------------------------------------------


def pinned_to_primary(request, *, now: float) -> bool:
    """True while the pin cookie a write set has not run out."""
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > now
    except ValueError:
        return False


def replica_eligible(request) -> bool:
    """A safe request to a view in one of IMBIZO_REPLICA_NAMESPACES."""
    match = getattr(request, "resolver_match", None)
    if request.method not in SAFE_METHODS or match is None:
        return False
    return bool(set(match.namespaces) & set(settings.IMBIZO_REPLICA_NAMESPACES))


class ReplicaReadsMiddleware:
    """Opens a replica scope for eligible requests and pins writers to the
    primary. Not installed (MiddlewareNotUsed) without a replica."""

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        request._replica_scope_token = None
        try:
            response = self.get_response(request)
        finally:
            if request._replica_scope_token is not None:
                _scope.reset(request._replica_scope_token)
        if request.method not in SAFE_METHODS:
            self._pin(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if replica_eligible(request):
            pinned = pinned_to_primary(request, now=time.time())
            request._replica_scope_token = _scope.set(_Scope(pinned=pinned))
            request._replica_view = (view_func, view_args, view_kwargs)
        return None

    def process_exception(self, request, exception):
        """The replica failed half-way: the same (safe) view again, on the primary."""
        scope = _scope.get()
        if not (isinstance(exception, REPLICA_ERRORS) and scope and scope.alias == REPLICA
                and _replica_failed()):
            return None  # not the replica's fault: the outage middleware answers
        logger.warning("replica: failed during %s, answered from the primary", request.path)
        _connection_drop()
        _replica_down()
        replica_fallback.send(sender=ReplicaRouter, reason="down")
        scope.alias = DEFAULT_DB_ALIAS
        view_func, args, kwargs = request._replica_view
        response = view_func(request, *args, **kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
        return response

    @staticmethod
    def _pin(response) -> None:
        seconds = settings.IMBIZO_REPLICA_PIN_SECONDS
        response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.3f}", max_age=seconds,
                            httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
