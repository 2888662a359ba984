"""Worker heartbeats: written by each worker, read by readiness and metrics."""

from datetime import datetime, timedelta

from django.db.models import Max

from imbizo.core import clock

from .models import WorkerHeartbeat

KEEP = timedelta(days=1)


def heartbeat_beat(*, worker_id: str, started_at: datetime) -> None:
    """Record that `worker_id` is alive now (one row per worker process)."""
    now = clock.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id, defaults={"started_at": started_at, "seen_at": now})


def heartbeat_forget(*, worker_id: str) -> None:
    """A worker stopping cleanly removes its row."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeats_prune(*, now: datetime | None = None) -> int:
    """Forget workers not seen for a day (killed ones leave their row behind)."""
    now = now or clock.now()
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=now - KEEP).delete()
    return deleted


def heartbeat_age_seconds(*, now: datetime | None = None) -> float | None:
    """Seconds since any worker last beat; None when no worker ever did."""
    last = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    if last is None:
        return None
    return max(0.0, ((now or clock.now()) - last).total_seconds())
