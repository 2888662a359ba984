"""Tasks left RUNNING by a worker that died (SIGKILL, a lost machine) go back
to READY, so that another worker picks them up.

django-tasks-db marks a task RUNNING when a worker claims it and never looks
at it again: a worker killed mid-task leaves it RUNNING for ever. Each
`imbizo worker` beats every few seconds (ops.heartbeat), from a thread of its
own, so a long task on a live worker keeps beating; a task whose worker has
not beaten for TASKS_RECLAIM_AFTER_SECONDS (and which started before that) is
returned to the queue by one UPDATE on the primary. The worker that claimed a
task is the last entry of its `worker_ids` (a claim appends to the list).

Every Imbizo task may run twice (docs/operations.md, "Tasks"): sweeps
and folds work from what the database says is due, a message is sent once
per outbox row (a row already sent is skipped).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import CharField, Exists, Func, OuterRef
from django_tasks_db.models import DBTaskResult

from imbizo.core import clock

from .models import WorkerHeartbeat


class LastEntry(Func):
    """The last entry of a JSON array, as text. Django's key transforms take no
    negative index on SQLite, whose JSON path spells the last entry `[#-1]`."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"LastEntry has no SQL for the {connection.vendor} database")

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ->> -1)", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"json_extract({sql}, '$[#-1]')", params


def tasks_reclaim(*, now: datetime | None = None, after_seconds: float | None = None) -> int:
    """Return to READY every RUNNING task whose worker has not beaten for
    `after_seconds` (TASKS_RECLAIM_AFTER_SECONDS); the number returned."""
    now = now or clock.now()
    cutoff = now - timedelta(
        seconds=settings.TASKS_RECLAIM_AFTER_SECONDS if after_seconds is None else after_seconds)
    worker_alive = WorkerHeartbeat.objects.filter(
        worker_id=LastEntry(OuterRef("worker_ids")), seen_at__gte=cutoff)
    return (
        DBTaskResult.objects.running()
        .filter(~Exists(worker_alive), started_at__lt=cutoff)
        .update(status="READY", started_at=None)
    )
