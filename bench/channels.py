"""Conversational channels under load (issue 18): SESSIONS concurrent USSD
sessions of five steps each through Africa's Talking's session callback, and
SMS_PER_MINUTE inbound SMS for SMS_SECONDS through the generic SMS callback,
against a real server (gunicorn on PostgreSQL).

Each USSD session dials (text ""), then reports a water leak in five inputs:
1 (report), 1 (the service), B1 (the ward), a description, 1 (send). A
tenth of the sessions post their last step twice, as a gateway that did not
hear the answer does; every one of them must still open exactly one case.
The SMS are paced evenly; a tenth are delivered twice with the same provider
id, and must be stored once.

Reported: p50/p99 of each USSD step (goal: p99 under 300 ms, every answer
within 1 s), of the SMS callback, and from the database afterwards: cases
opened on ussd against sessions (lost, doubled) and inbound SMS stored
against distinct ids sent (lost, doubled).

Ends with: channels: ussd N sessions p99 P ms (worst step), lost L, doubled D;
sms M/min p99 Q ms, lost L, doubled D

Callers answer at once by default (a stress test: every step queues behind
the others); --think 5 gives each caller five seconds to read and type.

Usage: .venv/bin/python bench/channels.py [--sessions 200] [--sms-per-minute 1000]
       [--sms-seconds 60] [--think 0] [--workers 4] [--keep]
"""

import argparse
import collections
import http.client
import os
import random
import statistics
import sys
import threading
import time
import urllib.parse
import uuid

from _harness import (
    VAR,
    Processes,
    django_setup,
    free_port,
    gunicorn_argv,
    postgres_database_create,
    postgres_database_drop,
    seed,
    wait_http,
)
from _setup import machine

DATABASE = "imbizo_bench_channels"
SECRET = "bench"  # noqa: S105 - the path secret of throwaway gateways
STEPS = ("dial", "report", "service", "ward", "description", "send")


def gateways() -> None:
    from imbizo.channels.models import Gateway
    from imbizo.geo.models import Ward

    ussd = Gateway(kind="ussd", slug="africastalking", adapter="africastalking",
                   settings={"menu": {"services": ["water-leak"]}})
    ussd.secret_set(SECRET)
    ussd.save()
    sms = Gateway(kind="sms", slug="generic", adapter="generic",
                  settings={"format": "form", "fields": {"id": "messageId", "sender": "msisdn",
                                                         "text": "message"}})
    sms.secret_set(SECRET)
    sms.save()
    assert Ward.objects.filter(code="B1").exists()


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = collections.defaultdict(list)
        self.statuses = collections.Counter()
        self.failures = []
        self.ended = 0
        self.sms_ids = set()

    def add(self, step: str, seconds: float, status: int):
        with self.lock:
            self.latency[step].append(seconds)
            self.statuses[status] += 1


