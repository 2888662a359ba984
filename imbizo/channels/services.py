"""Writes of the channels: inbound messages stored once, joined to cases,
cases opened from a dialogue, STOP, status and survey answers by text.

Adapters are thin: they read the provider's format into `Inbound` and call
these. Each service runs in one transaction. Nothing here logs a sender's
address or a message's text (personal data).
"""

import logging
import re
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imbizo.cases.intake import CaseDraft, phone_normalise
from imbizo.cases.links import staff_case_link
from imbizo.cases.models import Case, EventKind
from imbizo.cases.reference import reference_parse
from imbizo.cases.services import case_open, event_record
from imbizo.cases.transitions import OPEN_STATUSES
from imbizo.catalogue.models import Channel
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.engagement.models import Contact
from imbizo.engagement.services import contact_record
from imbizo.notify.models import MessageChannel, MessageStatus, OutboxMessage
from imbizo.notify.services import message_enqueue, opt_out_record
from imbizo.notify.services import opted_out as notify_opted_out
from imbizo.notify.stop import STOP_CONFIRMATION
from imbizo.org.models import Role, Staff
from imbizo.org.selectors import institution_get

from . import surveys
from .inbound import Inbound
from .models import Gateway, InboundMessage

logger = logging.getLogger("imbizo.channels")

# What a citizen agrees to by writing to us on a channel (kept with the case
# by privacy, as a form's consent words are).
CHANNEL_CONSENT = _("Messages about this report go back to the number or address it came from.")
# Template of a reply in a dialogue (its text is rendered now).
REPLY_TEMPLATE = "channels/reply"
PHONE_CHANNELS = frozenset({Channel.SMS, Channel.USSD, Channel.WHATSAPP})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- addresses ------------------------------------------------------------------


def address_normalise(channel: str, address: str) -> str:
    """The address as stored on cases: E.164 for phone channels, lower-case email.
    An address that cannot be read is returned stripped, unchanged."""
    address = (address or "").strip()
    if channel == Channel.EMAIL or _EMAIL.match(address):
        return address.lower()
    if address and not address.startswith("+") and address.isdigit() and len(address) > 10:
        address = "+" + address  # WhatsApp ids and some gateways drop the plus
    try:
        return phone_normalise(address)
    except DomainError:
        return address


def message_channel(channel: str) -> str:
    """The outbox channel that reaches a citizen who wrote on `channel`: a USSD
    session cannot be written to later, so its messages go by SMS."""
    return {Channel.USSD: MessageChannel.SMS, Channel.WHATSAPP: MessageChannel.WHATSAPP,
            Channel.EMAIL: MessageChannel.EMAIL}.get(channel, MessageChannel.SMS)


# --- inbound --------------------------------------------------------------------


def inbound_receive(*, gateway: Gateway, inbound: Inbound) -> tuple[InboundMessage, bool]:
    """Store `inbound` once. The same provider id again returns the first record
    and False: the caller then does nothing more (no second reply)."""
    provider_id = (inbound.provider_id or "").strip()[:200] or f"local-{uuid.uuid4().hex}"
    existing = InboundMessage.objects.filter(gateway=gateway, provider_id=provider_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                gateway=gateway, provider_id=provider_id,
                sender=address_normalise(gateway.kind, inbound.sender),
                text=(inbound.text or "")[:4000], received_at=inbound.received_at or clock.now())
    except IntegrityError:
        # Two deliveries raced; the first one stored it.
        return InboundMessage.objects.get(gateway=gateway, provider_id=provider_id), False
    return message, True


def outcome_set(message: InboundMessage, outcome: str, *, case=None) -> None:
    fields = {"outcome": outcome}
    if case is not None:
        fields["case"] = case
        message.case = case
    message.outcome = outcome
    InboundMessage.objects.filter(pk=message.pk).update(**fields)


def open_case_of(*, channel: str, address: str) -> Case | None:
    """This sender's most recent open case, by normalised phone or email."""
    address = address_normalise(channel, address)
    if not address:
        return None
    match = Q(citizen_email__iexact=address) if "@" in address else Q(citizen_phone=address)
    return (Case.objects.filter(match, status__in=list(OPEN_STATUSES))
            .select_related("service", "office", "assignee__user")
            .order_by("-opened_at", "-id").first())


