"""Crash safety: reports keep coming while web workers and the task worker are
killed with SIGKILL; afterwards nothing acknowledged is lost or doubled, and
every acknowledgement leaves exactly once.

On a PostgreSQL database of its own (created, then dropped), it starts gunicorn
(2 sync workers) and `imbizo worker` as real processes, with mail going to a
loopback SMTP server that records every message it accepts. Threads post the
citizen report form at --rate reports a second, each with its own idempotency
key; a try that fails (the worker serving it was killed) is retried with the
same key, and some acknowledged reports are sent again, as a citizen pressing
"send" twice would. Meanwhile --kills SIGKILLs alternate between a gunicorn
worker (the master starts a new one) and the task worker (restarted after a
second, as systemd would). When the load stops the worker is left to drain
the outbox by itself. Then:

- lost: references the citizens were shown that are not in the database;
- duplicated: reports stored more than once (by their text, not their key);
- messages sent twice: acknowledgements the mail server accepted more than once;
- and every stored case's acknowledgement must have arrived.

Ends with: crash: K kills, A acknowledged, lost L, duplicated D, messages sent twice M

Usage: .venv/bin/python bench/crash.py [--seconds 60] [--rate 40] [--kills 10]
"""

import argparse
import collections
import os
import random
import sys
import time
import uuid

from _harness import (
    VAR,
    MailSink,
    Processes,
    ReportLoad,
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
from _setup import machine

DATABASE = "imbizo_bench_crash"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="length of the load")
    parser.add_argument("--rate", type=float, default=40, help="reports a second")
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs, web and worker in turn")
    parser.add_argument("--lease", type=int, default=15,
                        help="OUTBOX_LEASE_SECONDS (production: 300), so the drain is quick")
    parser.add_argument("--drain-timeout", type=float, default=180)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    mail = MailSink()
    mail.start()
    port = free_port()
    url = postgres_database_create(DATABASE)
    env_extra = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail.port),
        "OUTBOX_LEASE_SECONDS": str(args.lease), "ACCESS_LOG_LEVEL": "WARNING",
        "LOG_LEVEL": "WARNING", "SITE_URL": f"http://127.0.0.1:{port}",
    }
    processes = Processes(VAR / "bench-crash")
    try:
        django_setup(url, env_extra)
        form = seed()
        from django.db import connection

        connection.close()
        print(f"database: PostgreSQL ({DATABASE}); machine: {machine()}; "
              f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
        env = {**os.environ}
        web = processes.start("gunicorn", gunicorn_argv(port, 2), env)
        processes.start("worker", worker_argv(), env)
        wait_http(f"http://127.0.0.1:{port}/healthz", process=web)

        load = ReportLoad(port=port, form=form, rate=args.rate, marker=uuid.uuid4().hex[:8])
        load.start()
        kills = collections.Counter()
        started = time.monotonic()
        spacing = args.seconds / (args.kills + 1)
        for n in range(args.kills):
            time.sleep(max(0.0, started + spacing * (n + 1) + random.uniform(-0.3, 0.3) * spacing
                           - time.monotonic()))
            if n % 2 == 0:
                # Aim at a moment when requests are being served.
                busy = wait_for(lambda: load.in_flight >= 2, timeout=2)
                workers = children(web.pid)
                if not workers:
                    print("no gunicorn worker to kill", file=sys.stderr)
                    continue
                os.kill(random.choice(workers), 9)
                kills["web worker"] += 1
                kills["web worker, requests in flight"] += busy
            else:
                # Aim at the middle of a sending burst (the outbox sweep).
                sending = wait_for(lambda: time.monotonic() - mail.last_at < 0.02,
                                   timeout=spacing / 2)
                os.kill(processes.running["worker"].pid, 9)
                kills["task worker, while sending"] += sending
                processes.running["worker"].wait()
                kills["task worker"] += 1
                time.sleep(1.0)  # the supervisor's restart delay
                processes.start("worker", worker_argv(), env)
        time.sleep(max(0.0, started + args.seconds - time.monotonic()))
        load.stop()
        load_seconds = time.monotonic() - started
        if len(children(web.pid)) != 2:
            time.sleep(3)
        web_workers_after = len(children(web.pid))

        outcome = load.outcome
        drained_in = drain(mail, args.drain_timeout)
        result = verify(outcome, mail)
    finally:
        processes.stop_all()
        mail.stop()
        from django.db import connections

        connections.close_all()
        if not os.environ.get("BENCH_KEEP") and not args.keep:
            postgres_database_drop(DATABASE)

    total_kills = kills["web worker"] + kills["task worker"]
    print(f"load: {load_seconds:.0f} s at {args.rate:g} reports/s target, "
          f"{outcome.requests} requests, {outcome.retries} retries after a failed try, "
          f"{outcome.resubmitted} resubmissions of acknowledged reports")
    print(f"failed tries: {dict(outcome.errors) or 'none'}")
    print(f"kills: {dict(kills)}; gunicorn workers afterwards: {web_workers_after} of 2")
    print(f"stored cases: {result['stored']}; acknowledged but never answered: "
          f"{result['unanswered']} (stored, the citizen's retries ran out)")
    print(f"resubmission answered with another reference: {outcome.conflicting}")
    print(f"acknowledgements expected {result['expected']}, received {result['received']}, "
          f"never received {result['missing']}; outbox drained by the worker in "
          f"{drained_in:.1f} s after the load" if drained_in is not None else
          "outbox NOT drained within the timeout")
    lost, duplicated, twice = result["lost"], result["duplicated"], result["twice"]
    print(f"crash: {total_kills} kills, {len(outcome.acknowledged)} acknowledged, lost {lost}, "
          f"duplicated {duplicated}, messages sent twice {twice}")
    bad = lost or duplicated or outcome.conflicting or result["missing"] or drained_in is None
    return 1 if bad else 0


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return False


def drain(mail: MailSink, timeout: float) -> float | None:
    """Seconds until every outbox message is sent (the worker alone), or None."""
    from django.db import connection

    from imbizo.notify.models import MessageStatus, OutboxMessage

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not OutboxMessage.objects.exclude(status=MessageStatus.SENT).exists():
            return time.monotonic() - started
        connection.close()
        time.sleep(1)
    return None


def verify(outcome, mail: MailSink) -> dict:
    from django.db.models import Count

    from imbizo.cases.models import Case
    from imbizo.notify.models import OutboxMessage

    references = set(outcome.acknowledged.values())
    stored = set(Case.objects.filter(reference__in=references).values_list("reference", flat=True))
    # Each report's text is unique to it: a second case with the same text is a duplicate,
    # whatever its idempotency key.
    duplicated = sum(
        row["n"] - 1 for row in
        Case.objects.values("description").annotate(n=Count("id")).filter(n__gt=1))
    all_cases = Case.objects.count()
    expected = set(OutboxMessage.objects.filter(template="case_received")
                   .values_list("pk", flat=True))
    received = mail.snapshot()
    return {
        "stored": all_cases,
        "unanswered": all_cases - len(stored),
        "lost": len(references - stored),
        "duplicated": duplicated,
        "expected": len(expected),
        "received": sum(1 for pk in expected if received.get(str(pk))),
        "missing": sum(1 for pk in expected if not received.get(str(pk))),
        "twice": sum(count - 1 for count in received.values() if count > 1),
    }


if __name__ == "__main__":
    sys.exit(main())
