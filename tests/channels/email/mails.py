"""Emails as citizens' mail programs and mail servers write them, for the tests."""

import io
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.core import mail
from PIL import Image

from imbizo.core import clock

CITIZEN = "thandi.mokoena@example.org"


def png(width: int = 40, height: int = 30, colour: str = "blue") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def sent_to(address: str):
    """The last email Django sent to `address` (the locmem outbox), as sent."""
    found = [message for message in mail.outbox if address in message.to]
    assert found, f"no email was sent to {address}"
    return found[-1].message()


def reply_to(sent, *, body: str, sender: str = CITIZEN, attachments=(), headers=None,
             message_id: str | None = None) -> bytes:
    """A citizen's reply to `sent` as Gmail writes it: to its Reply-To (else From),
    In-Reply-To its Message-ID, References the thread, the history quoted below."""
    reply = EmailMessage()
    reply["From"] = f"Thandi Mokoena <{sender}>"
    reply["To"] = sent["Reply-To"] or sent["From"]
    reply["Subject"] = "Re: " + str(sent["Subject"])
    reply["Date"] = format_datetime(clock.now())
    reply["Message-ID"] = message_id or make_msgid(domain="mail.example.org")
    reply["In-Reply-To"] = sent["Message-ID"]
    reply["References"] = " ".join(filter(None, [sent["References"], sent["Message-ID"]]))
    for name, value in (headers or {}).items():
        del reply[name]
        reply[name] = value
    quoted = "\n".join("> " + line for line in sent.get_payload(decode=True).decode().splitlines())
    reply.set_content(f"{body}\n\nOn Mon, 7 Dec 2026 at 10:02, Imbizo <noreply@muni.example> "
                      f"wrote:\n{quoted}\n")
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        reply.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(reply)


def new_email(*, body: str, sender: str = CITIZEN, to: str = "replies@muni.example",
              subject: str = "Water", headers=None, attachments=()) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain="mail.example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)


def bounce_of(sent, *, reporting_mta: str = "mx.example.org") -> bytes:
    """A delivery status notification (RFC 3464) for `sent`, from MAILER-DAEMON, as
    Postfix writes it: the failed message's headers are quoted in the report."""
    boundary = "bounce-boundary-1"
    quoted = "".join(f"{name}: {value}\r\n" for name, value in sent.items())
    return (
        f"From: Mail Delivery System <MAILER-DAEMON@{reporting_mta}>\r\n"
        f"To: {sent['Reply-To'] or sent['From']}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain=reporting_mta)}\r\n"
        f"Date: {format_datetime(clock.now())}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; {reporting_mta}\r\n\r\n"
        f"Final-Recipient: rfc822; {sent['To']}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n{quoted}\r\n"
        f"--{boundary}--\r\n"
    ).encode()
