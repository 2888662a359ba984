"""`imbizo worker`: run queued tasks and enqueue periodic sweeps.

One process does both: the django-tasks-db worker loop in the main thread and
a ticker thread that enqueues each registered periodic task when it is due.
Several workers may run at once; sweeps are written to be idempotent.

Queues: a worker serves every queue but the long ones (LONG_QUEUES: triage's
training), which a worker of their own serves (`imbizo worker --queue triage`,
heartbeat only, no periodic enqueueing): a training run never holds up messages
and sweeps. `imbizo run` starts both.
"""

import contextlib
import logging
import os
import socket
import threading
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from imbizo.core import clock
from imbizo.core.periodic import periodic_tasks
from imbizo.ops import metrics
from imbizo.ops.heartbeat import heartbeat_beat, heartbeat_forget
from imbizo.ops.reclaim import tasks_reclaim

logger = logging.getLogger("imbizo.worker")

# Queues of long tasks, served only by a worker started with --queue NAME.
LONG_QUEUES = ("triage",)


class Ticker(threading.Thread):
    """Every few seconds: the worker's heartbeat, the tasks of dead workers
    back to the queue, and (unless `periodic` is off) the periodic tasks that
    fall due."""

    def __init__(self, *, resolution: float = 5.0, worker_id: str = "", periodic: bool = True):
        super().__init__(name="imbizo-ticker", daemon=True)
        self.resolution = resolution
        self.worker_id = worker_id
        self.periodic = periodic
        self.started_at = clock.now()
        self.stopping = threading.Event()
        self.last_run: dict[str, float] = {}

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.step(time.monotonic())
            except Exception:  # the ticker must outlive a bad tick (db restart, ...)
                logger.exception("ticker: enqueue failed; retrying")
            finally:
                close_old_connections()
            self.stopping.wait(self.resolution)

    def step(self, now: float) -> None:
        if self.worker_id:
            heartbeat_beat(worker_id=self.worker_id, started_at=self.started_at)
        reclaimed = tasks_reclaim()
        if reclaimed:
            logger.warning("ticker: %d task(s) of a worker gone silent back to the queue",
                           reclaimed)
        if self.periodic:
            self.tick(now)

    def tick(self, now: float) -> None:
        for path, entry in periodic_tasks().items():
            last = self.last_run.get(path)
            if last is not None and now - last < entry.every_seconds:
                continue
            self.last_run[path] = now
            waiting = DBTaskResult.objects.ready().filter(task_path=path).exists()
            if not waiting:
                entry.task.enqueue()
                logger.debug("ticker: enqueued %s", path)


class Command(BaseCommand):
    help = "Run background tasks and the periodic sweeps (clocks, outbox, retention)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--no-ticker", action="store_true", help="Run tasks only.")
        parser.add_argument("--queue", default="",
                            help=f"Serve only this queue (one of {', '.join(LONG_QUEUES)}); "
                                 "default: every other queue.")

    def handle(self, *args, interval: float, no_ticker: bool, queue: str = "", **options):
        autodiscover_modules("tasks")
        metrics.worker_instrument()
        worker_id = f"{socket.gethostname()}-{os.getpid()}"
        ticker = Ticker(worker_id=worker_id, periodic=not no_ticker and not queue)
        ticker.start()
        worker = Worker(
            queue_names=[queue] if queue else ["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[] if queue else list(LONG_QUEUES),
        )
        worker.configure_signals()
        self.stdout.write(
            f"Worker started (pid {os.getpid()}, queues: {queue or 'all but ' + ', '.join(LONG_QUEUES)}); "
            f"periodic tasks: "
            f"{'enqueued by the other worker' if queue else ', '.join(sorted(periodic_tasks())) or 'none'}"
        )
        try:
            self._run_until_stopped(worker)
        finally:
            ticker.stopping.set()
            ticker.join(timeout=ticker.resolution + 5)
            # If the database is gone the row ages out; readiness then reports the worker gone.
            with contextlib.suppress(DatabaseError):
                heartbeat_forget(worker_id=worker_id)

    def _run_until_stopped(self, worker: Worker) -> None:
        """Run the task loop; when the database goes away, wait and carry on."""
        delay = 1.0
        while worker.running:
            try:
                worker.run()
            except DatabaseError:
                logger.exception("worker: database unavailable; retrying in %.0f s", delay)
                close_old_connections()
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
            else:
                return
