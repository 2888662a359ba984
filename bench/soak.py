"""Soak: a long steady load at half the measured capacity, with zero errors
and the memory of every process flat.

On a PostgreSQL database of its own (created, then dropped) it starts gunicorn
(2 sync workers) and `imbizo worker`, mail going to a loopback SMTP server.
The load is a citizen's mix: half reports (the form, each with its own key),
three in ten tracking pages of reports made earlier, two in ten catalogue
pages, and /metrics scraped every 15 s as Prometheus would. First the mix
runs flat out for --probe seconds: that is the capacity (or give
--capacity). Then it runs at half of that for --minutes. The resident memory
(RSS) of the gunicorn master, each web worker and the task worker is sampled
every 10 s; growth compares the mean of the second quarter of the run with
the mean of the last quarter (the first quarter is warm-up), per process, and
the worst process counts.

Ends with: soak: N requests, E errors, memory growth G%

Usage: .venv/bin/python bench/soak.py [--minutes 20] [--capacity R] [--probe 20]
"""

import argparse
import collections
import os
import random
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection

from _harness import (
    VAR,
    MailSink,
    Processes,
    children,
    django_setup,
    free_port,
    gunicorn_argv,
    metrics_env,
    postgres_database_create,
    postgres_database_drop,
    rss_kib,
    scrape,
    seed,
    wait_http,
    worker_argv,
)
from _setup import machine

DATABASE = "imbizo_bench_soak"


