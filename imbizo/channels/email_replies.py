"""A citizen's email, read from the institution's mailbox, reaches its case.

`email_receive` takes one message's bytes (from the IMAP poller, or from the
demo) and, in one transaction:

1. stores it once (channels.services.inbound_receive; the Message-ID is the
   provider id, so a message read twice is handled once);
2. leaves machines alone: an auto-reply or a bounce is recorded with that
   outcome and touches no case (it never reopens one, never adds to one and
   is never answered: autoresponders answering each other is a mail loop);
3. finds the case: by a reply token in the addresses or the ids it answers
   (notify.replies), else the sender's most recent open case (as an SMS is
   joined); a case merged into an incident sends its mail to the incident;
4. adds the reply to the case (a contact on channel email, a staff-only
   MESSAGE_IN event with the reply without its quoted history, the officer
   told), whatever the case's status: a reply to a resolved or closed case is
   a message, not a reopening (ADR 0032);
5. takes its attached photos onto the case with the same checks as uploads
   (cases.uploads.image_check); a file that is not a photo, too large, or one
   too many is refused and the sender is told which and why;
6. answers a sender whose message names no case and who has no open case
   with a short note pointing to the report form (at most once a day per
   address).

Answers are outbox emails marked `Auto-Submitted: auto-replied` (RFC 3834)
and threaded on the citizen's message. Nothing here logs an address or a text.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from imbizo.cases.models import Attachment, Case
from imbizo.cases.uploads import MAX_PHOTOS, image_check
from imbizo.catalogue.models import Channel
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.links import site_link
from imbizo.notify.models import MessageChannel
from imbizo.notify.replies import case_ids_in, case_token, thread_id
from imbizo.notify.services import message_enqueue
from imbizo.notify.texts import context_builder, header_builder
from imbizo.org.selectors import institution_get

from .email_parse import Machine, ParsedEmail, Part, email_parse
from .inbound import Inbound
from .models import Gateway, InboundMessage
from .services import case_message_add, inbound_receive, open_case_of, outcome_set

logger = logging.getLogger("imbizo.channels")

ANSWER_TEMPLATE = "channels/email_answer"
# A message larger than this is not downloaded: its sender is told (gateway
# setting max_message_bytes).
MAX_MESSAGE_BYTES = 25 * 1024 * 1024


class EmailOutcome:
    """Outcomes of emails besides the shared ones (InboundMessage.Outcome)."""

    AUTO_REPLY = Machine.AUTO_REPLY  # an autoresponder or bulk mail: recorded, nothing else
    BOUNCE = Machine.BOUNCE  # a delivery failure report: recorded, nothing else
    UNMATCHED = "unmatched"  # no token and no open case: the sender is pointed to the form


@dataclass(frozen=True)
class EmailResult:
    """What became of one email."""

    message: InboundMessage
    duplicate: bool = False
    case: Case | None = None
    photos: int = 0
    refused: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        return self.message.outcome


@dataclass(frozen=True)
class Refusal:
    filename: str
    reason: str


def email_receive(*, gateway: Gateway, raw: bytes, too_large: bool = False) -> EmailResult:
    """Handle one email (see the module docstring). `too_large`: only the
    headers were read because the whole message is over the mailbox's size
    limit; the sender is told it was not read. One transaction: a failure
    leaves nothing stored, and the next poll tries again."""
    parsed = email_parse(raw)
    with transaction.atomic():
        message, created = _store(gateway, parsed)
        if not created:
            return EmailResult(message=message, duplicate=True, case=message.case)
        machine = parsed.machine or _from_ourselves(parsed.sender)
        if machine or not parsed.sender:
            # Nobody to answer or to join to a case: recorded, nothing else.
            outcome_set(message, machine or InboundMessage.Outcome.REFUSED)
            return EmailResult(message=message)
        case = _case_of(parsed)
        if case is None:
            outcome_set(message, EmailOutcome.UNMATCHED)
            _unmatched_answer(parsed)
            return EmailResult(message=message)
        if too_large:
            refused = [Refusal(parsed.subject or _("your message"), _(
                "the message is larger than we can read (%(max)d MB); send photos one or two "
                "at a time") % {"max": _size_limit_mb(gateway)})]
            photos = []
        else:
            photos, refused = _photos_checked(parsed.attachments)
        for part, content_type, extension in photos:
            _photo_attach(case, part, content_type, extension)
        if not message.text and photos:
            InboundMessage.objects.filter(pk=message.pk).update(text=_("(photos only)"))
            message.text = _("(photos only)")
        case_message_add(case=case, message=message, channel=Channel.EMAIL)
        if refused:
            _refused_answer(parsed, case=case, message=message, refused=refused)
    return EmailResult(message=message, case=case, photos=len(photos),
                       refused=tuple(f"{r.filename}: {r.reason}" for r in refused))


def _store(gateway: Gateway, parsed: ParsedEmail) -> tuple[InboundMessage, bool]:
    text = parsed.text or (parsed.subject if not parsed.attachments else "")
    # When it was read, not the Date the sender's machine wrote (which can be anything).
    return inbound_receive(gateway=gateway, inbound=Inbound(
        provider_id=parsed.message_id, sender=parsed.sender, text=text, received_at=clock.now(),
        extra={"subject": parsed.subject}))


def _from_ourselves(sender: str) -> str:
    """An email from one of our own addresses is our own message come back: a loop."""
    ours = {address.rpartition("<")[2].strip(" >").lower() for address in
            (settings.DEFAULT_FROM_EMAIL, getattr(settings, "EMAIL_REPLY_ADDRESS", ""))
            if address}
    local, _at, domain = sender.partition("@")
    plain = f"{local.partition('+')[0]}@{domain}"
    return EmailOutcome.AUTO_REPLY if sender in ours or plain in ours else ""


def _case_of(parsed: ParsedEmail) -> Case | None:
    ids = case_ids_in(parsed.token_text)
    if ids:
        cases = {case.pk: case for case in Case.objects.filter(pk__in=ids).select_related(
            "parent", "office", "assignee__user", "service")}
        for case_id in ids:  # the first token found wins: the address it was sent to
            case = cases.get(case_id)
            if case is not None:
                return case.parent if case.parent_id else case
    return open_case_of(channel=Channel.EMAIL, address=parsed.sender)


# --- photos -----------------------------------------------------------------------


def _photos_checked(parts: list[Part]) -> tuple[list[tuple[Part, str, str]], list[Refusal]]:
    """The attachments that are photos we take (with their content type and
    extension), and the refused ones with the reason, in the uploads' words."""
    taken: list[tuple[Part, str, str]] = []
    refused: list[Refusal] = []
    for part in parts:
        upload = ContentFile(part.content, name=part.filename)
        try:
            content_type, extension = image_check(upload)
        except DomainError as refusal:
            refused.append(Refusal(part.filename, refusal.message))
            continue
        if len(taken) >= MAX_PHOTOS:
            refused.append(Refusal(part.filename, _(
                "we take at most %(max)d photos from one message; send the others in "
                "another reply") % {"max": MAX_PHOTOS}))
            continue
        taken.append((part, content_type, extension))
    return taken, refused


