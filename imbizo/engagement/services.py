"""Writes for moments of truth: contacts, invitations, responses, the closed loop."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from imbizo.cases.intake import CaseDraft
from imbizo.cases.links import survey_link
from imbizo.cases.services import case_assign, case_open
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.inputs import text_fault, text_visible
from imbizo.core.languages import language_or_default, official_language
from imbizo.core.limits import LINE_MAX
from imbizo.core.pseudonyms import citizen_key
from imbizo.notify.services import message_enqueue
from imbizo.org.models import Role, Staff
from imbizo.org.selectors import institution_get

from .counter import Visitor, counter_answer_admit, follow_up_allowed
from .errors import EngagementError
from .hooks import follow_up_assignee_finders, response_submitted
from .models import (
    Answer,
    Contact,
    Instrument,
    Invitation,
    LoopRule,
    QuestionType,
    Response,
)
from .replies import first_prompt
from .scores import RANGES, LoopWatch, Rated, loop_fires

INVITATION_DAYS = 14
logger = logging.getLogger("imbizo.engagement")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def contact_record(*, channel: str, kind: str = Contact.Kind.PERSON, office=None, staff=None,
                   case=None, identifier: str = "", wait_seconds: int | None = None,
                   handling_seconds: int | None = None, outcome: str = "", notes: str = "",
                   at=None, case_id: int | None = None, office_id: int | None = None,
                   language: str | None = None) -> Contact:
    """Record a moment of truth. The citizen is kept only as a pseudonym.

    `language` is the one the citizen used; by default the case's.
    """
    ids = {"case_id": case_id} if case_id else {"case": case}
    ids.update({"office_id": office_id} if office_id else {"office": office})
    if language is None:
        language = case.language if case is not None else ""
    return Contact.objects.create(
        at=at or clock.now(), kind=kind, channel=channel, staff=staff, **ids,
        citizen_key=citizen_key(identifier), wait_seconds=wait_seconds,
        handling_seconds=handling_seconds, outcome=outcome[:LINE_MAX], notes=notes,
        language=official_language(language),
    )


def instrument_current(code: str) -> Instrument | None:
    return Instrument.objects.filter(code=code, published=True).order_by("-version").first()


def invitation_create(*, instrument_code: str, source: str, case=None, contact=None,
                      office=None, staff=None, identifier: str = "") -> str | None:
    """Create an invitation and return its secret token (shown only in the link).

    Returns None when the citizen was already invited within
    SURVEY_MIN_DAYS_BETWEEN days: nobody is asked too often.
    """
    instrument = instrument_current(instrument_code)
    if instrument is None:
        logger.warning("no published survey instrument %r: nobody is invited", instrument_code)
        return None
    key = citizen_key(identifier)
    now = clock.now()
    days = int(getattr(settings, "SURVEY_MIN_DAYS_BETWEEN", 30))
    if key and Invitation.objects.filter(
            citizen_key=key, created_at__gt=now - timedelta(days=days)).exists():
        return None
    token = secrets.token_urlsafe(24)
    Invitation.objects.create(
        token_hash=_hash(token), source=source, instrument=instrument,
        case=case, contact=contact, office=office or (case.office if case else None),
        staff=staff or (case.assignee if case else None), citizen_key=key, created_at=now,
        expires_at=None if source == Invitation.Source.COUNTER
        else now + timedelta(days=INVITATION_DAYS),
    )
    return token


def counter_token(office) -> str:
    """The standing survey token of an office's counter (printed as a QR code).

    Derived from the server's secret, so reprinting gives the same code and
    nobody can guess another office's; the invitation row holds its hash.
    """
    token = salted_hmac("imbizo.counter", f"office:{office.pk}", algorithm="sha256").hexdigest()[:32]
    Invitation.objects.get_or_create(
        token_hash=_hash(token),
        defaults={"source": Invitation.Source.COUNTER, "office": office,
                  "instrument": instrument_current("after-contact"), "created_at": clock.now()},
    )
    return token


def invitation_get(token: str) -> Invitation:
    """The open invitation for `token`, or DomainError saying plainly why not."""
    invitation = (Invitation.objects.select_related("instrument", "office", "case")
                  .filter(token_hash=_hash(token)).first())
    if invitation is None:
        raise DomainError(EngagementError.INVITATION_UNKNOWN,
                          _("This survey link is not valid. Check that it was copied in full."))
    if invitation.used_at is not None:
        raise DomainError(EngagementError.INVITATION_USED,
                          _("This survey has already been answered. Thank you!"))
    if invitation.expires_at is not None and invitation.expires_at < clock.now():
        raise DomainError(EngagementError.INVITATION_EXPIRED,
                          _("This survey link has expired: links work for %(days)d days.")
                          % {"days": INVITATION_DAYS})
    return invitation


def answers_check(instrument: Instrument, raw: dict[str, str]) -> list[tuple]:
    """(question, number, text) for each answer, or DomainError naming the question."""
    cleaned = []
    for question in instrument.questions.all():
        value = text_visible(raw.get(question.code) or "")
        if text_fault(value):
            raise DomainError(EngagementError.ANSWER_INVALID,
                              _("%(q)s: this answer holds a character no text may contain.")
                              % {"q": question.text}, field=question.code)
        if not value:
            if question.required:
                raise DomainError(EngagementError.ANSWER_INVALID,
                                  _("Please answer: %(q)s") % {"q": question.text},
                                  field=question.code)
            continue
        if question.type in RANGES:
            low, high = RANGES[question.type]
            try:
                number = int(value)
            except ValueError:
                number = None
            if number is None or not low <= number <= high:
                raise DomainError(
                    EngagementError.ANSWER_INVALID,
                    _("%(q)s: give a whole number from %(low)d to %(high)d.")
                    % {"q": question.text, "low": low, "high": high}, field=question.code)
            cleaned.append((question, number, ""))
        elif question.type == QuestionType.CHOICE:
            if value not in question.choices:
                raise DomainError(EngagementError.ANSWER_INVALID,
                                  _("%(q)s: choose one of the options.") % {"q": question.text},
                                  field=question.code)
            cleaned.append((question, None, value))
        else:
            cleaned.append((question, None, value[:2000]))
    return cleaned


@transaction.atomic
def response_submit(*, invitation: Invitation, answers: dict[str, str],
                    device: str = "", visitor: Visitor | None = None) -> Response:
    """Store a completed survey once, then close the loop if a rule fires.

    A counter survey takes one answer per device per hour and a few per
    address (engagement.counter): `visitor` says who answers on the web."""
    cleaned = answers_check(invitation.instrument, answers)
    now = clock.now()
    if invitation.source == Invitation.Source.COUNTER:
        visitor = visitor or Visitor(device=device)
        # One answer at a time per counter: the limits below count exactly.
        Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        device_key = citizen_key(f"device:{visitor.device}") if visitor.device else ""
        if device_key and Response.objects.filter(
                invitation=invitation, citizen_key=device_key,
                submitted_at__gt=now - timedelta(hours=1)).exists():
            raise DomainError(EngagementError.TOO_MANY,
                              _("We already have your answers from this device. Thank you!"))
        counter_answer_admit(invitation=invitation, visitor=visitor, now=now,
                             device_key=device_key)
        key = device_key
    else:
        # One-use: only the first submission may claim the invitation.
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=now)
        if claimed != 1:
            raise DomainError(EngagementError.INVITATION_USED,
                              _("This survey has already been answered. Thank you!"))
        key = invitation.citizen_key
    response = Response.objects.create(
        invitation=invitation, instrument=invitation.instrument, contact=invitation.contact,
        case=invitation.case, office=invitation.office, staff=invitation.staff,
        channel=invitation.case.channel if invitation.case else "walk_in",
        citizen_key=key, submitted_at=now,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=q, driver=q.driver, number=n, text=t)
        for q, n, t in cleaned
    )
    response_submitted.send(sender=Response, response=response, answers=cleaned)
    loop_close(response=response, answers=[Rated(question=q.code, type=q.type, driver=q.driver,
                                                 number=n) for q, n, _t in cleaned])
    return response


def loop_watch(rule: LoopRule) -> LoopWatch:
    return LoopWatch(instrument=rule.instrument_code, questions=tuple(rule.questions or ()),
                     drivers=tuple(rule.drivers or ()), max_score=rule.max_score,
                     detractor=rule.detractor)


def loop_close(*, response: Response, answers: list[Rated]) -> LoopRule | None:
    """Open one follow-up case for the office supervisor when a rule fires.

    The first active rule that fires (oldest first) decides, and is stored
    on the response (`follow_up_rule`): the thank-you page tells the citizen
    its promise. Returns that rule, or None when none fired. A response that
    already has its follow-up (or had it held back) gets no second one.
    """
    if response.follow_up_id is not None or response.follow_up_held:
        return None
    code = response.instrument.code
    rule = next((r for r in LoopRule.objects.filter(active=True).order_by("pk")
                 .select_related("follow_up_service")
                 if loop_fires(instrument=code, answers=answers, watch=loop_watch(r))), None)
    if rule is None:
        return None
    if not follow_up_allowed(response=response, now=response.submitted_at):
        # The office had its hour's follow-ups from the counter: a flood of
        # poor answers is flagged to the supervisor, not opened case by case.
        Response.objects.filter(pk=response.pk).update(follow_up_held=True, follow_up_rule=rule)
        response.follow_up_held, response.follow_up_rule = True, rule
        return rule
    low = ", ".join(f"{a.question} {a.number}" for a in answers if a.number is not None)
    original = response.case
    about = f" about case {original.reference}" if original else ""
    # The citizen's own consent and details carry over, so that when the
    # follow-up is resolved they are told what changed.
    contact = ({"citizen_name": original.citizen_name, "citizen_phone": original.citizen_phone,
                "citizen_email": original.citizen_email,
                "contact_consent": original.contact_consent}
               if original and original.contact_consent else {})
    case = case_open(
        draft=CaseDraft(
            service_code=rule.follow_up_service.code, kind="complaint",
            channel=response.channel or "web",
            description=_("A citizen answered the survey \"%(survey)s\"%(about)s with low "
                          "scores (%(scores)s; rule: %(rule)s). Contact them, listen, put it "
                          "right and record what changed.")
            % {"survey": response.instrument.name, "about": about, "scores": low,
               "rule": rule.name},
            **contact,
        ),
        idempotency_key=f"loop-{response.pk}",
    )
    # A finder registered by a higher app may claim the follow-up first (clients:
    # a key client's account manager); the office supervisor owns the rest.
    owner = next((found for finder in follow_up_assignee_finders
                  if (found := finder(response=response, case=case)) is not None), None)
    if owner is None and response.office:
        owner = (Staff.objects.filter(office=response.office, role=Role.SUPERVISOR, active=True)
                 .order_by("pk").first())
    if owner is not None and case.assignee_id != owner.pk:
        case = case_assign(case=case, actor=None, assignee=owner)
    Response.objects.filter(pk=response.pk).update(follow_up=case, follow_up_rule=rule)
    response.follow_up, response.follow_up_rule = case, rule
    return rule  # one follow-up per response, whatever else fires


@transaction.atomic
def intake_contact_record(*, staff, case, channel: str, wait_seconds: int | None = None,
                          handling_seconds: int | None = None) -> Contact | None:
    """The call or visit that opened `case` is a moment of truth: record it once
    (a resubmitted form adds nothing) and invite the citizen to rate it."""
    if case.contacts.filter(staff=staff).exists():
        return None
    contact = contact_record(
        channel=channel, office=staff.office, staff=staff, case=case,
        identifier=case.citizen_phone or case.citizen_email, wait_seconds=wait_seconds,
        handling_seconds=handling_seconds, outcome=_("Case opened"),
    )
    invite_after_contact(contact=contact, case=case)
    return contact


def invite_after_contact(*, contact: Contact, case) -> bool:
    """Invite the citizen of a staffed contact to rate it, by SMS or email, at most
    once per quiet period and only with their consent. True when invited."""
    if case is None or not case.contact_consent:
        return False
    channel, recipient = ("sms", case.citizen_phone) if case.citizen_phone else (
        "email", case.citizen_email)
    if not recipient:
        return False
    token = invitation_create(instrument_code="after-contact", source=channel, case=case,
                              contact=contact, office=contact.office, staff=contact.staff,
                              identifier=recipient)
    if token is None:
        return False
    instrument = instrument_current("after-contact")
    # In the citizen's language: the case's, whichever member of staff (and
    # whichever page language) recorded the contact.
    language = language_or_default(case.language)
    with translation.override(language):
        prompt = first_prompt(instrument) if instrument else ""
    message_enqueue(channel=channel, recipient=recipient, template="survey_invitation",
                    case=case, language=language, context={
                        "url": survey_link(token),
                        "institution": institution_get(),
                        # An SMS may be answered by reply (imbizo.channels.surveys).
                        "reply_prompt": prompt})
    return True


def compliment_route(*, case) -> int:
    """Send a compliment to the people it is about: the office's supervisors and
    the head of its department. Returns how many were told."""
    recipients = set()
    if case.office_id:
        recipients.update(Staff.objects.filter(
            office_id=case.office_id, role=Role.SUPERVISOR, active=True,
        ).exclude(user__email="").values_list("user__email", flat=True))
        head = (Staff.objects.filter(pk=case.office.department.head_id)
                .values_list("user__email", flat=True).first()
                if case.office.department.head_id else None)
        if head:
            recipients.add(head)
    for email in sorted(recipients):
        message_enqueue(channel="email", recipient=email, template="compliment", case=case,
                        context={"case": case}, dedupe_key=f"compliment:{case.pk}:{email}")
    return len(recipients)
