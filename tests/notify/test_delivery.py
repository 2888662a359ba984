"""Delivery: only after commit, once even with several workers, retried with back-off."""

import logging
import random
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import override_settings

from imbizo.core import clock
from imbizo.core.periodic import periodic_tasks
from imbizo.notify import tasks
from imbizo.notify.delivery import message_send, outbox_send_due, retry_delay
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.notify.services import message_build, message_enqueue
from imbizo.notify.tasks import outbox_sweep
from tests.notify.factories import bulk_messages, open_case
from tests.notify.servers import GatedSmsBackend
from tests.support import at_once, sast

MONDAY_10 = sast(2026, 3, 2, 10, 0)


# --- back-off and giving up ---------------------------------------------------------------


def test_back_off_grows_with_each_attempt():
    no_jitter = random.Random(0)
    no_jitter.random = lambda: 0.0

    delays = [retry_delay(n, no_jitter) for n in range(1, 7)]

    assert delays == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                      timedelta(hours=2), timedelta(hours=12), timedelta(hours=12)]
    assert all(timedelta(minutes=1) <= retry_delay(1) <= timedelta(minutes=1.2)
               for _ in range(50))


@pytest.mark.django_db(transaction=True)
def test_a_gateway_error_leaves_the_message_pending_until_its_back_off(world, sms_gateway):
    sms_gateway.status = 500
    with time_machine.travel(MONDAY_10, tick=False):
        open_case(world, citizen_phone="082 123 4567")
        message = OutboxMessage.objects.get()

        outbox_sweep.enqueue()

        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
        assert message.last_error == "SmsError: gateway answered HTTP 500"
        assert (MONDAY_10 + timedelta(minutes=1) <= message.next_attempt_at
                <= MONDAY_10 + timedelta(minutes=1.2))
        assert outbox_sweep.enqueue().return_value == 0  # not due yet: not tried
        assert len(sms_gateway.received) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_message_is_given_up_after_the_maximum_attempts(world, sms_gateway):
    sms_gateway.status = 503
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        open_case(world, citizen_phone="082 123 4567")
        message = OutboxMessage.objects.get()
        outbox_sweep.enqueue()
        waits = []
        for _ in range(5):
            message.refresh_from_db()
            waits.append(message.next_attempt_at - clock.now())
            traveller.move_to(message.next_attempt_at)
            outbox_sweep.enqueue()

        message.refresh_from_db()
        traveller.shift(timedelta(days=7))
        assert outbox_sweep.enqueue().return_value == 0

    assert (message.status, message.attempts, message.next_attempt_at) == (
        MessageStatus.FAILED, 6, None)
    assert "HTTP 503" in message.last_error
    assert len(sms_gateway.received) == 6
    for wait, base in zip(waits, (1, 5, 30, 120, 720), strict=True):
        assert timedelta(minutes=base) <= wait <= timedelta(minutes=base * 1.2)


@pytest.mark.django_db(transaction=True)
@override_settings(OUTBOX_MAX_ATTEMPTS=2)
def test_the_maximum_attempts_is_a_setting(world, sms_gateway):
    sms_gateway.status = 500
    open_case(world, citizen_phone="082 123 4567")
    message = OutboxMessage.objects.get()

    message_send(message_id=message.pk)
    with time_machine.travel(clock.now() + timedelta(minutes=2)):
        message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 2)


@pytest.mark.django_db(transaction=True)
def test_a_message_that_cannot_be_rendered_is_retried_not_left_sending(
        world, smtp_server, caplog):
    case = open_case(world)
    message = message_build(channel="email", recipient="x@example.org",
                            template="no_such_template", deferred_context={}, case=case)
    message.save()

    with caplog.at_level(logging.INFO, logger="imbizo.notify"):
        assert message_send(message_id=message.pk) is False

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
    assert message.last_error.startswith("LookupError")
    [record] = caplog.records
    assert record.levelno == logging.ERROR and "x@example.org" not in caplog.text
    assert smtp_server.messages == []


# --- after commit only ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_message_and_sends_nothing(world, smtp_server, enqueued):
    with pytest.raises(RuntimeError), transaction.atomic():
        case = open_case(world, citizen_email="thandi@example.org")
        message_enqueue(channel="email", recipient="ops@example.org",
                        template="case_received", deferred_context={}, case=case)
        raise RuntimeError("the request failed after the case was written")

    assert OutboxMessage.objects.count() == 0
    assert enqueued == []  # no delivery was asked for
    assert outbox_sweep.enqueue().return_value == 0
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_lost_enqueue_does_not_fail_the_commit_and_the_sweep_sends(
        world, smtp_server, monkeypatch, caplog):
    class Unavailable:
        def enqueue(self, *args):
            raise ConnectionError("task queue unavailable")

    monkeypatch.setattr(tasks, "outbox_deliver", Unavailable())
    case = open_case(world)

    with caplog.at_level(logging.WARNING, logger="imbizo.notify"), transaction.atomic():
        message = message_enqueue(channel="email", recipient="ops@example.org",
                                  template="case_received", deferred_context={}, case=case)

    assert OutboxMessage.objects.get().status == MessageStatus.PENDING
    assert f"message {message.pk}: delivery not enqueued" in caplog.text
    assert outbox_sweep.enqueue().return_value == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ops@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_sending_is_refused_inside_a_transaction(world):
    # The claim must commit before the provider is contacted.
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        message_send(message_id=1)


