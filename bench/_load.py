"""A real write load for the page benchmarks (bench/province.py, bench/replica.py):
gunicorn serving config.wsgi (sync workers, as in production) and wrk posting
the citizen report form at a fixed rate (bench/report_load.lua).

The load runs in processes of its own, not in the process that times the pages,
so the page timing does not share an interpreter with it. Each report has its
own idempotency key and a point in one of the wards, for one of the services
that ask no required question. The public rate limits are off: every report
comes from one address and would be refused (429).

    forms = report_forms()                  # Django set up on the primary
    with ReportLoad(env=..., forms=forms, rate=100) as load:
        ...                                 # time the pages
    print(load.result.line(100))            # taken/s, p99, errors, CPU
"""

import os
import random
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from _harness import Processes, children, free_port, gunicorn_argv, wait_http
from _setup import ROOT

SCRIPT = Path(__file__).resolve().parent / "report_load.lua"
TICKS = os.sysconf("SC_CLK_TCK")


def report_forms(limit: int = 2000) -> list[dict]:
    """Report forms spread over the wards (their centroids) and the active services
    that ask no required question; Django must be set up on the database written to."""
    from imbizo.catalogue.models import Service
    from imbizo.geo.models import Ward
    from imbizo.web.questions import QUESTIONS_FOR

    services = list(Service.objects.filter(active=True).exclude(attributes__required=True)
                    .order_by("code").values_list("code", flat=True))
    wards = list(Ward.objects.order_by("code").values_list("centroid_lat", "centroid_lon"))
    if not services or not wards:
        raise SystemExit("the report load needs at least one ward and one active service")
    draw = random.Random(23)
    forms = []
    for n in range(max(limit, len(wards))):
        lat, lon = wards[n % len(wards)]
        service = draw.choice(services)
        # As a browser sends it once the service's (optional) questions were shown.
        forms.append({"kind": "request", "service": service, QUESTIONS_FOR: service,
                      "lat": f"{lat:.6f}", "lon": f"{lon:.6f}",
                      "description": "Water is running down the street from a broken pipe.",
                      "citizen_name": "Bench Citizen", "citizen_email": "bench@example.org",
                      "contact_consent": "on"})
    draw.shuffle(forms)
    return forms


