"""Citizens' email replies through a real IMAP server (dovecot on loopback):
the mailbox is polled the way the worker polls it, and the reply reaches its
case."""

import pytest

from imbizo.cases.models import Attachment, CaseEvent, EventKind, Status
from imbizo.cases.services import case_resolve
from imbizo.channels.email_tasks import mailboxes_poll
from imbizo.channels.models import InboundMessage
from imbizo.engagement.models import Contact
from imbizo.notify.delivery import outbox_send_due
from imbizo.notify.models import OutboxMessage

from .fixtures import CITIZEN
from .mails import bounce_of, new_email, png, reply_to, sent_to

pytestmark = pytest.mark.django_db

HANDLED = "Imbizo handled"


def poll_and_send() -> int:
    """One poll of every mailbox, then the outbox sweep (answers, officers told)."""
    handled = mailboxes_poll()
    outbox_send_due()
    return handled


def test_a_reply_adds_a_contact_a_timeline_message_and_its_photo(
        email_gateway, mailbox, citizen_case, officer):
    acknowledgement = sent_to(CITIZEN)
    photo = png()
    mailbox.append(reply_to(acknowledgement, body="It is still leaking. Here is a photo.",
                            attachments=[("IMG_2041.png", "image/png", photo)]))

    assert poll_and_send() == 1

    message = InboundMessage.objects.get()
    assert message.case == citizen_case and message.outcome == "case_message"
    assert message.sender == CITIZEN
    event = CaseEvent.objects.get(case=citizen_case, kind=EventKind.MESSAGE_IN)
    # The citizen's words, without the acknowledgement they quoted.
    assert event.note == "It is still leaking. Here is a photo."
    assert not event.public
    contact = Contact.objects.get(case=citizen_case, channel="email", kind="person")
    assert message.contact == contact
    attachment = Attachment.objects.get(case=citizen_case)
    assert attachment.content_type == "image/png" and attachment.size == len(photo)
    assert attachment.file.read() == photo
    assert "IMG_2041" not in attachment.file.name  # our own name, not the sender's
    told = sent_to(officer.user.email)
    assert citizen_case.reference in str(told["Subject"])
    assert "It is still leaking" in told.get_payload(decode=True).decode()
    # Read once: moved out of the inbox, into the handled folder.
    assert mailbox.uids() == []
    assert len(mailbox.uids(HANDLED)) == 1
    assert citizen_case.status == Status.ASSIGNED  # a message changes no status


def test_the_same_message_polled_twice_is_handled_once(email_gateway, mailbox, citizen_case):
    raw = reply_to(sent_to(CITIZEN), body="Any news?")
    mailbox.append(raw)
    mailbox.append(raw)  # delivered twice by the mail server (same Message-ID)

    poll_and_send()
    mailbox.append(raw)  # and once more after it was handled
    poll_and_send()

    assert InboundMessage.objects.count() == 1
    assert CaseEvent.objects.filter(case=citizen_case, kind=EventKind.MESSAGE_IN).count() == 1
    assert Contact.objects.filter(case=citizen_case, channel="email", kind="person").count() == 1
    assert mailbox.uids() == []
    assert len(mailbox.uids(HANDLED)) == 3


def test_a_poll_that_stopped_before_moving_does_not_handle_a_message_again(
        email_gateway, mailbox, citizen_case, monkeypatch):
    from imbizo.channels import email_imap

    mailbox.append(reply_to(sent_to(CITIZEN), body="Hello?"))
    with monkeypatch.context() as patch:
        patch.setattr(email_imap, "_done", lambda *args: None)  # the worker died here
        poll_and_send()
    assert mailbox.uids() != []

    poll_and_send()

    assert CaseEvent.objects.filter(case=citizen_case, kind=EventKind.MESSAGE_IN).count() == 1
    assert mailbox.uids() == []


def test_auto_replies_and_bounces_are_recorded_and_touch_no_case(
        email_gateway, mailbox, citizen_case, officer):
    case_resolve(case=citizen_case, actor=officer, outcome="fixed", note="Pipe replaced")
    outbox_send_due()
    resolution = sent_to(CITIZEN)
    events_before = CaseEvent.objects.filter(case=citizen_case).count()
    outbox_before = OutboxMessage.objects.count()
    mailbox.append(reply_to(resolution, body="I am out of the office until Monday.",
                            headers={"Auto-Submitted": "auto-replied",
                                     "Subject": "Automatic reply: your report"}))
    mailbox.append(reply_to(resolution, body="Away on leave.",
                            headers={"X-Autoreply": "yes", "Precedence": "auto_reply"}))
    mailbox.append(bounce_of(resolution))

    assert poll_and_send() == 3

    citizen_case.refresh_from_db()
    assert citizen_case.status == Status.RESOLVED and citizen_case.reopen_count == 0
    assert CaseEvent.objects.filter(case=citizen_case).count() == events_before
    assert not Contact.objects.filter(case=citizen_case, channel="email", kind="person").exists()
    outcomes = sorted(InboundMessage.objects.values_list("outcome", flat=True))
    assert outcomes == ["auto_reply", "auto_reply", "bounce"]
    assert not InboundMessage.objects.filter(case__isnull=False).exists()
    assert OutboxMessage.objects.count() == outbox_before  # nobody answered, nobody told
    assert mailbox.uids() == []