# --- once, with several workers ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_message_send_it_once(world, smtp_server):
    for n in range(5):
        open_case(world, citizen_email=f"c{n}@example.org")
    outcomes = []

    for message in OutboxMessage.objects.order_by("pk"):
        results, errors = at_once(lambda pk=message.pk: message_send(message_id=pk))
        outcomes.append(sorted(results + errors, key=repr))

    assert outcomes == [[False, True]] * 5
    recipients = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert recipients == [f"c{n}@example.org" for n in range(5)]
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {
        (MessageStatus.SENT, 1)}


@pytest.mark.django_db(transaction=True)
@override_settings(SMS_BACKEND="tests.notify.servers.GatedSmsBackend")
def test_a_message_being_sent_is_left_alone_by_another_worker(world):
    GatedSmsBackend.reset()
    open_case(world, citizen_phone="082 123 4567")
    message = OutboxMessage.objects.get()
    first = []
    sender = threading.Thread(target=lambda: (
        first.append(message_send(message_id=message.pk)), connection.close()))
    sender.start()
    assert GatedSmsBackend.entered.wait(timeout=10)  # the first worker is mid-send

    second = [message_send(message_id=message.pk), outbox_send_due()]
    GatedSmsBackend.release.set()
    sender.join(timeout=30)

    assert (first, second) == ([True], [False, 0])
    assert GatedSmsBackend.sent == ["+27821234567"]
    assert OutboxMessage.objects.get().status == MessageStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_sweeps_on_several_workers_send_each_message_once(world, smtp_server):
    for n in range(12):
        open_case(world, citizen_email=f"c{n}@example.org")

    sent, errors = at_once(outbox_send_due, count=3)

    assert errors == [] and sum(sent) == 12
    recipients = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert recipients == sorted(f"c{n}@example.org" for n in range(12))
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


@pytest.mark.django_db(transaction=True)
def test_a_message_whose_worker_died_is_sent_when_its_lease_runs_out(world, smtp_server):
    open_case(world, citizen_email="thandi@example.org")
    message = OutboxMessage.objects.get()
    lease_end = clock.now() + timedelta(minutes=4)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, next_attempt_at=lease_end)

    held = outbox_send_due()
    with time_machine.travel(lease_end + timedelta(seconds=1)):
        after = outbox_send_due()

    assert (held, after) == (0, 1)
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(OUTBOX_LEASE_SECONDS=20)
def test_the_lease_is_a_setting(world):
    from imbizo.notify.delivery import message_claim

    with time_machine.travel(MONDAY_10, tick=False):
        open_case(world, citizen_email="thandi@example.org")
        claimed = message_claim(message_id=OutboxMessage.objects.get().pk)

    assert claimed.next_attempt_at == MONDAY_10 + timedelta(seconds=20)


# --- the sweep ----------------------------------------------------------------------------


def test_the_sweep_runs_every_outbox_sweep_seconds_five_by_default():
    assert periodic_tasks()["imbizo.notify.tasks.outbox_sweep"].every_seconds == 5


@pytest.mark.django_db(transaction=True)
def test_the_sweep_sends_bulk_written_messages_that_are_due_and_skips_the_rest(
        world, smtp_server):
    case = open_case(world)  # no contact details: nothing queued by the opening
    due, later, sent, failed = bulk_messages(
        case, ["due@example.org", "later@example.org", "sent@example.org",
               "failed@example.org"])
    in_an_hour = clock.now() + timedelta(hours=1)
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=in_an_hour)
    OutboxMessage.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)
    OutboxMessage.objects.filter(pk=failed.pk).update(status=MessageStatus.FAILED)

    first = outbox_sweep.enqueue().return_value
    with time_machine.travel(in_an_hour + timedelta(seconds=1)):
        second = outbox_sweep.enqueue().return_value

    assert (first, second) == (1, 1)
    assert [m.rcpt_tos for m in smtp_server.messages] == [
        ["due@example.org"], ["later@example.org"]]
    due.refresh_from_db()
    assert case.reference in due.subject  # rendered when sent, by the case's builder
