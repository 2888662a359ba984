"""A trial install (TEST_INSTALL) on backends that deliver nothing never says "sent"."""

import pytest
from django.core import mail
from django.test import override_settings

from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.notify.tasks import outbox_sweep
from tests.notify.factories import open_case


@pytest.mark.django_db(transaction=True)
@override_settings(TEST_INSTALL=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_a_test_install_withholds_email_and_never_marks_it_sent(world):
    case = open_case(world, citizen_email="thandi@example.org")

    outbox_sweep.enqueue()

    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.WITHHELD
    assert message.last_error == "not delivered: test install"
    assert message.sent_at is None and message.next_attempt_at is None
    assert case.reference in message.subject  # what would have gone, for staff to read
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@override_settings(TEST_INSTALL=True, SMS_BACKEND="imbizo.notify.sms.LogSmsBackend")
def test_a_test_install_withholds_text_messages_on_the_log_backend(world):
    open_case(world, citizen_phone="082 555 0101")

    outbox_sweep.enqueue()

    assert OutboxMessage.objects.get().status == MessageStatus.WITHHELD


@pytest.mark.django_db(transaction=True)
@override_settings(TEST_INSTALL=True)
def test_a_test_install_still_sends_through_a_real_server(world, smtp_server):
    open_case(world, citizen_email="thandi@example.org")

    outbox_sweep.enqueue()

    assert OutboxMessage.objects.get().status == MessageStatus.SENT
    assert len(smtp_server.messages) == 1