def cpu_ticks(pid: int) -> int:
    """User and system CPU of process `pid` so far, in clock ticks (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def machine_ticks() -> dict[str, int]:
    """The whole machine's CPU so far (every core), in clock ticks: busy, waiting on
    I/O, and in all, from the first line of /proc/stat."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9])
    busy = user + nice + system + irq + softirq + steal
    return {"busy": busy, "iowait": iowait, "all": busy + idle + iowait}


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on the machine (the benchmark's and any other)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class PostgresCpu:
    """CPU of every PostgreSQL process from `start` to `stop`, in clock ticks, looked at
    twice a second: a backend that ends in between (a connection closed after
    CONN_MAX_AGE) keeps what it used up to the last look."""

    def __init__(self):
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _look(self) -> None:
        for pid in postgres_pids():
            ticks = cpu_ticks(pid)
            self.last[pid] = max(ticks, self.last.get(pid, 0))

    def _run(self) -> None:
        while not self.stopping.wait(0.5):
            self._look()

    def start(self) -> None:
        self._look()
        self.first = dict(self.last)  # a process started later counts from zero
        self.thread.start()

    def stop(self) -> int:
        self.stopping.set()
        self.thread.join()
        self._look()
        return sum(ticks - self.first.get(pid, 0) for pid, ticks in self.last.items())


@dataclass
class LoadResult:
    seconds: float
    requests: int
    taken: int
    refused: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    late: int  # reports sent after their slot: the rate was not held at that moment
    worst_late_ms: float
    statuses: dict = field(default_factory=dict)
    cpu: dict = field(default_factory=dict)  # group -> share of one core over the run

    @property
    def rate(self) -> float:
        return self.taken / self.seconds if self.seconds else 0.0

    def line(self, target: float) -> str:
        statuses = ", ".join(f"{code}: {n:,}" for code, n in sorted(self.statuses.items()))
        cpu = ", ".join(f"{group} {share:.0%}" for group, share in self.cpu.items()
                        if not group.startswith("machine"))
        return (f"reports: {self.taken:,} taken in {self.seconds:.0f} s, {self.rate:.1f}/s "
                f"(target {target:.0f}), p50 {self.p50_ms:.0f} ms, p99 {self.p99_ms:.0f} ms, "
                f"max {self.max_ms:.0f} ms, refused {self.refused} ({statuses}), socket "
                f"errors {self.socket_errors}, late {self.late:,} (worst "
                f"{self.worst_late_ms:.0f} ms); CPU of one core: {cpu}; machine (all "
                f"{os.cpu_count()} cores) busy {self.cpu.get('machine busy', 0):.0%}, waiting "
                f"on I/O {self.cpu.get('machine iowait', 0):.0%}")


class ReportLoad:
    """gunicorn on `env`'s database and wrk posting `forms` at `rate` a second in all,
    from `start` until `stop` (or the `with` block's end), when `result` is set."""

    def __init__(self, *, env: dict, forms: list[dict], rate: float, workers: int = 2,
                 connections: int = 32, threads: int = 1, logs: Path | None = None):
        if not shutil.which("wrk"):
            raise SystemExit("the report load needs wrk (apt-get install wrk)")
        self.env = {**env, "RATE_LIMITS_ENABLED": "false", "ACCESS_LOG_LEVEL": "WARNING",
                    "DEBUG": "false"}
        self.forms, self.rate, self.workers = forms, rate, workers
        self.connections, self.threads = max(connections, threads), threads
        self.processes = Processes(logs or ROOT / "var" / "bench-load")
        self.port = free_port()
        self.csrf = secrets.token_hex(16)  # 32 characters: Django takes an unmasked secret
        self.result: LoadResult | None = None
        self._wrk: subprocess.Popen | None = None
        self._forms_file = None

    def start(self) -> "ReportLoad":
        web = self.processes.start("web", gunicorn_argv(self.port, self.workers), self.env)
        wait_http(f"http://127.0.0.1:{self.port}/healthz", process=web)
        self._web = web
        self._forms_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives with wrk
            "w", prefix="imbizo-report-forms-", suffix=".txt")
        for form in self.forms:
            self._forms_file.write(urllib.parse.urlencode(
                {**form, "csrfmiddlewaretoken": self.csrf}) + "\n")
        self._forms_file.flush()
        wrk_env = {**os.environ, "BENCH_RATE": str(self.rate), "BENCH_THREADS": str(self.threads),
                   "BENCH_CSRF": self.csrf, "BENCH_FORMS": self._forms_file.name,
                   "BENCH_RUN": f"load-{secrets.token_hex(4)}"}
        self._cpu_before, self._machine_before = self._cpu(), machine_ticks()
        self._postgres = PostgresCpu()
        self._postgres.start()
        self._started = time.monotonic()
        # wrk stops at its duration or at SIGINT, and prints its summary either way.
        self._wrk = subprocess.Popen(
            ["wrk", f"-t{self.threads}", f"-c{self.connections}", "-d24h", "--timeout", "30s",
             "-s", str(SCRIPT), f"http://127.0.0.1:{self.port}/report/"],
            env=wrk_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        return self

    def _cpu(self) -> dict[str, int]:
        web = [self._web.pid, *children(self._web.pid)]
        ticks = {"gunicorn": sum(cpu_ticks(pid) for pid in web),
                 "page timing": cpu_ticks(os.getpid())}
        if self._wrk is not None:
            ticks["wrk"] = cpu_ticks(self._wrk.pid)
        return ticks

    def stop(self) -> LoadResult:
        if self.result is not None:
            return self.result
        seconds = time.monotonic() - self._started
        after, machine = self._cpu(), machine_ticks()
        after["postgres (all)"] = self._postgres.stop()
        cpu = {group: (after[group] - self._cpu_before.get(group, 0)) / TICKS / seconds
               for group in after}
        spent = max(1, machine["all"] - self._machine_before["all"])
        cpu["machine busy"] = (machine["busy"] - self._machine_before["busy"]) / spent
        cpu["machine iowait"] = (machine["iowait"] - self._machine_before["iowait"]) / spent
        self._wrk.send_signal(signal.SIGINT)
        out, _ = self._wrk.communicate(timeout=60)
        self.processes.stop_all()
        self._forms_file.close()
        summary = next((line for line in out.splitlines() if line.startswith("LOAD ")), None)
        if summary is None:
            raise SystemExit(f"wrk gave no summary:\n{out[-2000:]}")
        fields = summary.split()[1:]
        statuses = {int(code): int(n) for _, code, n in
                    (line.split() for line in out.splitlines() if line.startswith("STATUS "))}
        self.result = LoadResult(
            seconds=int(fields[1]) / 1e6, requests=int(fields[0]), taken=int(fields[2]),
            refused=int(fields[3]), socket_errors=int(fields[4]), p50_ms=float(fields[5]),
            p99_ms=float(fields[6]), max_ms=float(fields[7]), late=int(fields[8]),
            worst_late_ms=float(fields[9]), statuses=statuses, cpu=cpu)
        return self.result

    def __enter__(self) -> "ReportLoad":
        return self.start()

    def __exit__(self, *exc) -> None:
        if self._wrk is not None:
            self.stop()
        else:
            self.processes.stop_all()