def post(conn: http.client.HTTPConnection, path: str, fields: dict) -> tuple[int, str, float]:
    body = urllib.parse.urlencode(fields)
    started = time.monotonic()
    conn.request("POST", path, body=body,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    text = response.read().decode()
    return response.status, text, time.monotonic() - started


def ussd_session(port: int, n: int, marker: str, repeat: bool, tally: Tally,
                 prefix: str = "+2772", think: float = 0.0) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    session = f"ATUid_{marker}_{prefix}_{n}"
    inputs = ["1", "1", "B1", f"Leak {marker} {n} at the corner", "1"]
    path = f"/channels/ussd/africastalking/{SECRET}/"
    try:
        if think:
            time.sleep(n % 50 * think / 50)  # callers dial over one think time, not at once
        for k in range(len(inputs) + 1 + (1 if repeat else 0)):
            if k and think:
                time.sleep(think)  # the caller reads the screen and types
            text = "*".join(inputs[:min(k, len(inputs))])
            status, body, seconds = post(conn, path, {
                "sessionId": session, "serviceCode": "*120*4629#",
                "phoneNumber": f"{prefix}{n:07d}", "networkCode": "65501", "text": text})
            tally.add(STEPS[min(k, len(STEPS) - 1)] if k <= len(inputs) else "send again",
                      seconds, status)
            if status != 200 or not body.startswith(("CON ", "END ")):
                raise RuntimeError(f"step {k}: {status} {body[:60]!r}")
            if k == len(inputs) and not body.startswith("END Thank you"):
                raise RuntimeError(f"last step: {body[:60]!r}")
        with tally.lock:
            tally.ended += 1
    except Exception as exc:  # noqa: BLE001 - counted and reported
        with tally.lock:
            tally.failures.append(f"ussd {n}: {exc}")
    finally:
        conn.close()


def sms_sender(port: int, jobs: list, started: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = f"/channels/sms/generic/{SECRET}/"
    for due, message_id, sender in jobs:
        wait = started + due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            status, _body, seconds = post(conn, path, {
                "messageId": message_id, "msisdn": sender, "message": "Hello, water leak"})
            tally.add("sms", seconds, status)
            if status != 200:
                raise RuntimeError(f"{status}")
            with tally.lock:
                tally.sms_ids.add(message_id)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            with tally.lock:
                tally.failures.append(f"sms {message_id}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000 if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--sms-per-minute", type=int, default=1000)
    parser.add_argument("--sms-seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds a caller takes between screens (0: none, a stress test)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    port = free_port()
    url = postgres_database_create(DATABASE)
    env_extra = {"ACCESS_LOG_LEVEL": "WARNING", "LOG_LEVEL": "WARNING",
                 "SITE_URL": f"http://127.0.0.1:{port}"}
    processes = Processes(VAR / "bench-channels")
    marker = uuid.uuid4().hex[:8]
    tally = Tally()
    rng = random.Random(18)
    try:
        django_setup(url, env_extra)
        seed()
        gateways()
        from django.db import connection

        connection.close()
        print(f"database: PostgreSQL ({DATABASE}); machine: {machine()}; "
              f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        web = processes.start("gunicorn", gunicorn_argv(port, args.workers), {**os.environ})
        wait_http(f"http://127.0.0.1:{port}/healthz", process=web)

        # 0. Warm every worker (its catalogue snapshot, its connections): not counted.
        warm = [threading.Thread(target=ussd_session, args=(port, n, "warm", False, Tally(),
                                                             "+2771"))
                for n in range(args.workers * 3)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()

        # 1. USSD: every session at once.
        repeats = {n for n in range(args.sessions) if rng.random() < 0.10}
        threads = [threading.Thread(target=ussd_session, args=(port, n, marker, n in repeats,
                                                                tally, "+2772", args.think))
                   for n in range(args.sessions)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ussd_seconds = time.monotonic() - started

        # 2. SMS: evenly paced, a tenth delivered twice.
        total = args.sms_per_minute * args.sms_seconds // 60
        gap = 60 / args.sms_per_minute
        jobs = []
        for n in range(total):
            message_id, sender = f"sms-{marker}-{n}", f"+2773{n:07d}"
            jobs.append((n * gap, message_id, sender))
            if rng.random() < 0.10:
                jobs.append((n * gap + gap / 2, message_id, sender))
        senders = 8
        lanes = [jobs[i::senders] for i in range(senders)]
        threads = [threading.Thread(target=sms_sender, args=(port, lane, time.monotonic(), tally))
                   for lane in lanes]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sms_seconds = time.monotonic() - started

        from imbizo.cases.models import Case
        from imbizo.channels.models import InboundMessage

        cases = Case.objects.filter(channel="ussd", description__contains=marker)
        per_session = collections.Counter(cases.values_list("citizen_phone", flat=True))
        ussd_lost = args.sessions - len(per_session)
        ussd_doubled = sum(n - 1 for n in per_session.values())
        stored = collections.Counter(InboundMessage.objects.filter(
            provider_id__startswith=f"sms-{marker}-").values_list("provider_id", flat=True))
        sms_lost = total - len(stored)
        sms_doubled = sum(n - 1 for n in stored.values())
    finally:
        processes.stop_all()
        if not args.keep:
            from django.db import connections

            connections.close_all()
            postgres_database_drop(DATABASE)

    print(f"gunicorn workers {args.workers}; USSD sessions {args.sessions} at once, "
          f"{args.think:g} s between screens "
          f"({len(repeats)} with the last step posted twice) in {ussd_seconds:.1f} s; "
          f"SMS {total} distinct ({len(jobs) - total} delivered twice) in {sms_seconds:.1f} s")
    print(f"statuses: {dict(sorted(tally.statuses.items()))}")
    worst = 0.0
    for step in (*STEPS, "send again"):
        values = tally.latency.get(step, [])
        if values:
            p99 = percentile(values, 0.99)
            worst = max(worst, p99) if step != "send again" else worst
            print(f"ussd {step:>12}: n {len(values):4d}, p50 {statistics.median(values) * 1000:5.0f}"
                  f" ms, p99 {p99:5.0f} ms, max {max(values) * 1000:5.0f} ms")
    sms = tally.latency.get("sms", [])
    sms_p99 = percentile(sms, 0.99)
    rate = len(sms) / sms_seconds * 60 if sms_seconds else 0
    print(f"sms callback: n {len(sms)}, p50 {statistics.median(sms) * 1000 if sms else 0:.0f} ms,"
          f" p99 {sms_p99:.0f} ms, {rate:.0f} posts/min")
    for failure in tally.failures[:10]:
        print(f"failed: {failure}", file=sys.stderr)
    print(f"channels: ussd {args.sessions} sessions p99 {worst:.0f} ms (worst step), "
          f"lost {ussd_lost}, doubled {ussd_doubled}; sms {args.sms_per_minute}/min p99 "
          f"{sms_p99:.0f} ms, lost {sms_lost}, doubled {sms_doubled}")
    ok = (not tally.failures and ussd_lost == ussd_doubled == 0 and sms_lost == sms_doubled == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
