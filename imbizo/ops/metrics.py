"""Prometheus metrics: the events, counted where they happen (docs/adr/0013-metrics.md).

Request latency by view (web processes), sweep durations and breaches (the
worker), with prometheus-client. Under gunicorn each process counts alone;
with PROMETHEUS_MULTIPROC_DIR set (for every web and worker process on the
host, before start) they write to files there and any web process adds them
up at scrape time.

What /metrics answers, these counts and the state read from the database at
scrape time, is the interface's (imbizo.server.scrape).
"""

import logging
import os

from django_tasks.signals import task_finished
from prometheus_client import Counter, Histogram

from imbizo.core.periodic import periodic_tasks

logger = logging.getLogger("imbizo.ops")

REQUEST_DURATION = Histogram(
    "imbizo_http_request_duration_seconds",
    "Time to answer a request, by view (the route's name, never the path).",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REQUESTS = Counter(
    "imbizo_http_requests", "Requests answered, by view and status code.",
    ["view", "method", "status"],
)
SWEEP_DURATION = Histogram(
    "imbizo_sweep_duration_seconds",
    "Time a periodic task (a sweep) took to run, by task.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0),
)
SWEEP_FAILURES = Counter("imbizo_sweep_failures", "Periodic tasks that raised, by task.", ["task"])
BREACHES = Counter(
    "imbizo_breaches",
    "Service-standard deadlines missed, as fired by the clock sweep "
    "(clock: acknowledge or resolve).",
    ["clock"],
)
RATE_LIMIT_REFUSALS = Counter(
    "imbizo_rate_limit_refusals",
    "Requests refused by a rate limit (answered 429), by scope (report, track, login, ...).",
    ["scope"],
)
REPLICA_FALLBACKS = Counter(
    "imbizo_replica_fallback",
    "Replica-eligible requests (public and insight pages) that read from the primary, "
    "by reason: lag (the replica too far behind) or down (out of reach).",
    ["reason"],
)

CLOCKS_SWEEP = "imbizo.cases.tasks.clocks_sweep_task"
BREACH_KINDS = {"ack_breached": "acknowledge", "breached": "resolve"}


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


# --- events -----------------------------------------------------------------------------


def request_observe(request, status: int, seconds: float) -> None:
    """Count one answered request under its view's name."""
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else "unmatched"
    method = request.method if request.method in _METHODS else "other"
    REQUEST_DURATION.labels(view, method).observe(seconds)
    REQUESTS.labels(view, method, str(status)).inc()


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def rate_limit_refused_observe(sender, scope: str, **kwargs) -> None:
    """core.ratelimit's rate_limit_refused receiver: count one refusal."""
    RATE_LIMIT_REFUSALS.labels(scope).inc()


def replica_fallback_observe(sender, reason: str, **kwargs) -> None:
    """core.replica's replica_fallback receiver: count one request sent back to the primary."""
    REPLICA_FALLBACKS.labels(reason).inc()


def task_finished_observe(sender, task_result, **kwargs) -> None:
    """django-tasks' task_finished receiver, in the worker: sweep durations and breaches.

    Never raises: the worker would record the task itself as failed.
    """
    try:
        path = task_result.task.module_path
        if path not in periodic_tasks():
            return
        name = path.rsplit(".", 1)[-1]
        if task_result.started_at and task_result.finished_at:
            SWEEP_DURATION.labels(name).observe(
                (task_result.finished_at - task_result.started_at).total_seconds())
        if str(task_result.status) != "SUCCESSFUL":
            SWEEP_FAILURES.labels(name).inc()
            return
        if path == CLOCKS_SWEEP:
            fired = (task_result.return_value or {}).get("fired", {})
            for kind, clock_name in BREACH_KINDS.items():
                if fired.get(kind):
                    BREACHES.labels(clock_name).inc(fired[kind])
    except Exception:  # noqa: BLE001 - metrics must never fail a task
        logger.warning("metrics: task_finished not counted", exc_info=True)


def worker_instrument() -> None:
    """Count sweeps and breaches in this (worker) process."""
    task_finished.connect(task_finished_observe, dispatch_uid="imbizo.ops.metrics")
