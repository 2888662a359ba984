"""Real processes for the fault and soak benchmarks: a database of their own,
gunicorn and the task worker started (and restarted) as a supervisor would,
a loopback SMTP server that records every message it accepts, and a load
generator posting the citizen report form.

Every child runs in its own process group; `Processes.stop_all` ends the
groups, and it runs on normal exit, on an exception, on Ctrl-C and on SIGTERM.
"""

import atexit
import collections
import contextlib
import datetime
import email.parser
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

from _setup import PG_SERVER, ROOT, postgres_reachable

VAR = ROOT / "var"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the database -----------------------------------------------------------------


def postgres_database_create(name: str) -> str:
    """A new, empty PostgreSQL database called `name` (dropped first if left over)."""
    if not postgres_reachable():
        raise SystemExit(f"this benchmark needs PostgreSQL at {PG_SERVER}")
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def postgres_database_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup(url: str, extra_env: dict) -> None:
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                       "DEBUG": "false", **extra_env})
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def seed() -> dict:
    """One institution, ward, office and published service; the report form's fields."""
    from imbizo.cases.models import RoutingRule
    from imbizo.catalogue.models import Service, ServiceStandard
    from imbizo.geo.services import ward_save
    from imbizo.org.models import Department, Institution, Office

    Institution.objects.create(pk=1, name="Bench Metro")
    ward_save(code="B1", name="Bench ward", boundary={
        "type": "Polygon",
        "coordinates": [[[28, -26.3], [28.2, -26.3], [28.2, -26.1], [28, -26.1], [28, -26.3]]],
    })
    dept = Department.objects.create(code="water", name="Water")
    office = Office.objects.create(code="depot", name="Depot", department=dept)
    service = Service.objects.create(code="water-leak", name="Water leak", department=dept)
    ServiceStandard.objects.create(
        service=service, version=1, pledge="We fix leaks within 5 working days.",
        redress="Call the depot supervisor.", effective_from=datetime.date(2020, 1, 1),
        published=True,
    )
    RoutingRule.objects.create(service=service, office=office)
    return {"kind": "request", "service": "water-leak", "lat": "-26.2", "lon": "28.1",
            "citizen_name": "Bench Citizen", "citizen_email": "bench@example.org",
            "contact_consent": "on"}


# --- processes ----------------------------------------------------------------------


class Processes:
    """Children in process groups of their own, all ended when this process ends."""

    def __init__(self, logs: Path):
        self.logs = logs
        logs.mkdir(parents=True, exist_ok=True)
        self.running: dict[str, subprocess.Popen] = {}
        atexit.register(self.stop_all)
        signal.signal(signal.SIGTERM, self._terminated)

    def _terminated(self, signum, frame):
        raise SystemExit(128 + signum)  # unwinds through finally blocks, then atexit

    def start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - lives with the child
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.running[name] = process
        return process

    def stop(self, name: str, timeout: float = 20) -> None:
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        _signal_group(process.pid, signal.SIGKILL)  # stragglers of the group

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


def gunicorn_argv(port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
            "--graceful-timeout", "5", "--log-level", "warning"]


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "imbizo.cli", "worker"]


def children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces; fields after it are fixed.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def wait_http(url: str, timeout: float = 60, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


# --- a loopback mail server ---------------------------------------------------------


class MailSink:
    """An SMTP server on loopback that keeps the outbox id of every message it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.received: collections.Counter = collections.Counter()
        self.last_at = 0.0  # time.monotonic() of the last message accepted
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        with self.lock:
            self.received[headers.get("X-Imbizo-Message", "?")] += 1
            self.last_at = time.monotonic()
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def snapshot(self) -> collections.Counter:
        with self.lock:
            return collections.Counter(self.received)


# --- the load generator -------------------------------------------------------------


@dataclass
class Outcome:
    acknowledged: dict = field(default_factory=dict)  # idempotency key -> reference
    conflicting: int = 0  # a retry answered with another reference than the first try
    errors: collections.Counter = field(default_factory=collections.Counter)
    retries: int = 0  # tries again after a failed try
    resubmitted: int = 0  # the same report sent again after it was acknowledged
    requests: int = 0
    latencies: list = field(default_factory=list)


class ReportLoad:
    """Threads posting the report form at a steady total rate, each report with its
    own idempotency key and a marker in its text; a failed try (connection cut, 5xx)
    is retried with the same key, as a browser's resubmission would be."""

    def __init__(self, *, port: int, form: dict, rate: float, threads: int = 8,
                 retries: int = 8, marker: str = "bench", resubmit: float = 0.05):
        self.port, self.form, self.rate, self.threads = port, form, rate, threads
        self.retries, self.marker, self.resubmit = retries, marker, resubmit
        self.csrf = secrets.token_hex(16)  # 32 characters: Django takes an unmasked secret
        self.outcome = Outcome()
        self.in_flight = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for n in range(self.threads):
            thread = threading.Thread(target=self._run, args=(n,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self, n: int) -> None:
        interval = self.threads / self.rate
        next_at = time.monotonic() + random.random() * interval
        count = 0
        while not self.stopping.is_set():
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            next_at = max(next_at + interval, time.monotonic() - interval)
            count += 1
            self._report(f"{self.marker}-{n}-{count}")

    def _report(self, key: str) -> None:
        body = urllib.parse.urlencode({
            **self.form, "csrfmiddlewaretoken": self.csrf, "idempotency_key": key,
            "description": f"Water running down the street ({self.marker} report {key}).",
        })
        first_reference = None
        for attempt in range(self.retries):
            started = time.perf_counter()
            status, location, error = self._post("/report/", body)
            elapsed = time.perf_counter() - started
            with self.lock:
                self.outcome.requests += 1
                if attempt and first_reference is None:
                    self.outcome.retries += 1
                elif attempt:
                    self.outcome.resubmitted += 1
                if status == 302 and "/track/" in location:
                    reference = location.split("/track/", 1)[1].split("/", 1)[0]
                    self.outcome.latencies.append(elapsed)
                    if first_reference is None:
                        first_reference = reference
                        self.outcome.acknowledged[key] = reference
                    elif reference != first_reference:
                        self.outcome.conflicting += 1
                    if first_reference != reference or random.random() >= self.resubmit:
                        return
                    # A citizen pressing "send" again (or the browser resending).
                    continue
                self.outcome.errors[error or f"HTTP {status}"] += 1
            time.sleep(min(0.2 * 2 ** attempt, 3))
        # Never acknowledged: the citizen saw no reference (counted as an error above).

    def _post(self, path: str, body: str) -> tuple[int, str, str]:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        with self.lock:
            self.in_flight += 1
        try:
            conn.request("POST", path, body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.csrf}"})
            response = conn.getresponse()
            response.read()
            return response.status, response.getheader("Location", ""), ""
        except (OSError, ConnectionError) as exc:
            return 0, "", type(exc).__name__
        except Exception as exc:  # noqa: BLE001 - http.client's protocol errors
            return 0, "", type(exc).__name__
        finally:
            with self.lock:
                self.in_flight -= 1
            conn.close()