class MixedLoad:
    """Threads sending the citizen mix at `rate` requests a second in total
    (0: as fast as they can)."""

    def __init__(self, port: int, form: dict, rate: float, threads: int = 8):
        self.port, self.form, self.rate, self.threads = port, form, rate, threads
        self.csrf = secrets.token_hex(16)
        self.references: list[str] = []
        self.requests = 0
        self.errors: collections.Counter = collections.Counter()
        self.latencies: list[float] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self):
        for n in range(self.threads):
            thread = threading.Thread(target=self._run, args=(n,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self):
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self, n: int):
        rng = random.Random(n)
        interval = self.threads / self.rate if self.rate else 0.0
        next_at = time.monotonic() + rng.random() * interval
        count = 0
        while not self.stopping.is_set():
            if interval:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                next_at = max(next_at + interval, time.monotonic() - interval)
            count += 1
            roll = rng.random()
            if roll < 0.5 or not self.references:
                key = f"soak-{n}-{count}-{time.time_ns()}"
                body = urllib.parse.urlencode({
                    **self.form, "csrfmiddlewaretoken": self.csrf, "idempotency_key": key,
                    "description": f"Water running down the street (soak {key})."})
                self._request("POST", "/report/", body, expect=302)
            elif roll < 0.8:
                self._request("GET", f"/track/{rng.choice(self.references)}/", expect=200)
            else:
                self._request("GET", "/services/water-leak/" if roll < 0.9 else "/services/",
                              expect=200)

    def _request(self, method: str, path: str, body: str | None = None, expect: int = 200):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": f"csrftoken={self.csrf}"}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status, location = response.status, response.getheader("Location", "")
            error = "" if status == expect else f"{method} {path.split('/')[1]} HTTP {status}"
        except Exception as exc:  # noqa: BLE001 - any failure is an error of the soak
            status, location, error = 0, "", f"{method} {type(exc).__name__}"
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.requests += 1
            if error:
                self.errors[error] += 1
            else:
                self.latencies.append(elapsed)
                if "/track/" in location:
                    self.references.append(location.split("/track/", 1)[1].split("/", 1)[0])
                    if len(self.references) > 5000:
                        del self.references[:1000]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--capacity", type=float, default=0,
                        help="requests a second at saturation (default: measure it)")
    parser.add_argument("--probe", type=float, default=20, help="seconds to measure capacity")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    mail = MailSink()
    mail.start()
    port = free_port()
    url = postgres_database_create(DATABASE)
    env_extra = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail.port),
        "ACCESS_LOG_LEVEL": "WARNING", "LOG_LEVEL": "WARNING",
        "SITE_URL": f"http://127.0.0.1:{port}",
        **metrics_env(VAR / "bench-soak" / "metrics"),
    }
    processes = Processes(VAR / "bench-soak")
    samples: dict[str, list[tuple[float, int]]] = collections.defaultdict(list)
    scrapes = collections.Counter()
    backlog_max = 0.0
    try:
        django_setup(url, env_extra)
        form = seed()
        from django.db import connection

        connection.close()
        print(f"database: PostgreSQL ({DATABASE}); machine: {machine()}; "
              f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        env = {**os.environ}
        web = processes.start("gunicorn", gunicorn_argv(port, 2), env)
        worker = processes.start("worker", worker_argv(), env)
        wait_http(f"http://127.0.0.1:{port}/healthz", process=web)

        capacity = args.capacity
        if not capacity:
            probe = MixedLoad(port, form, rate=0, threads=args.threads)
            started = time.monotonic()
            probe.start()
            time.sleep(args.probe)
            probe.stop()
            capacity = probe.requests / (time.monotonic() - started)
            print(f"capacity (the mix, flat out, {args.threads} threads, {args.probe:g} s): "
                  f"{capacity:.0f} req/s, p99 {percentile(probe.latencies, 0.99) * 1000:.0f} ms, "
                  f"errors {sum(probe.errors.values())}")
        rate = capacity / 2
        load = MixedLoad(port, form, rate=rate, threads=args.threads)
        seconds = args.minutes * 60
        started = time.monotonic()
        load.start()
        next_scrape = next_sample = started
        while time.monotonic() - started < seconds:
            now = time.monotonic()
            if now >= next_sample:
                pids = {"gunicorn master": web.pid, "task worker": worker.pid}
                for n, pid in enumerate(children(web.pid)):
                    pids[f"web worker {n + 1} (pid {pid})"] = pid
                for name, pid in pids.items():
                    rss = rss_kib(pid)
                    if rss:
                        samples[name].append((now - started, rss))
                next_sample += 10
            if now >= next_scrape:
                try:
                    metrics = scrape(port)
                    scrapes["ok"] += 1
                    backlog_max = max(backlog_max,
                                      metrics.get('imbizo_outbox_messages{status="pending"}', 0))
                except Exception as exc:  # noqa: BLE001
                    scrapes[type(exc).__name__] += 1
                next_scrape += 15
            time.sleep(0.5)
        load.stop()
        elapsed = time.monotonic() - started
        restarted = worker.poll() is not None
    finally:
        processes.stop_all()
        mail.stop()
        from django.db import connections

        connections.close_all()
        postgres_database_drop(DATABASE)

    growths = {}
    print(f"rate: {rate:.0f} req/s target for {elapsed / 60:.1f} min; achieved "
          f"{load.requests / elapsed:.0f} req/s; p50 {percentile(load.latencies, 0.5) * 1000:.0f} ms, "
          f"p99 {percentile(load.latencies, 0.99) * 1000:.0f} ms")
    print(f"errors: {dict(load.errors) or 'none'}; /metrics scrapes: {dict(scrapes)}; "
          f"outbox pending at most {backlog_max:.0f}; mail accepted {sum(mail.received.values())}")
    for name, points in samples.items():
        quarter = elapsed / 4
        second = [rss for t, rss in points if quarter <= t < 2 * quarter]
        last = [rss for t, rss in points if t >= 3 * quarter]
        if not second or not last:
            continue
        growth = (statistics.mean(last) - statistics.mean(second)) / statistics.mean(second) * 100
        growths[name] = growth
        print(f"memory {name}: {points[0][1] / 1024:.0f} MiB at start, "
              f"{statistics.mean(second) / 1024:.1f} MiB (2nd quarter), "
              f"{statistics.mean(last) / 1024:.1f} MiB (last quarter), {growth:+.1f}%")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          f"{'; the task worker had exited' if restarted else ''}")
    errors = sum(load.errors.values()) + sum(n for k, n in scrapes.items() if k != "ok")
    worst = max(growths.values(), key=abs) if growths else 0.0
    print(f"soak: {load.requests} requests, {errors} errors, memory growth {worst:.1f}%")
    return 0 if errors == 0 and abs(worst) <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