def test_a_reply_to_a_resolved_case_is_a_message_not_a_reopening(
        email_gateway, mailbox, citizen_case, officer):
    case_resolve(case=citizen_case, actor=officer, outcome="fixed", note="Pipe replaced")
    outbox_send_due()
    mailbox.append(reply_to(sent_to(CITIZEN), body="Thank you, it is fixed."))

    poll_and_send()

    citizen_case.refresh_from_db()
    assert citizen_case.status == Status.RESOLVED and citizen_case.reopen_count == 0
    event = CaseEvent.objects.get(case=citizen_case, kind=EventKind.MESSAGE_IN)
    assert event.note == "Thank you, it is fixed."
    assert not CaseEvent.objects.filter(case=citizen_case, kind=EventKind.REOPENED).exists()
    assert sent_to(officer.user.email)["Subject"].startswith(f"Case {citizen_case.reference}")


def test_files_that_are_not_photos_are_refused_with_an_answer_saying_why(
        email_gateway, mailbox, citizen_case):
    acknowledgement = sent_to(CITIZEN)
    too_big = b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024)
    mailbox.append(reply_to(acknowledgement, body="See the attached.", attachments=[
        ("invoice.pdf", "application/pdf", b"%PDF-1.4 not a photo"),
        ("huge.png", "image/png", too_big),
        ("street.png", "image/png", png())]))

    poll_and_send()

    assert Attachment.objects.filter(case=citizen_case).count() == 1
    answer = sent_to(CITIZEN)
    text = answer.get_payload(decode=True).decode()
    assert "invoice.pdf: The file is not a photo we can take" in text
    assert "huge.png: The photo is 6.0 MB; the limit is 5 MB." in text
    assert "street.png" not in text
    assert answer["Auto-Submitted"] == "auto-replied"
    assert str(answer["Subject"]).startswith("Re: ")
    # In the thread of the citizen's message, and of the case.
    citizen_message_id = InboundMessage.objects.get().provider_id
    assert answer["In-Reply-To"] == f"<{citizen_message_id}>"
    references = answer["References"].split()
    assert f"{citizen_case.pk}-" in references[0] and references[-1] == f"<{citizen_message_id}>"
    assert len(references) == len(set(references))


def test_a_message_too_large_to_read_is_told_and_still_joins_its_case(
        db, mailbox, monkeypatch, citizen_case):
    from .fixtures import gateway_for

    gateway_for(mailbox, monkeypatch, max_message_bytes=50_000)
    mailbox.append(reply_to(sent_to(CITIZEN), body="Photos attached",
                            attachments=[("big.png", "image/png", b"x" * 80_000)]))

    poll_and_send()

    assert not Attachment.objects.filter(case=citizen_case).exists()
    assert CaseEvent.objects.filter(case=citizen_case, kind=EventKind.MESSAGE_IN).exists()
    assert "larger than we can read" in sent_to(CITIZEN).get_payload(decode=True).decode()


def test_a_new_email_from_the_address_of_an_open_case_joins_it(
        email_gateway, mailbox, citizen_case):
    mailbox.append(new_email(body="I forgot to say: the leak is at number 12."))

    poll_and_send()

    assert InboundMessage.objects.get().case == citizen_case
    assert CaseEvent.objects.get(case=citizen_case, kind=EventKind.MESSAGE_IN).note == (
        "I forgot to say: the leak is at number 12.")


def test_a_stranger_without_a_token_is_pointed_to_the_form_once_a_day(
        email_gateway, mailbox, citizen_case):
    stranger = "sipho@example.net"
    mailbox.append(new_email(body="There is a pothole on Main Road.", sender=stranger))
    mailbox.append(new_email(body="Also the streetlight.", sender=stranger))

    poll_and_send()

    assert list(InboundMessage.objects.values_list("outcome", flat=True)) == [
        "unmatched", "unmatched"]
    assert not CaseEvent.objects.filter(kind=EventKind.MESSAGE_IN).exists()
    answers = OutboxMessage.objects.filter(recipient=stranger)
    assert answers.count() == 1
    text = sent_to(stranger).get_payload(decode=True).decode()
    assert "/report/" in text and "could not tell which report" in text


