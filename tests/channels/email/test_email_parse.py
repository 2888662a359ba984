"""Reading an email as a citizen's reply: the words without the quoted
history, the machines that write mail, the attached files (no database)."""

import pytest

from imbizo.channels.email_parse import Machine, email_parse, html_text, reply_text


def raw(headers: dict, body: str = "Hello", content_type: str = "text/plain") -> bytes:
    lines = [f"{name}: {value}" for name, value in {
        "From": "Thandi <thandi@example.org>", "To": "replies@muni.example",
        "Subject": "Re: Your report", "Message-ID": "<abc@mail.example.org>",
        "MIME-Version": "1.0", "Content-Type": f"{content_type}; charset=utf-8", **headers,
    }.items() if value is not None]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


# --- the reply without its history ---------------------------------------------------


@pytest.mark.parametrize("history", [
    "On Mon, 7 Dec 2026 at 10:02, Imbizo <noreply@muni.example> wrote:\n> We received it",
    "On Mon, 7 Dec 2026 at 10:02, Imbizo <noreply@muni.example>\nwrote:\n\n> We received it",
    "-----Original Message-----\nFrom: Imbizo\nSent: Monday\nWe received it",
    "________________________________\nFrom: Imbizo <noreply@muni.example>\nSent: 07 December",
    "From: Imbizo <noreply@muni.example>\nSent: Monday, 7 December 2026 10:02\nTo: Thandi\n",
    "Op Ma. 7 Des. 2026 om 10:02 het Imbizo <noreply@muni.example> geskryf:\n> Ons het dit",
    "-- \nThandi Mokoena\n082 123 4567",
    "Sent from my iPhone\n\nOn 7 Dec 2026, Imbizo wrote:",
])
def test_the_quoted_history_and_signature_are_left_out(history):
    text = f"The leak is worse today.\nPlease come soon.\n\n{history}\n"

    assert reply_text(text) == "The leak is worse today.\nPlease come soon."


def test_quoted_lines_between_answers_are_left_out_and_the_answers_kept():
    text = "> Is the water off?\nYes, since Monday.\n> Where exactly?\nAt number 12.\n"

    assert reply_text(text) == "Yes, since Monday.\nAt number 12."


def test_a_line_that_only_starts_like_history_is_kept():
    text = "On Monday the pipe burst again.\nFrom: my neighbour's yard it floods the road."

    assert reply_text(text) == text


def test_an_html_only_reply_is_read_without_its_quoted_part():
    html = ('<div dir="ltr">It is still <b>leaking</b>.<br>Please hurry.</div>'
            '<div class="gmail_quote"><div>On Mon wrote:</div>'
            '<blockquote>We received your report</blockquote></div>')

    parsed = email_parse(raw({}, html, content_type="text/html"))

    assert parsed.text == "It is still leaking.\nPlease hurry."


def test_outlook_html_stops_at_its_reply_header():
    html = ('<p>Thanks, it is fixed.</p><div id="appendonsend"></div><hr>'
            '<div id="divRplyFwdMsg"><b>From:</b> Imbizo</div><div>We received</div>')

    assert html_text(html) == "Thanks, it is fixed."


def test_scripts_and_styles_in_html_are_not_text():
    assert html_text("<style>p{color:red}</style><p>Hi</p><script>alert(1)</script>") == "Hi"


# --- who wrote it ----------------------------------------------------------------------


@pytest.mark.parametrize("headers", [
    {"Auto-Submitted": "auto-replied"},
    {"Auto-Submitted": "auto-generated"},
    {"X-Autoreply": "yes"},
    {"X-Autorespond": "Out of office"},
    {"X-Auto-Response-Suppress": "All"},
    {"Precedence": "bulk"},
    {"Precedence": "auto_reply"},
    {"Precedence": "junk"},
    {"List-Unsubscribe": "<mailto:leave@lists.example>"},
    {"Subject": "Out of Office: Re: Your report"},
    {"Subject": "Automatic reply: Your report"},
    {"Subject": "Outomatiese antwoord: U verslag"},
])
def test_autoresponders_are_recognised(headers):
    assert email_parse(raw(headers)).machine == Machine.AUTO_REPLY


@pytest.mark.parametrize("headers", [
    {"Content-Type": "multipart/report; report-type=delivery-status; boundary=x"},
    {"From": "MAILER-DAEMON@mx.example.org"},
    {"From": "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"},
    {"From": "postmaster@example.org", "Subject": "Delivery Status Notification (Failure)"},
    {"X-Failed-Recipients": "thandi@example.org"},
    {"Return-Path": "<>", "Subject": "Undeliverable: Your report"},
])
def test_bounces_are_recognised(headers):
    assert email_parse(raw(headers)).machine == Machine.BOUNCE


def test_a_person_writing_is_no_machine():
    parsed = email_parse(raw({"Auto-Submitted": "no", "Subject": "Re: Out of water"}))

    assert parsed.machine == ""
    assert parsed.sender == "thandi@example.org"
    assert parsed.message_id == "abc@mail.example.org"


def test_a_message_without_an_id_is_known_by_its_bytes():
    first = email_parse(raw({"Message-ID": None}))
    again = email_parse(raw({"Message-ID": None}))
    other = email_parse(raw({"Message-ID": None}, body="Something else"))

    assert first.message_id.startswith("sha256:")
    assert first.message_id == again.message_id != other.message_id


def test_malformed_headers_do_not_stop_the_reading():
    parsed = email_parse(raw({"From": "=?utf-8?q?broken <<>>", "Date": "yesterday-ish",
                              "References": "<<<"}))

    assert parsed.text == "Hello" and parsed.received_at is None and parsed.sender == ""


def test_the_token_headers_are_read_from_every_address_and_reference():
    parsed = email_parse(raw({"To": "replies+12-abc@muni.example", "Cc": "x@y.example",
                              "Delivered-To": "replies+delivered@muni.example",
                              "In-Reply-To": "<outbox-1.2.tok@muni.example>",
                              "References": "<case-tok@muni.example> <outbox-1.2.tok@m>"}))

    for piece in ("replies+12-abc@", "replies+delivered@", "outbox-1.2.tok", "case-tok@"):
        assert piece in parsed.token_text
    assert parsed.references == ["case-tok@muni.example", "outbox-1.2.tok@m",
                                 "outbox-1.2.tok@muni.example"]


# --- attached files --------------------------------------------------------------------


def test_attachments_and_inline_photos_are_files_but_a_small_signature_logo_is_not():
    boundary = "b1"
    body = (
        f"--{boundary}\r\nContent-Type: multipart/related; boundary=b2\r\n\r\n"
        "--b2\r\nContent-Type: text/html\r\n\r\n<p>See</p><img src=\"cid:logo1\">\r\n"
        "--b2\r\nContent-Type: image/png\r\nContent-ID: <logo1>\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b2--\r\n"
        f"--{boundary}\r\nContent-Type: image/jpeg\r\nContent-Disposition: inline; "
        "filename=IMG_1.jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n"
        f"--{boundary}\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
        "filename=\"../../etc/bill.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n"
        f"--{boundary}--\r\n")

    parsed = email_parse(raw({"Content-Type": f"multipart/mixed; boundary={boundary}"}, body))

    assert [(part.filename, part.content_type) for part in parsed.attachments] == [
        ("IMG_1.jpeg", "image/jpeg"), (".._.._etc_bill.pdf", "application/pdf")]
    assert parsed.attachments[0].content.startswith(b"\xff\xd8\xff")
    assert parsed.text == "See"
