"""The database briefly out of reach: gunicorn (2 workers) and `imbizo worker`
talk to PostgreSQL through a TCP proxy this script controls (the shared
server is never touched). Under steady load (pages and reports), the proxy is
cut for --cut seconds, then restored. Every answer during the cut must be a
503 page (or a JSON 503), never a 500 or a stack trace; the site must answer
again without a restart (the same process ids), and the worker must carry on.

Ends with: outage: cut S s, R requests during, 503 N, other E, recovered in T s, restarts X

Usage: .venv/bin/python bench/outage.py [--cut 10] [--rate 20]
"""

import argparse
import collections
import os
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection

from _harness import (
    ROOT,
    VAR,
    MailSink,
    Processes,
    children,
    django_setup,
    free_port,
    gunicorn_argv,
    postgres_database_create,
    postgres_database_drop,
    seed,
    wait_http,
    worker_argv,
)
from _setup import PG_SERVER, machine

sys.path.insert(0, str(ROOT))
from tests.ops.tcp_proxy import TcpProxy  # noqa: E402

DATABASE = "imbizo_bench_outage"


class Prober:
    """Threads alternating a catalogue page and a report, recording each answer."""

    def __init__(self, port: int, form: dict, rate: float, threads: int = 4):
        self.port, self.form, self.rate, self.threads = port, form, rate, threads
        self.answers: list[tuple[float, int, bool]] = []  # (time, status, stack trace?)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.csrf = "a" * 32
        self.count = 0

    def start(self):
        self._threads = [threading.Thread(target=self._run, daemon=True)
                         for _ in range(self.threads)]
        for thread in self._threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self):
        interval = self.threads / self.rate
        while not self.stopping.is_set():
            with self.lock:
                self.count += 1
                n = self.count
            if n % 2:
                status, body = self._request("GET", "/services/", None)
            else:
                status, body = self._request("POST", "/report/", urllib.parse.urlencode({
                    **self.form, "csrfmiddlewaretoken": self.csrf,
                    "idempotency_key": f"outage-{n}-{time.time_ns()}",
                    "description": f"Outage probe {n}"}))
            with self.lock:
                self.answers.append((time.monotonic(), status, b"Traceback" in body))
            time.sleep(interval)

    def _request(self, method, path, body):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {"Cookie": f"csrftoken={self.csrf}"}
            if body:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        except Exception:  # noqa: BLE001 - a refused or cut connection is an answer too
            return 0, b""
        finally:
            conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cut", type=float, default=10, help="seconds without the database")
    parser.add_argument("--rate", type=float, default=20, help="requests a second")
    args = parser.parse_args()

    url = postgres_database_create(DATABASE)
    server = urllib.parse.urlsplit(PG_SERVER)
    proxy = TcpProxy(target=(server.hostname or "127.0.0.1", server.port or 5432)).start()
    mail = MailSink()
    mail.start()
    port = free_port()
    processes = Processes(VAR / "bench-outage")
    try:
        django_setup(url, {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail.port),
            "ACCESS_LOG_LEVEL": "WARNING", "OUTBOX_LEASE_SECONDS": "15"})
        form = seed()
        from django.db import connection

        connection.close()
        print(f"database: PostgreSQL through a proxy; machine: {machine()}; "
              f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        proxied = url.replace(f"{server.hostname}:{server.port}", f"127.0.0.1:{proxy.port}")
        env = {**os.environ, "DATABASE_URL": proxied}
        web = processes.start("gunicorn", gunicorn_argv(port, 2), env)
        task_worker = processes.start("worker", worker_argv(), env)
        wait_http(f"http://127.0.0.1:{port}/healthz", process=web)
        pids_before = children(web.pid)

        prober = Prober(port, form, args.rate)
        prober.start()
        time.sleep(5)
        cut_at = time.monotonic()
        proxy.cut()
        time.sleep(args.cut)
        restored_at = time.monotonic()
        proxy.restore()
        time.sleep(10)
        prober.stop()
        pids_after = children(web.pid)
        worker_alive = task_worker.poll() is None
    finally:
        processes.stop_all()
        proxy.cut()
        mail.stop()
        from django.db import connections

        connections.close_all()

    during = [a for a in prober.answers if cut_at + 0.5 < a[0] < restored_at]
    statuses = collections.Counter(status for _, status, _ in during)
    traces = sum(1 for *_, trace in prober.answers if trace)
    recovered = next((t for t, status, _ in prober.answers
                      if t > restored_at and status in (200, 302)), None)
    from django.db.models import Count

    from imbizo.cases.models import Case

    cases = Case.objects.count()
    dupes = sum(r["n"] - 1 for r in Case.objects.values("description").annotate(n=Count("id"))
                .filter(n__gt=1))
    after = [s for t, s, _ in prober.answers if recovered and t >= recovered]
    connections.close_all()
    postgres_database_drop(DATABASE)

    other = sum(n for status, n in statuses.items() if status != 503)
    restarts = len(set(pids_before) ^ set(pids_after)) // 2 + (0 if worker_alive else 1)
    recovered_in = f"{recovered - restored_at:.1f}" if recovered else "never"
    print(f"answers during the cut (by status): {dict(statuses)}; stack traces seen: {traces}")
    print(f"after recovery: {len(after)} requests, {sum(1 for s in after if s >= 500 or s == 0)}"
          f" failed; cases stored {cases}, duplicated {dupes}; worker alive: {worker_alive}")
    print(f"outage: cut {args.cut:g} s, {len(during)} requests during, 503 {statuses[503]}, "
          f"other {other}, recovered in {recovered_in} s, restarts {restarts}")
    return 0 if (other == 0 and traces == 0 and recovered and restarts == 0) else 1


if __name__ == "__main__":
    sys.exit(main())
