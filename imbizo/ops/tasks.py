"""Housekeeping for the worker itself."""

from datetime import timedelta

from django.db.models import Q
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from imbizo.core import clock
from imbizo.core.periodic import periodic

from .heartbeat import heartbeats_prune
from .partitions import months_ensure

# Sweeps run every few seconds; their results are only worth a day.
KEEP_SUCCESSFUL = timedelta(days=1)
KEEP_FAILED = timedelta(days=14)


def task_results_prune(*, now=None) -> int:
    """Delete finished task results: successful after a day, failed after two weeks."""
    now = now or clock.now()
    deleted, _ = DBTaskResult.objects.finished().filter(
        Q(status="SUCCESSFUL", finished_at__lte=now - KEEP_SUCCESSFUL)
        | Q(status="FAILED", finished_at__lte=now - KEEP_FAILED)
    ).delete()
    return deleted


@periodic(every_seconds=3600)
@task()
def task_results_prune_task() -> int:
    heartbeats_prune()
    return task_results_prune()


@periodic(every_seconds=3600)
@task()
def partitions_ensure_task() -> dict[str, list[str]]:
    """Months ahead for every partitioned table, and a month for any row waiting
    in DEFAULT (ADR 0045). Hourly: a row dated in a month with no partition
    waits in DEFAULT at most an hour before it is moved into its own month."""
    return months_ensure()