@transaction.atomic
def case_message_add(*, case: Case, message: InboundMessage, channel: str) -> Contact:
    """The citizen wrote about `case`: a contact on that channel, a staff-only
    MESSAGE_IN event with the text, the message linked, the officer told."""
    now = clock.now()
    contact = contact_record(
        channel=channel, case=case, office=case.office, identifier=message.sender,
        outcome=_("Message from the citizen"), at=message.received_at or now)
    event_record(case=case, kind=EventKind.MESSAGE_IN, at=now, note=message.text,
                 public=False, details={"channel": channel, "message": message.pk})
    message.case, message.contact = case, contact
    InboundMessage.objects.filter(pk=message.pk).update(
        case=case, contact=contact, outcome=InboundMessage.Outcome.CASE_MESSAGE)
    message.outcome = InboundMessage.Outcome.CASE_MESSAGE
    _tell_staff(case=case, message=message, channel=channel)
    return contact


def _tell_staff(*, case: Case, message: InboundMessage, channel: str) -> None:
    """Email the assigned officer, or the office's supervisors when nobody is."""
    people = Staff.objects.filter(active=True).exclude(user__email="")
    if case.assignee_id:
        people = people.filter(pk=case.assignee_id)
    elif case.office_id:
        people = people.filter(office_id=case.office_id, role=Role.SUPERVISOR)
    else:
        return
    context = {"case": case, "channel": Channel(channel).label if channel in Channel.values
               else channel, "text": message.text, "link": staff_case_link(case.reference)}
    for email in sorted(set(people.values_list("user__email", flat=True))):
        message_enqueue(channel=MessageChannel.EMAIL, recipient=email,
                        template="channels/message_in", context=context, case=case,
                        dedupe_key=f"message_in:{message.pk}:{email}"[:120])


@transaction.atomic
def case_open_from_channel(*, channel: str, sender: str, service, description: str,
                           ward=None, place: str = "", lat: float | None = None,
                           lon: float | None = None, attributes: dict | None = None,
                           idempotency_key: str, message: InboundMessage | None = None,
                           acknowledge: bool = True, language: str = "") -> Case:
    """Open a case reported on `channel` by `sender` through the normal intake.

    The sender becomes the citizen's phone (or email) with consent to be
    written to there; a contact is recorded; the acknowledgement (reference
    and the standard's promise, template case_received) goes back on the same
    channel (SMS for USSD). With `acknowledge=False` the caller replies itself
    (the dialogue answers with `acknowledgement_text`), so the citizen does not
    get it twice. `language` is the citizen's (chosen on the phone menu, or
    the dialogue's); "" lets triage find it in the description. DomainError
    when the intake refuses the report; with an `idempotency_key` already
    used, the first case is returned.
    """
    address = address_normalise(channel, sender)
    is_email = "@" in address
    draft = CaseDraft(
        service_code=service.code, description=description, channel=channel,
        lat=lat, lon=lon, address=(place or "")[:255],
        citizen_phone="" if is_email else address, citizen_email=address if is_email else "",
        contact_consent=True, consent_text=str(CHANNEL_CONSENT),
        attributes=attributes or {}, ward_code=ward.code if ward is not None else "",
        language=language,
    )
    case = case_open(draft=draft, idempotency_key=idempotency_key)
    acknowledgement = OutboxMessage.objects.filter(
        case=case, template="case_received", status=MessageStatus.PENDING,
        channel=MessageChannel.EMAIL if is_email else MessageChannel.SMS)
    if not acknowledge:
        acknowledgement.delete()  # never sent: it was written in this transaction
    elif channel == Channel.WHATSAPP:
        # The acknowledgement goes back where the citizen wrote.
        acknowledgement.update(channel=MessageChannel.WHATSAPP)
    if not case.contacts.exists():
        contact = contact_record(channel=channel, case=case, office=case.office,
                                 identifier=address, outcome=_("Case opened"),
                                 language=case.language)
        if message is not None:
            InboundMessage.objects.filter(pk=message.pk).update(
                case=case, contact=contact, outcome=InboundMessage.Outcome.CASE_OPENED)
            message.case, message.contact = case, contact
            message.outcome = InboundMessage.Outcome.CASE_OPENED
    return case


