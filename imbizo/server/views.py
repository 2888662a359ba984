"""Health, readiness and metrics endpoints for load balancers, orchestrators and
Prometheus, and the page of a refused form (CSRF)."""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from imbizo.ops.heartbeat import heartbeat_age_seconds

from . import scrape

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Liveness: 200 when this process serves requests and reaches its database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


# Once every migration is applied it stays so until the next deployment, which
# restarts the processes: checked until true, then remembered.
_migrations_applied = False


def _migrations_pending() -> int:
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = pending == 0
    return pending


@never_cache
def readyz(request):
    """Readiness: the database answers, every migration is applied, and a worker
    beat recently (READYZ_WORKER_MAX_AGE seconds). 503 with the failing checks."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        pending = _migrations_pending()
        checks["migrations"] = "ok" if not pending else f"{pending} not applied"
        age = heartbeat_age_seconds()
        limit = settings.READYZ_WORKER_MAX_AGE
        checks["worker"] = ("no worker has started" if age is None
                            else "ok" if age <= limit else f"last seen {age:.0f} s ago")
    except DatabaseError:
        checks["database"] = "unreachable"
    ready = all(value == "ok" for value in checks.values()) and len(checks) == 3
    return JsonResponse({"status": "ready" if ready else "unready", "checks": checks},
                        status=200 if ready else 503)


@never_cache
def metrics_view(request):
    """Prometheus text format, for allowed addresses or the bearer token only."""
    if not scrape.scrape_allowed(request):
        raise Http404
    return HttpResponse(scrape.exposition(), content_type=CONTENT_TYPE_LATEST)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token (open too long, or
    cookies blocked) gets the site's own page in the visitor's language, with
    the context processors' institution and menus, not Django's technical one.
    The reason goes to the log, never to the page."""
    logger.warning("csrf refused: %s", reason)
    return render(request, "403_csrf.html", status=403)
