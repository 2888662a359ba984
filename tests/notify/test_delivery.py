import json
import logging
import random
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection, transaction
from django.test import override_settings

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.core import clock
from imbizo.notify.delivery import message_send, outbox_send_due, retry_delay
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.notify.services import message_enqueue
from imbizo.notify.sms import LogSmsBackend, mask_number
from tests.support import inside


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                           EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_USE_TLS=False):
        yield mailbox
    controller.stop()


class Gateway(BaseHTTPRequestHandler):
    status = 200
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers["Content-Length"])
        type(self).received.append({"path": self.path, "headers": dict(self.headers),
                                    "body": self.rfile.read(length).decode()})
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "gw-123"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_gateway():
    Gateway.received, Gateway.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/send"
    with override_settings(SMS_BACKEND="imbizo.notify.sms.HttpGatewaySmsBackend",
                           SMS_GATEWAY_URL=url, SMS_GATEWAY_HEADERS={"Authorization": "Key s3"}):
        yield Gateway
    server.shutdown()


def open_case(world, **contact):
    return case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", contact_consent=True, **contact,
                                     **inside(world.ward)))


@pytest.mark.django_db(transaction=True)
def test_the_acknowledgement_reaches_a_real_smtp_server(world, smtp_server):
    case = open_case(world, citizen_email="thandi@example.org")

    sent = outbox_send_due()

    assert sent == 1
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["thandi@example.org"]
    content = envelope.content.decode()
    assert f"We received your report {case.reference}" in content
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert case.reference in message.subject  # the rendered text is kept


@pytest.mark.django_db
def test_an_sms_goes_through_the_http_gateway(world, sms_gateway):
    case = open_case(world, citizen_phone="082 123 4567")

    outbox_send_due()

    request = sms_gateway.received[0]
    assert request["path"] == "/send"
    assert request["headers"]["Authorization"] == "Key s3"
    body = json.loads(request["body"])
    assert body["to"] == "+27821234567"
    assert case.reference in body["text"]
    assert OutboxMessage.objects.get().provider_id == "gw-123"


@pytest.mark.django_db
def test_a_gateway_error_is_retried_later_then_given_up(world, sms_gateway):
    sms_gateway.status = 500
    open_case(world, citizen_phone="082 123 4567")
    message = OutboxMessage.objects.get()

    with override_settings(OUTBOX_MAX_ATTEMPTS=2):
        outbox_send_due()
        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
        assert "HTTP 500" in message.last_error
        assert message.next_attempt_at > clock.now() + timedelta(seconds=59)
        assert outbox_send_due() == 0  # not due yet

        with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
            outbox_send_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 2)
    assert len(sms_gateway.received) == 2


def test_back_off_grows_with_each_attempt():
    no_jitter = random.Random(0)
    no_jitter.random = lambda: 0.0
    delays = [retry_delay(n, no_jitter) for n in range(1, 7)]

    assert delays == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                      timedelta(hours=2), timedelta(hours=12), timedelta(hours=12)]
    assert timedelta(minutes=1) <= retry_delay(1) <= timedelta(minutes=1.2)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_message(world, smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        open_case(world, citizen_email="thandi@example.org")
        raise RuntimeError("the request failed after the case was written")

    assert OutboxMessage.objects.count() == 0
    assert outbox_send_due() == 0
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_message_once(world, smtp_server):
    for n in range(12):
        open_case(world, citizen_email=f"c{n}@example.org")
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            outbox_send_due()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    recipients = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert recipients == sorted(f"c{n}@example.org" for n in range(12))
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


@pytest.mark.django_db
def test_a_message_held_by_another_worker_is_not_sent_again(world, smtp_server):
    open_case(world, citizen_email="thandi@example.org")
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, next_attempt_at=clock.now() + timedelta(minutes=4))

    assert message_send(message_id=message.pk) is False
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_a_message_whose_worker_died_is_sent_after_its_lease(world, smtp_server):
    open_case(world, citizen_email="thandi@example.org")
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, next_attempt_at=clock.now() - timedelta(seconds=1))

    assert outbox_send_due() == 1


@pytest.mark.django_db
def test_messages_written_in_bulk_are_sent_by_the_sweep(world, smtp_server):
    case = open_case(world)  # no contact: nothing queued
    message_enqueue(channel="email", recipient="ops@example.org", template="case_received",
                    deferred_context={}, case=case)
    later = message_enqueue(channel="email", recipient="later@example.org",
                            template="case_received", deferred_context={}, case=case)
    OutboxMessage.objects.filter(pk=later.pk).update(
        next_attempt_at=clock.now() + timedelta(hours=1))

    assert outbox_send_due() == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ops@example.org"]]


def test_the_log_backend_masks_the_number(caplog):
    with caplog.at_level(logging.INFO, logger="imbizo.notify"):
        LogSmsBackend().send(to="+27821234567", text="Hello", message_id=7)

    assert "+27821234567" not in caplog.text
    assert mask_number("+27821234567") in caplog.text
