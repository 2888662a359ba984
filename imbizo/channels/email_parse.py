"""Reading one email as a citizen's reply: who wrote, what they wrote (without
the history they quoted), what they attached, which case tokens it carries,
and whether a machine wrote it (an auto-reply or a bounce).

Pure functions of the message's bytes: no database, no clock. The rules for
machines follow RFC 3834 (Auto-Submitted), RFC 3464 (delivery status
reports) and the headers autoresponders actually send (X-Autoreply,
X-Autorespond, Precedence, Microsoft's X-Auto-Response-Suppress), plus the
subjects of out-of-office messages.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

# Headers that can carry a case's reply token (notify.replies): the address
# the reply went to, and the ids of the messages it answers.
TOKEN_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "In-Reply-To",
                 "References")
TEXT_MAX = 4000
# An image referred to from the HTML body and smaller than this is a logo or
# an icon in a signature, not a photo of the problem.
INLINE_ICON_BYTES = 16 * 1024


class Machine:
    """What kind of machine wrote a message (none: a person)."""

    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"


@dataclass(frozen=True)
class Part:
    """One attached file, as sent."""

    filename: str
    content_type: str
    content: bytes


@dataclass
class ParsedEmail:
    message_id: str  # without the angle brackets; "" when the message has none
    sender: str  # the From address, lower-case; "" when unreadable
    subject: str
    text: str  # the reply itself, quoted history and signature removed
    received_at: datetime | None
    token_text: str  # the headers that may carry reply tokens, joined
    machine: str = ""  # Machine.AUTO_REPLY, Machine.BOUNCE or "" (a person)
    attachments: list[Part] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # ids this one answers, newest last

    @property
    def provider_id(self) -> str:
        return self.message_id


def email_parse(raw: bytes) -> ParsedEmail:
    """Read `raw` (an RFC 5322 message). Never raises on a malformed message:
    what cannot be read is left empty."""
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = _header(message, "Message-ID").strip().strip("<>").strip()[:190]
    if not message_id:
        # No id (some scripts send none): the bytes themselves are the message's identity.
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    sender = parseaddr(_header(message, "From"))[1].strip().lower()
    subject = " ".join(_header(message, "Subject").split())[:255]
    html, plain = _bodies(message)
    text = reply_text(plain if plain.strip() else html_text(html))
    references = list(dict.fromkeys(re.findall(r"<([^<>\s]+)>", " ".join(
        (_header(message, "References"), _header(message, "In-Reply-To"))))))
    return ParsedEmail(
        message_id=message_id, sender=sender if "@" in sender else "", subject=subject,
        text=text[:TEXT_MAX], received_at=_date(message),
        token_text=" ".join(_header(message, name) for name in TOKEN_HEADERS),
        machine=machine_of(message, subject=subject),
        attachments=_attachments(message, html), references=references,
    )


def _header(message: EmailMessage, name: str) -> str:
    """All values of header `name`, joined; a value the parser cannot read is
    taken as it was sent."""
    values = []
    for key, value in message.raw_items():
        if key.lower() != name.lower():
            continue
        try:
            values.append(str(message.policy.header_factory(key, value)))
        except Exception:  # noqa: BLE001 - a malformed header is read as raw text
            values.append(" ".join(str(value).split()))
    return " ".join(values)


def _date(message: EmailMessage) -> datetime | None:
    try:
        when = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return when if when is not None and when.tzinfo is not None else None


# --- machines ---------------------------------------------------------------------

_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[\s_-]*(reply|response|antwoord)|autoreply|out of (the )?office|"
    r"away from (the|my) office|on (annual )?leave|outomatiese antwoord|afwesig|"
    r"auto:|abwesenheitsnotiz|r[ée]ponse automatique|respuesta autom[áa]tica)",
    re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliver(ed|able)|delivery (status notification|has failed|failure)|"
    r"mail delivery (failed|failure|subsystem)|returned mail|failure notice|"
    r"non[- ]?delivery)", re.IGNORECASE)
_DAEMONS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|bounce[s]?)([+@]|$)",
                      re.IGNORECASE)


def machine_of(message: EmailMessage, *, subject: str = "") -> str:
    """Machine.BOUNCE for a delivery failure report, Machine.AUTO_REPLY for an
    autoresponder or bulk mail, "" for a person's message."""
    content_type = message.get_content_type()
    report_type = (message.get_param("report-type", header="content-type") or "")
    if content_type == "multipart/report" and str(report_type).lower() == "delivery-status":
        return Machine.BOUNCE
    sender = parseaddr(_header(message, "From"))[1]
    if _DAEMONS.match(sender) or _header(message, "X-Failed-Recipients"):
        return Machine.BOUNCE
    if _header(message, "Return-Path").strip() == "<>" and _BOUNCE_SUBJECT.match(subject):
        return Machine.BOUNCE
    if _BOUNCE_SUBJECT.match(subject) and any(
            part.get_content_type() == "message/delivery-status" for part in message.walk()):
        return Machine.BOUNCE
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return Machine.AUTO_REPLY
    if any(_header(message, name) for name in ("X-Autoreply", "X-Autorespond",
                                               "X-Auto-Response-Suppress", "X-Autogenerated")):
        return Machine.AUTO_REPLY
    if _header(message, "Precedence").strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return Machine.AUTO_REPLY
    if _header(message, "List-Id") or _header(message, "List-Unsubscribe"):
        return Machine.AUTO_REPLY
    if _AUTO_SUBJECT.match(subject):
        return Machine.AUTO_REPLY
    return ""


