"""Ward alert benchmark (issue 16): one interruption over 10 wards with
100,000 subscribers.

Measures
  1. the fan-out: seconds from the change to every message enqueued and
     committed, how many INSERT statements it took (goal: one), and the
     Python memory it allocated (tracemalloc peak: flat, not per subscriber);
  2. delivery: messages per second through the outbox sweep to a loopback
     HTTP SMS gateway and a loopback SMTP server, both real servers on
     127.0.0.1, for --deliver-seconds;
  3. the delay added to an acknowledgement: while the sweep is sending the
     alert, another thread commits an interactive message every few seconds
     (as a case opening does); the time from its commit to the gateway
     receiving it;
  4. memory: the process's resident set before and after delivery.

Usage: .venv/bin/python bench/alerts.py [--subscribers 100000] [--deliver-seconds 60]
PostgreSQL when reachable (PG_BENCH_SERVER), else SQLite.
Ends with:  alerts: N subscribers, enqueued in S s, D msg/s, ack delay max M s
"""

import argparse
import json
import os
import resource
import secrets
import statistics
import sys
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _harness import free_port
from _setup import database_fresh, django_start, machine
from aiosmtpd.controller import Controller

WARDS = 10
SMS_SHARE = 0.7


def rss_mib() -> float:
    """Peak resident set of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Gateway:
    """A loopback HTTP SMS gateway that notes when each number was received."""

    def __init__(self):
        self.received_at: dict[str, float] = {}
        self.count = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                gateway.count += 1
                if body["to"].startswith("+2783"):  # the acknowledgements
                    gateway.received_at[body["to"]] = time.perf_counter()
                answer = b'{"id": "x"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Mailbox:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.count += 1
        return "250 OK"


def seed(subscribers: int):
    from django.db import transaction

    from imbizo.catalogue.models import Service
    from imbizo.core import clock
    from imbizo.core.bulk import bulk_insert
    from imbizo.core.pseudonyms import citizen_key
    from imbizo.geo.services import ward_save
    from imbizo.org.models import Institution
    from imbizo.outreach.alert_models import Subscription, SubscriptionWard
    from imbizo.privacy.consent import ALERTS, ALERTS_WORDING
    from imbizo.privacy.services import consent_wording

    Institution.objects.create(pk=1, name="Bench Metro")
    wards = [ward_save(code=f"W{n:02d}", name=f"West {n}", boundary={
        "type": "Polygon", "coordinates": [[[28 + n * .01, -26.2], [28.01 + n * .01, -26.2],
                                            [28.01 + n * .01, -26.19], [28 + n * .01, -26.19],
                                            [28 + n * .01, -26.2]]]}) for n in range(WARDS + 2)]
    service = Service.objects.create(code="water", name="Water")
    wording = consent_wording(purpose=ALERTS, text=ALERTS_WORDING, language="en")
    now = clock.now()
    def rows():
        for n in range(subscribers):
            sms = n % 10 < SMS_SHARE * 10  # mixed, so both channels are sent from the start
            address = f"+2782{n:07d}" if sms else f"s{n}@example.org"
            yield {"channel": "sms" if sms else "email", "address": address,
                   "address_key": citizen_key(address), "language": "en",
                   "status": "confirmed", "all_services": True,
                   "confirm_token": secrets.token_urlsafe(32),
                   "unsubscribe_token": secrets.token_urlsafe(16),
                   "consent_wording_id": wording.pk, "created_at": now, "confirmed_at": now}

    with transaction.atomic():
        bulk_insert(Subscription, rows())
        ids = list(Subscription.objects.order_by("pk").values_list("pk", flat=True))
        # Every subscriber in one of the 10 wards; one in ten in a second ward too.
        bulk_insert(SubscriptionWard, (
            {"subscription_id": pk, "ward_id": wards[(i + extra) % WARDS].pk}
            for i, pk in enumerate(ids) for extra in ((0, 1) if i % 10 == 0 else (0,))))
    with transaction.atomic():
        # Subscribers elsewhere, who must not be reached.
        outside = [{"channel": "sms", "address": f"+2784{n:07d}",
                    "address_key": citizen_key(f"+2784{n:07d}"), "language": "en",
                    "status": "confirmed", "all_services": True,
                    "confirm_token": secrets.token_urlsafe(32),
                    "unsubscribe_token": secrets.token_urlsafe(16),
                    "consent_wording_id": wording.pk, "created_at": now} for n in range(1000)]
        bulk_insert(Subscription, outside)
        bulk_insert(SubscriptionWard, (
            {"subscription_id": pk, "ward_id": wards[WARDS].pk}
            for pk in Subscription.objects.filter(address__startswith="+2784")
            .values_list("pk", flat=True)))
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return [w.pk for w in wards[:WARDS]], service


def fanout(ward_ids, service) -> tuple[float, int, int, float]:
    from django.db import connection, transaction

    from imbizo.outreach.alerts import NOTICE_TEMPLATE, alerts_fanout

    inserts = []

    def count(execute, sql, params, many, context):
        # The outbox rows only (the on-commit sweep task is a row of the task queue).
        if sql.lstrip().upper().startswith("INSERT") and "notify_outboxmessage" in sql:
            inserts.append(sql)
        return execute(sql, params, many, context)

    tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(count), transaction.atomic():
        enqueued = alerts_fanout(
            ward_ids=ward_ids, service_id=service.pk, change="started", template=NOTICE_TEMPLATE,
            deferred_context={"text": "Water off in West 0-9 until 18:00: a burst main.",
                              "service_id": service.pk, "ward_ids": ward_ids},
            dedupe_prefix="interruption:1:started:0")
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, enqueued, len(inserts), peak / 2**20


def acknowledgements(stop: threading.Event, commits: dict, every: float) -> None:
    """Commit an interactive SMS every `every` seconds, as a case opening does."""
    from django.db import connection, transaction

    from imbizo.notify.services import message_enqueue
    from imbizo.org.selectors import institution_get

    institution = institution_get()
    n = 0
    try:
        while not stop.wait(every):
            recipient = f"+2783{n:07d}"
            with transaction.atomic():
                message_enqueue(channel="sms", recipient=recipient, template="alert_confirm",
                                context={"institution": institution, "code": f"{n:06d}"})
            commits[recipient] = time.perf_counter()
            n += 1
    finally:
        connection.close()


def deliver(seconds: float, ack_every: float) -> tuple[int, float, list[float]]:
    from imbizo.notify.delivery import outbox_send_due

    stop = threading.Event()
    commits: dict[str, float] = {}
    thread = threading.Thread(target=acknowledgements, args=(stop, commits, ack_every))
    started = time.perf_counter()
    thread.start()
    sent = 0
    while time.perf_counter() - started < seconds:
        done = outbox_send_due(budget_seconds=max(seconds - (time.perf_counter() - started), 0))
        sent += done
        if not done:
            break
    stop.set()
    thread.join()
    elapsed = time.perf_counter() - started
    sent += outbox_send_due(budget_seconds=5)  # the last acknowledgement, if any
    return sent, elapsed, commits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--deliver-seconds", type=float, default=60)
    parser.add_argument("--ack-every", type=float, default=2.0)
    args = parser.parse_args()
    gateway = Gateway()
    mailbox = Mailbox()
    smtp_port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    os.environ.update({"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                       "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port),
                       "LOG_LEVEL": "WARNING"})
    vendor = django_start(database_fresh("imbizo_bench_alerts"))
    from django.conf import settings

    settings.SMS_BACKEND = "imbizo.notify.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    print(f"database: {vendor}; machine: {machine()}")

    started = time.perf_counter()
    ward_ids, service = seed(args.subscribers)
    print(f"seeded {args.subscribers:,} subscribers over {WARDS} wards "
          f"(+1,000 elsewhere) in {time.perf_counter() - started:.1f} s")

    rss_before = rss_mib()
    seconds, enqueued, inserts, peak_mib = fanout(ward_ids, service)
    print(f"fan-out: {enqueued:,} messages enqueued and committed in {seconds:.2f} s, "
          f"{inserts} INSERT statement(s) into the outbox, Python allocations peak {peak_mib:.2f} MiB")
    if enqueued != args.subscribers:
        sys.exit(f"expected {args.subscribers} messages, got {enqueued}")

    sent, elapsed, commits = deliver(args.deliver_seconds, args.ack_every)
    rss_after = rss_mib()
    delays = [gateway.received_at[r] - at for r, at in commits.items() if r in gateway.received_at]
    missing = len(commits) - len(delays)
    rate = (gateway.count + mailbox.count - len(delays)) / elapsed
    print(f"delivery: {gateway.count - len(delays):,} SMS and {mailbox.count:,} emails in "
          f"{elapsed:.1f} s: {rate:.0f} messages/s (all {args.subscribers:,} in about "
          f"{args.subscribers / rate / 60:.1f} min at this rate, one worker)")
    if delays:
        print(f"acknowledgements during the alert: {len(delays)}, delay from commit to "
              f"gateway median {statistics.median(delays):.3f} s, max {max(delays):.3f} s"
              f"{f', {missing} not sent' if missing else ''}")
    print(f"memory: peak RSS {rss_before:.0f} MiB before delivery, {rss_after:.0f} MiB after")
    smtp.stop()
    print(f"alerts: {args.subscribers} subscribers, enqueued in {seconds:.2f} s, "
          f"{rate:.0f} msg/s, ack delay max {max(delays) if delays else float('nan'):.3f} s")


if __name__ == "__main__":
    main()
