"""Outbox priorities: a citizen's message never waits behind a bulk alert."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings

from imbizo.core import clock
from imbizo.core.bulk import bulk_insert
from imbizo.notify import delivery
from imbizo.notify.delivery import outbox_send_due
from imbizo.notify.models import MessagePriority, MessageStatus, OutboxMessage

pytestmark = pytest.mark.django_db


class RecordingSmsBackend:
    """Keeps the numbers in the order sent; may run a hook after a given send."""

    sent: list[str] = []
    after: dict = {}

    def send(self, to: str, text: str, *, message_id: int | None = None) -> str | None:
        type(self).sent.append(to)
        hook = type(self).after.pop(len(type(self).sent), None)
        if hook:
            hook()
        return None


@pytest.fixture
def recorder():
    RecordingSmsBackend.sent, RecordingSmsBackend.after = [], {}
    with override_settings(SMS_BACKEND="tests.notify.test_priority.RecordingSmsBackend"):
        yield RecordingSmsBackend


def _bulk(count: int, *, minutes_ago: int = 5) -> None:
    at = clock.now() - timedelta(minutes=minutes_ago)
    bulk_insert(OutboxMessage, ({
        "channel": "sms", "recipient": f"+2782{n:07d}", "body": "Water off.",
        "template": "alert_notice", "priority": MessagePriority.BULK, "created_at": at,
        "next_attempt_at": at, "dedupe_key": f"bulk:{n}",
    } for n in range(count)))


def test_due_interactive_messages_go_before_older_bulk_ones(recorder):
    _bulk(60)
    OutboxMessage.objects.create(channel="sms", recipient="+27830000001", body="ack",
                                 template="case_received", created_at=clock.now(),
                                 next_attempt_at=clock.now())

    assert outbox_send_due() == 61

    assert recorder.sent[0] == "+27830000001"
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == 61


def test_an_interactive_message_arriving_mid_sweep_waits_at_most_one_chunk(recorder,
                                                                          monkeypatch):
    monkeypatch.setattr(delivery, "INTERACTIVE_CHECK_SECONDS", 3600)  # the next test's rule
    _bulk(200)

    def arrive():
        OutboxMessage.objects.create(channel="sms", recipient="+27830000001", body="ack",
                                     template="case_received", created_at=clock.now(),
                                     next_attempt_at=clock.now())

    recorder.after[3] = arrive  # committed while the third alert is being sent

    outbox_send_due(chunk=25)

    position = recorder.sent.index("+27830000001")
    assert 3 < position <= 25  # after the chunk in hand, before the next one
    assert len(recorder.sent) == 201


def test_a_sweep_stops_at_its_budget_and_the_next_goes_on(recorder):
    _bulk(60)

    first = outbox_send_due(chunk=10, budget_seconds=0)
    rest = outbox_send_due()

    assert first == 0
    assert rest == 60


def test_the_sweep_reads_the_due_rows_a_chunk_at_a_time(recorder, django_assert_max_num_queries):
    _bulk(50)

    # Per message: the sent mark; per chunk of 25: the read of the due rows
    # and the claim (its transaction, the locked read, the update).
    with django_assert_max_num_queries(50 * 1 + 3 * 5 + 2):
        assert outbox_send_due(chunk=25) == 50


class SlowSmsBackend:
    """Each send takes three minutes of the (frozen) clock."""

    traveller = None
    sent: list[str] = []

    def send(self, to: str, text: str, *, message_id: int | None = None) -> str | None:
        type(self).sent.append(to)
        type(self).traveller.shift(timedelta(minutes=3))
        return None


def test_claimed_messages_whose_lease_is_half_spent_are_left_not_sent_twice():
    with time_machine.travel(clock.now(), tick=False) as traveller, override_settings(
            SMS_BACKEND="tests.notify.test_priority.SlowSmsBackend", OUTBOX_LEASE_SECONDS=300):
        SlowSmsBackend.traveller, SlowSmsBackend.sent = traveller, []
        _bulk(3)

        sent = outbox_send_due(chunk=3)

        # The first send took 3 of the lease's 5 minutes: the other two are
        # left SENDING until the lease runs out, then sent by a later sweep.
        assert sent == 1
        assert OutboxMessage.objects.filter(status=MessageStatus.SENDING).count() == 2
        assert outbox_send_due() == 0
        traveller.shift(timedelta(minutes=3))
        assert outbox_send_due(chunk=1) >= 1
    assert len(SlowSmsBackend.sent) == len(set(SlowSmsBackend.sent))


def test_within_a_chunk_due_interactive_messages_are_looked_for_as_time_passes(
        recorder, monkeypatch):
    monkeypatch.setattr(delivery, "INTERACTIVE_CHECK_SECONDS", 0)  # every send "took long"
    _bulk(50)

    def arrive():
        OutboxMessage.objects.create(channel="sms", recipient="+27830000001", body="ack",
                                     template="case_received", created_at=clock.now(),
                                     next_attempt_at=clock.now())

    recorder.after[3] = arrive

    outbox_send_due(chunk=25)

    assert recorder.sent.index("+27830000001") == 3  # right after the send it arrived during
    assert len(recorder.sent) == 51