def acknowledgement_text(case: Case) -> str:
    """The reply that confirms a report made in a dialogue: the reference and
    the promise of the service's standard (its pledge)."""
    institution = institution_get()
    text = _("%(name)s: we received your report, ref %(ref)s.") % {
        "name": institution.short_name or institution.name, "ref": case.reference}
    pledge = case.standard.pledge.strip() if case.standard_id else ""
    if pledge:
        text += " " + pledge
    elif case.resolve_due_at:
        text += " " + _("We aim to resolve it by %(when)s.") % {
            "when": date_format(timezone.localtime(case.resolve_due_at), "j M")}
    return text + " " + _("Text STATUS %(ref)s to follow it.") % {"ref": case.reference}


# --- status, stop, replies ------------------------------------------------------------


def case_of_reference(*, reference: str, address: str) -> Case | None:
    """The case of `reference` when it is this address's own; None otherwise
    (not found and not theirs look the same)."""
    canonical = reference_parse(reference or "")
    case = (Case.objects.filter(reference=canonical).select_related("service").first()
            if canonical else None)
    return case if case is not None and _belongs(case, address) else None


def status_text(*, reference: str, address: str) -> str:
    """The case's status in one short line, for its own citizen only. A reference
    that does not exist or belongs to another address gets the same answer."""
    case = case_of_reference(reference=reference, address=address)
    if case is None:
        return _("We found no report %(ref)s for this number. Check the reference.") % {
            "ref": (reference or "").strip()[:12]}
    line = _("%(ref)s (%(service)s): %(status)s.") % {
        "ref": case.reference, "service": case.service.name[:40],
        "status": case.get_status_display()}
    if case.status in OPEN_STATUSES and case.resolve_due_at:
        line += " " + _("We aim to resolve it by %(when)s.") % {
            "when": date_format(timezone.localtime(case.resolve_due_at), "j M")}
    return line


@transaction.atomic
def status_asked(*, case: Case, message: InboundMessage, channel: str) -> Contact:
    """The citizen asked after their case: a contact on the channel (a moment
    of truth), the message linked to the case."""
    contact = contact_record(channel=channel, case=case, office=case.office,
                             identifier=message.sender, outcome=_("Asked for the status"),
                             at=message.received_at)
    InboundMessage.objects.filter(pk=message.pk).update(
        case=case, contact=contact, outcome=InboundMessage.Outcome.STATUS)
    message.case, message.contact = case, contact
    message.outcome = InboundMessage.Outcome.STATUS
    return contact


def _belongs(case: Case, address: str) -> bool:
    if not address:
        return False
    if "@" in address:
        return case.citizen_email.lower() == address.lower()
    return case.citizen_phone == address


def opt_out(*, channel: str, address: str) -> None:
    """STOP: no more messages to `address` on `channel`'s outbox channel, except
    the confirmation, which is queued here."""
    address = address_normalise(channel, address)
    outbox = message_channel(channel)
    with transaction.atomic():
        opt_out_record(channel=outbox, address=address)
        message_enqueue(channel=outbox, recipient=address, template=STOP_CONFIRMATION,
                        context={"institution": institution_get()})


def opted_out(channel: str, address: str) -> bool:
    return notify_opted_out(channel=message_channel(channel),
                            address=address_normalise(channel, address))


def reply_send(*, channel: str, address: str, texts: list[str], case=None) -> None:
    """Queue dialogue replies to `address` on `channel` (interactive priority)."""
    outbox = message_channel(channel)
    for text in texts:
        if text:
            # The words are the dialogue's, already in the citizen's language.
            message_enqueue(channel=outbox, recipient=address_normalise(channel, address),
                            template=REPLY_TEMPLATE, context={"text": text}, case=case,
                            language=(case.language or None) if case is not None else None)


# --- surveys by text ------------------------------------------------------------------


def survey_answer(*, channel: str, address: str, text: str) -> str | None:
    """A 1-5 reply to a waiting survey: answer its next question; the next prompt
    or the thanks. None when no survey waits or the reply is not a number
    (see channels.surveys)."""
    return surveys.answer(channel=channel, address=address_normalise(channel, address),
                          text=text)