# --- bodies -----------------------------------------------------------------------


def _bodies(message: EmailMessage) -> tuple[str, str]:
    """(html, plain) text of the message's body; either may be empty."""
    html = plain = ""
    try:
        part = message.get_body(preferencelist=("plain",))
        if part is not None:
            plain = _content(part)
        part = message.get_body(preferencelist=("html",))
        if part is not None:
            html = _content(part)
    except (LookupError, ValueError, AttributeError):
        pass
    if not plain and not html and message.get_content_maintype() == "text":
        plain = _content(message)
    return html, plain


def _content(part) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AttributeError, UnicodeError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    return content if isinstance(content, str) else ""


class _HtmlText(HTMLParser):
    """Visible text of an HTML body, without quoted history (blockquotes,
    Gmail's and Outlook's quote containers), scripts and styles."""

    BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "hr"})
    SKIP = frozenset({"blockquote", "script", "style", "head", "title"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []  # open tags whose content is dropped
        self.stopped = False

    def handle_starttag(self, tag, attrs):
        if self.stopped:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").lower()
        element_id = (attributes.get("id") or "").lower()
        if element_id in ("divrplyfwdmsg", "appendonsend") or "moz-cite-prefix" in classes:
            self.stopped = True  # Outlook / Thunderbird: what follows is the quoted message
            return
        quote = tag in self.SKIP or "gmail_quote" in classes or "yahoo_quoted" in classes
        if quote or (self.skipping and tag == self.skipping[-1]):
            self.skipping.append(tag)  # nested tags of the same name close in pairs
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.stopped and not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    if not html:
        return ""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):
        pass
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- the reply without its history ------------------------------------------------

# A line that starts the quoted history: everything from it on is dropped.
_HISTORY = [
    re.compile(r"^\s*on\b.{0,300}\bwrote:?\s*$", re.IGNORECASE),  # Gmail, Apple Mail
    re.compile(r"^\s*op\b.{0,300}\b(het|skryf)\b.{0,200}:\s*$", re.IGNORECASE),  # Afrikaans
    re.compile(r"^\s*-{2,}\s*(original message|forwarded message|oorspronklike boodskap)"
               r"\s*-{2,}", re.IGNORECASE),
    re.compile(r"^\s*_{20,}\s*$"),  # Outlook's rule above the quoted message
    re.compile(r"^\s*-- ?$"),  # the signature delimiter (RFC 3676)
    re.compile(r"^\s*sent from my \w+", re.IGNORECASE),
    re.compile(r"^\s*(get outlook for|sent from (outlook|mail for windows|yahoo mail))",
               re.IGNORECASE),
]
# Outlook's quoted header block: "From: ..." followed shortly by "Sent:" or "Date:".
_FROM = re.compile(r"^\s*\*?(from|van):\*?\s", re.IGNORECASE)
_SENT = re.compile(r"^\s*\*?(sent|date|gestuur|datum):\*?\s", re.IGNORECASE)
_ON = re.compile(r"^\s*on\s.{0,300}$", re.IGNORECASE)
_WROTE = re.compile(r"^.{0,200}\bwrote:\s*$", re.IGNORECASE)


def reply_text(text: str) -> str:
    """The citizen's own words in a reply: quoted lines (">") and everything
    from the first line that starts the quoted history (or the signature) on
    are dropped; blank lines at the ends trimmed."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1:index + 5]
        if any(rule.match(line) for rule in _HISTORY):
            break
        # "On Mon, 7 Dec 2026 at 10:00, Imbizo <x@y>" / "wrote:" wraps in some clients.
        if _ON.match(line) and following and _WROTE.match(following[0]):
            break
        if _FROM.match(line) and any(_SENT.match(after) for after in following):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


# --- attachments ------------------------------------------------------------------


def _attachments(message: EmailMessage, html: str) -> list[Part]:
    if not message.is_multipart():
        return []
    referenced = set(re.findall(r"cid:([^\"'\s>)]+)", html or "", re.IGNORECASE))
    parts: list[Part] = []
    for part in message.walk():
        if part.is_multipart() or part is message:
            continue
        disposition = (part.get_content_disposition() or "").lower()
        content_type = part.get_content_type()
        filename = _filename(part)
        if disposition != "attachment" and not filename and content_type.startswith("text/"):
            continue  # a body, not a file
        if content_type in ("message/delivery-status", "text/rfc822-headers"):
            continue
        if content_type == "message/rfc822":
            content = part.as_bytes()
        else:
            content = part.get_payload(decode=True) or b""
        content_id = (part.get("Content-ID") or "").strip().strip("<>")
        if (content_id and content_id in referenced and content_type.startswith("image/")
                and len(content) < INLINE_ICON_BYTES):
            continue  # a logo in the signature
        if disposition != "attachment" and not filename and not content_type.startswith("image/"):
            continue
        parts.append(Part(filename=filename or _default_name(content_type, len(parts) + 1),
                          content_type=content_type, content=content))
    return parts


def _filename(part) -> str:
    try:
        name = part.get_filename() or ""
    except (ValueError, TypeError, LookupError):
        name = ""
    name = re.sub(r"[\x00-\x1f/\\]", "_", str(name)).strip()
    return name[-120:]


def _default_name(content_type: str, number: int) -> str:
    return f"{content_type.replace('/', '-')}-{number}"