def _photo_attach(case: Case, part: Part, content_type: str, extension: str) -> Attachment:
    # Our own name, as for uploads: the sender's file name is neither trusted nor kept.
    attachment = Attachment(case=case, content_type=content_type, size=len(part.content))
    attachment.file.save(f"{case.reference}-{secrets.token_hex(6)}.{extension}",
                         ContentFile(part.content), save=False)
    attachment.save()
    return attachment


def _size_limit_mb(gateway: Gateway) -> int:
    limit = (gateway.settings or {}).get("max_message_bytes") or MAX_MESSAGE_BYTES
    return max(1, int(limit) // (1024 * 1024))


# --- answers ----------------------------------------------------------------------


def _thread(parsed: ParsedEmail) -> dict:
    """Threading of our answer on the citizen's message."""
    if parsed.message_id.startswith("sha256:"):
        return {"in_reply_to": "", "references": ""}
    own = f"<{parsed.message_id}>"
    earlier = [f"<{ref}>" for ref in parsed.references[-8:] if f"<{ref}>" != own]
    return {"in_reply_to": own, "references": " ".join([*earlier, own])}


def _subject(parsed: ParsedEmail) -> str:
    subject = parsed.subject or ""
    return subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()


def _refused_answer(parsed: ParsedEmail, *, case: Case, message: InboundMessage,
                    refused: list[Refusal]) -> None:
    message_enqueue(
        channel=MessageChannel.EMAIL, recipient=parsed.sender, template=ANSWER_TEMPLATE,
        deferred_context={"kind": "refused", "case_id": case.pk, "reference": case.reference,
                          "files": [[r.filename, str(r.reason)] for r in refused],
                          "subject": _subject(parsed), "language": case.language or "",
                          **_thread(parsed)},
        case=case, dedupe_key=f"email-refused:{message.pk}")


def _unmatched_answer(parsed: ParsedEmail) -> None:
    # One a day per address at most: a broken autoresponder without the
    # headers that mark it must not start a mail loop with us.
    day = clock.now().date().isoformat()
    address_key = hashlib.sha256(parsed.sender.encode()).hexdigest()[:24]
    message_enqueue(
        channel=MessageChannel.EMAIL, recipient=parsed.sender, template=ANSWER_TEMPLATE,
        deferred_context={"kind": "unmatched", "subject": _subject(parsed), **_thread(parsed)},
        dedupe_key=f"email-unmatched:{address_key}:{day}")


@context_builder(ANSWER_TEMPLATE)
def _answer_context(message) -> dict:
    context = dict(message.context)
    context.update({
        "institution": institution_get(),
        "report_link": site_link(reverse("portal:report")),
        "track_link": site_link(reverse("portal:track_lookup")),
        "files": [{"name": name, "reason": reason} for name, reason in context.get("files", [])],
        "language": context.get("language") or None,
    })
    return context


@header_builder(ANSWER_TEMPLATE)
def _answer_headers(message) -> dict:
    """An automatic answer (RFC 3834), in the thread of the citizen's message;
    an answer about a case is also in the case's thread."""
    context = message.context or {}
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    references = context.get("references", "")
    if context.get("case_id"):
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "imbizo.local"
        references = " ".join(filter(None, [thread_id(case_token(context["case_id"]), domain),
                                            references]))
    if context.get("in_reply_to"):
        headers["In-Reply-To"] = context["in_reply_to"]
    if references:
        headers["References"] = references
    return headers
