"""Prometheus metrics, exposed at /metrics (see docs/adr/0013-metrics.md).

Two kinds, kept apart on purpose:

- Events, counted where they happen, with prometheus-client: request latency
  by view (web processes), sweep durations and breaches (the worker). Under
  gunicorn each process counts alone; with PROMETHEUS_MULTIPROC_DIR set (for
  every web and worker process on the host, before start) they write to files
  there and any web process adds them up at scrape time.
- State, read from the database at scrape time: tasks waiting, the outbox
  backlog, the age of the worker heartbeat. Always right, whichever process
  answers and however many workers there are, and a few indexed counts cost.

/metrics answers only to addresses in METRICS_ALLOWED_IPS or to requests
bearing METRICS_TOKEN; with neither set it does not exist (404).
"""

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.db.models import Count, Min
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from imbizo.core import clock

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

CLOCKS_SWEEP = "imbizo.cases.tasks.clocks_sweep_task"
BREACH_KINDS = {"ack_breached": "acknowledge", "breached": "resolve"}
WORKER_ALIVE_SECONDS = 60


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


def task_finished_observe(sender, task_result, **kwargs) -> None:
    """django-tasks' task_finished receiver, in the worker: sweep durations and breaches.

    Never raises: the worker would record the task itself as failed.
    """
    try:
        from imbizo.core.periodic import periodic_tasks

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
    from django_tasks.signals import task_finished

    task_finished.connect(task_finished_observe, dispatch_uid="imbizo.ops.metrics")


# --- state, from the database at scrape time ----------------------------------------------


class StateCollector:
    """Gauges computed from the database when Prometheus scrapes."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from imbizo.notify.models import MessageStatus, OutboxMessage

        from .models import WorkerHeartbeat

        up = GaugeMetricFamily("imbizo_database_up", "1 when the database answered this scrape.")
        try:
            now = clock.now()
            queue = GaugeMetricFamily("imbizo_task_queue_depth",
                                      "Tasks ready to run and not yet started, by queue.",
                                      labels=["queue"])
            ready = DBTaskResult.objects.ready()
            for row in ready.values("queue_name").annotate(n=Count("id")).order_by():
                queue.add_metric([row["queue_name"]], row["n"])
            oldest_task = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
            task_wait = GaugeMetricFamily("imbizo_task_oldest_wait_seconds",
                                          "How long the oldest ready task has waited.")
            task_wait.add_metric([], _age(now, oldest_task))

            outbox = GaugeMetricFamily("imbizo_outbox_messages",
                                       "Outbox messages not sent, by status "
                                       "(pending, sending, failed: given up).",
                                       labels=["status"])
            unsent = [MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.FAILED]
            counts = dict(OutboxMessage.objects.filter(status__in=unsent).values("status")
                          .annotate(n=Count("id")).order_by().values_list("status", "n"))
            for status in unsent:
                outbox.add_metric([str(status)], counts.get(status, 0))
            overdue = OutboxMessage.objects.filter(
                status=MessageStatus.PENDING, next_attempt_at__lte=now,
            ).aggregate(oldest=Min("next_attempt_at"))["oldest"]
            outbox_wait = GaugeMetricFamily("imbizo_outbox_oldest_due_seconds",
                                            "How long the oldest due message has waited.")
            outbox_wait.add_metric([], _age(now, overdue))

            beats = list(WorkerHeartbeat.objects.values_list("seen_at", flat=True))
            alive = GaugeMetricFamily("imbizo_workers_alive",
                                      f"Workers seen in the last {WORKER_ALIVE_SECONDS} s.")
            alive.add_metric([], sum(1 for seen in beats if _age(now, seen) < WORKER_ALIVE_SECONDS))
            heartbeat = GaugeMetricFamily("imbizo_worker_heartbeat_age_seconds",
                                          "Seconds since any worker last beat (absent: never).")
            if beats:
                heartbeat.add_metric([], _age(now, max(beats)))
        except Exception:  # noqa: BLE001 - a scrape during an outage says so, it does not fail
            logger.warning("metrics: database state not read", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield from (up, queue, task_wait, outbox, outbox_wait, alive, heartbeat)


def _age(now, then) -> float:
    return max(0.0, (now - then).total_seconds()) if then else 0.0


def exposition() -> bytes:
    """The text Prometheus scrapes: every process's events, and the state now."""
    registry = CollectorRegistry()
    registry.register(StateCollector())
    state = generate_latest(registry)
    if multiprocess_dir():
        events = CollectorRegistry()
        multiprocess.MultiProcessCollector(events)
        return generate_latest(events) + state
    return generate_latest(REGISTRY) + state


# --- who may scrape -----------------------------------------------------------------------


def scrape_allowed(request) -> bool:
    """True for an allowed address (METRICS_ALLOWED_IPS) or the bearer token
    (METRICS_TOKEN). Nobody when neither is set."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        offered = request.headers.get("Authorization", "")
        if hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
            return True
    networks = getattr(settings, "METRICS_ALLOWED_IPS", [])
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net, strict=False) for net in networks)
    return False
