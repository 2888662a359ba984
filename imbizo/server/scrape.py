"""What /metrics answers (see docs/adr/0013-metrics.md): the events every
process counted (imbizo.ops.metrics) and the state now, read from the
database at scrape time.

State is always right, whichever process answers and however many workers
there are: tasks waiting, the outbox backlog, the age of the worker
heartbeat, for a few indexed counts.

/metrics answers only to addresses in METRICS_ALLOWED_IPS or to requests
bearing METRICS_TOKEN; with neither set it does not exist (404).
"""

import hmac
import ipaddress
import logging

from django.conf import settings
from django.db.models import Count, Min
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from imbizo.core import clock
from imbizo.core.replica import replica_configured, replica_health
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.ops.metrics import multiprocess_dir
from imbizo.ops.models import WorkerHeartbeat

logger = logging.getLogger("imbizo.ops")

WORKER_ALIVE_SECONDS = 60


# --- state, from the database at scrape time ----------------------------------------------


class StateCollector:
    """Gauges computed from the database when Prometheus scrapes."""

    def collect(self):
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


class ReplicaCollector:
    """The replica's lag, measured at scrape time (only when one is configured)."""

    def collect(self):
        up = GaugeMetricFamily("imbizo_replica_up", "1 when the replica answered this scrape.")
        health = replica_health(fresh=True)
        up.add_metric([], 1 if health.reachable else 0)
        yield up
        if health.reachable:
            lag = GaugeMetricFamily("imbizo_replica_lag_seconds",
                                    "How far the replica is behind the primary "
                                    "(0 when it has replayed all it received).")
            lag.add_metric([], health.lag_seconds)
            yield lag


def _age(now, then) -> float:
    return max(0.0, (now - then).total_seconds()) if then else 0.0


def exposition() -> bytes:
    """The text Prometheus scrapes: every process's events, and the state now."""
    registry = CollectorRegistry()
    registry.register(StateCollector())
    if replica_configured():
        registry.register(ReplicaCollector())
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