def test_a_made_up_token_reaches_no_case(email_gateway, mailbox, citizen_case):
    forged = f"replies+{citizen_case.pk}-aaaaaaaaaaaaaaaa@muni.example"
    mailbox.append(new_email(body="Let me in", sender="mallory@example.net", to=forged))

    poll_and_send()

    assert InboundMessage.objects.get().outcome == "unmatched"
    assert not CaseEvent.objects.filter(case=citizen_case, kind=EventKind.MESSAGE_IN).exists()


def test_a_token_joins_the_case_whoever_forwards_the_reply(
        email_gateway, mailbox, citizen_case):
    raw = reply_to(sent_to(CITIZEN), body="I am Thandi's neighbour; it is worse today.",
                   sender="neighbour@example.net")
    mailbox.append(raw)

    poll_and_send()

    assert InboundMessage.objects.get().case == citizen_case


def test_flag_mode_leaves_the_message_in_the_inbox_marked(
        db, mailbox, monkeypatch, citizen_case):
    from .fixtures import gateway_for

    gateway_for(mailbox, monkeypatch, after="flag")
    uid = mailbox.append(reply_to(sent_to(CITIZEN), body="Still waiting"))

    poll_and_send()
    poll_and_send()

    assert mailbox.uids() == [uid]
    assert {"\\Seen", "$ImbizoHandled"} <= mailbox.flags(uid)
    assert InboundMessage.objects.count() == 1
    assert HANDLED not in mailbox.folders()


def test_a_message_that_fails_is_flagged_and_the_others_go_on(
        email_gateway, mailbox, citizen_case, monkeypatch, caplog):
    from imbizo.channels import email_imap

    real = email_imap.email_receive

    def failing(*, gateway, raw, too_large=False):
        if b"poison" in raw:
            raise ValueError("poison from " + CITIZEN)
        return real(gateway=gateway, raw=raw, too_large=too_large)

    monkeypatch.setattr(email_imap, "email_receive", failing)
    bad = mailbox.append(new_email(body="poison"))
    mailbox.append(new_email(body="A good message"))

    poll_and_send()
    poll_and_send()

    assert mailbox.uids() == [bad]
    assert "$ImbizoFailed" in mailbox.flags(bad)
    assert InboundMessage.objects.get().text == "A good message"
    assert "ValueError" in caplog.text and CITIZEN not in caplog.text


def test_a_mailbox_over_imaps_with_the_institution_certificate(
        db, imaps_server, monkeypatch, citizen_case):
    from .fixtures import gateway_for

    box = imaps_server.mailbox()
    gateway_for(box, monkeypatch, tls="ssl", ca_file=imaps_server.ca_file)
    box.append(reply_to(sent_to(CITIZEN), body="Sent over TLS"))

    assert poll_and_send() == 1
    assert InboundMessage.objects.get().case == citizen_case


def test_a_server_whose_certificate_is_not_trusted_is_not_polled(
        db, imaps_server, monkeypatch, caplog):
    from imbizo.channels.email_imap import MailboxError, mailbox_poll

    from .fixtures import gateway_for

    box = imaps_server.mailbox()
    gateway = gateway_for(box, monkeypatch, tls="ssl")
    box.append(new_email(body="Hello"))

    with pytest.raises(MailboxError, match="CERTIFICATE_VERIFY_FAILED"):
        mailbox_poll(gateway=gateway)
    assert box.uids() != []


def test_a_wrong_password_is_logged_without_it_and_other_mailboxes_go_on(
        db, imap_server, monkeypatch, caplog, citizen_case):
    from .fixtures import PASSWORD_ENV, gateway_for

    good = imap_server.mailbox()
    gateway_for(good, monkeypatch)
    bad = imap_server.mailbox()
    wrong = gateway_for(bad, monkeypatch, slug="other")
    wrong.settings = {**wrong.settings, "password_env": "WRONG_PASSWORD"}
    wrong.save()
    monkeypatch.setenv("WRONG_PASSWORD", "not-" + bad.password)
    monkeypatch.setenv(PASSWORD_ENV, good.password)
    good.append(reply_to(sent_to(CITIZEN), body="Hi"))

    assert poll_and_send() == 1
    assert "refused the login" in caplog.text
    assert bad.password not in caplog.text
