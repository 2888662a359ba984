"""Email leaves through Django's email backends, here a real SMTP server on loopback."""

import email
import logging

import pytest
from django.db import transaction

from imbizo.notify.delivery import message_send
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.notify.services import message_enqueue
from imbizo.notify.tasks import outbox_deliver, outbox_sweep
from tests.notify.factories import open_case


@pytest.mark.django_db(transaction=True)
def test_the_acknowledgement_of_a_new_case_reaches_a_real_smtp_server(world, smtp_server):
    case = open_case(world, citizen_email="thandi@example.org")

    result = outbox_sweep.enqueue()  # the test task backend runs it at once

    assert result.return_value == 1
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["thandi@example.org"]
    assert envelope.mail_from == "noreply@metro.example.gov.za"
    sent = email.message_from_bytes(envelope.content)
    assert case.reference in sent["Subject"]
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert message.sent_at is not None and message.next_attempt_at is None
    assert case.reference in message.subject  # the text rendered at sending is kept


@pytest.mark.django_db(transaction=True)
def test_a_message_sent_is_not_sent_again_by_later_runs(world, smtp_server):
    open_case(world, citizen_email="thandi@example.org")
    outbox_sweep.enqueue()
    message = OutboxMessage.objects.get()

    again = [outbox_sweep.enqueue().return_value, outbox_deliver.enqueue(message.pk).return_value]

    assert again == [0, False]
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_an_enqueued_message_is_delivered_when_its_transaction_commits(
        world, smtp_server, enqueued):
    case = open_case(world)  # no contact details: no acknowledgement

    with transaction.atomic():
        message = message_enqueue(channel="email", recipient="ops@example.org",
                                  template="case_received", deferred_context={}, case=case)
        assert smtp_server.messages == [] and enqueued == []  # not before the commit

    assert enqueued == [("outbox_deliver", (message.pk,))]
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ops@example.org"]]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_every_attempt_carries_the_same_message_id_header(world, smtp_server):
    open_case(world, citizen_email="thandi@example.org")
    message = OutboxMessage.objects.get()

    message_send(message_id=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(  # as if the mark had been lost
        status=MessageStatus.SENDING, next_attempt_at=message.created_at)
    message_send(message_id=message.pk)

    ids = {email.message_from_bytes(m.content)["Message-ID"] for m in smtp_server.messages}
    assert len(smtp_server.messages) == 2 and len(ids) == 1
    assert ids.pop().endswith("@metro.example.gov.za>")


@pytest.mark.django_db(transaction=True)
def test_a_refused_recipient_is_retried_and_the_log_names_no_one(world, smtp_server, caplog):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 No such user here thandi@example.org"

    smtp_server.mailbox.handle_RCPT = refuse
    open_case(world, citizen_email="thandi@example.org")

    with caplog.at_level(logging.DEBUG):
        outbox_sweep.enqueue()

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
    assert "SMTPRecipientsRefused" in message.last_error  # staff see the server's answer
    ours = "\n".join(r.getMessage() for r in caplog.records  # not the test server's own
                     if r.name.startswith(("imbizo", "django")))
    assert "thandi@example.org" not in ours
    assert f"message {message.pk} (email, case_received) failed, attempt 1" in ours
    assert "SMTPRecipientsRefused" in ours
