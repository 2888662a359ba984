"""`imbizo worker`: run queued tasks and enqueue periodic sweeps.

One process does both: the django-tasks-db worker loop in the main thread and
a ticker thread that enqueues each registered periodic task when it is due.
Several workers may run at once; sweeps are written to be idempotent.
"""

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

from imbizo.core.periodic import periodic_tasks

logger = logging.getLogger("imbizo.worker")


class Ticker(threading.Thread):
    def __init__(self, *, resolution: float = 5.0):
        super().__init__(name="imbizo-ticker", daemon=True)
        self.resolution = resolution
        self.stopping = threading.Event()
        self.last_run: dict[str, float] = {}

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.tick(time.monotonic())
            except Exception:  # the ticker must outlive a bad tick (db restart, ...)
                logger.exception("ticker: enqueue failed; retrying")
            finally:
                close_old_connections()
            self.stopping.wait(self.resolution)

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

    def handle(self, *args, interval: float, no_ticker: bool, **options):
        autodiscover_modules("tasks")
        ticker = None
        if not no_ticker:
            ticker = Ticker()
            ticker.start()
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=f"{socket.gethostname()}-{os.getpid()}",
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(
            f"Worker started (pid {os.getpid()}); periodic tasks: "
            f"{', '.join(sorted(periodic_tasks())) or 'none'}"
        )
        try:
            self._run_until_stopped(worker)
        finally:
            if ticker:
                ticker.stopping.set()

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
