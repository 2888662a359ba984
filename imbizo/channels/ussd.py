"""USSD sessions: the menu walked against the database, and what a finished
session does (open a case, answer a status, record a rating).

A session is a `Conversation` on channel "ussd" for the caller's number; its
data holds the gateway's sessionId and how many inputs of the `text` to skip
(those typed before a timeout). The screen itself is replayed from the inputs
(`ussd_session.walk`). What a session does is done once per sessionId: the
inbound message "<sessionId>:<action>" is stored once (`inbound_receive`),
and a case is opened with the sessionId as idempotency key, so the same step
posted twice opens one case and records one rating.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from imbizo.cases.models import Case
from imbizo.catalogue.models import AttributeDatatype, Channel
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.hooks import response_submitted
from imbizo.engagement.models import Answer, Contact, Response
from imbizo.engagement.scores import Rated
from imbizo.engagement.services import (
    answers_check,
    contact_record,
    instrument_current,
    loop_close,
)
from imbizo.geo.models import Ward
from imbizo.geo.selectors import place_search
from imbizo.texts.selectors import sms_words, translated_sms

from .inbound import Inbound
from .models import Conversation, Gateway, InboundMessage
from .services import (
    address_normalise,
    case_open_from_channel,
    inbound_receive,
    outcome_set,
    status_text,
)
from .ussd_menu import Menu, menu_from, menu_problems
from .ussd_session import (
    Follow,
    PlaceOption,
    Question,
    Rate,
    Reply,
    Report,
    ServiceOption,
    inputs_of,
    walk,
)

logger = logging.getLogger("imbizo.channels")

RATE_INSTRUMENT = "after-contact"
RATE_DAYS = 90  # a contact older than this is not offered for rating
SERVICE_CHANNELS = (Channel.USSD, Channel.SMS)  # a menu without its own list offers these
QUESTION_MAX = 70  # a service's question on a screen, leaving room for its options
# Contacts with a person, whom the after-contact questions are about.
STAFFED_CHANNELS = (Channel.HOTLINE, Channel.WALK_IN, Channel.FIELD, Channel.OUTREACH)
_WARD_NUMBER = re.compile(r"^(?:ward\s*)?(\d{1,4})$", re.IGNORECASE)
# Datatypes a menu can ask: a numbered choice, free text, a number.
ASKABLE = {AttributeDatatype.SINGLE, AttributeDatatype.STRING, AttributeDatatype.TEXT,
           AttributeDatatype.NUMBER}


def gateway_menu(gateway: Gateway) -> Menu:
    """The gateway's menu, or the default one when its data has problems
    (which the admin refuses; this guards rows written another way)."""
    data = (gateway.settings or {}).get("menu")
    if menu_problems(data):
        logger.warning("ussd gateway %s: menu data has problems; the default menu is used",
                       gateway.pk)
        data = None
    menu = menu_from(data)
    if not (data or {}).get("timeout_seconds"):
        menu = replace(menu, timeout_seconds=int(getattr(settings, "USSD_SESSION_SECONDS", 180)))
    return menu


# --- what the menu looks up ------------------------------------------------------------


def service_options(menu: Menu) -> list[ServiceOption]:
    """The services a caller may report: the menu's own list, else every active
    service offered on USSD or SMS; only those with a standard in force and
    whose required questions a menu can ask."""
    snapshot = catalogue_snapshot()
    today = timezone.localdate()
    if menu.services:
        services = [snapshot.services[c] for c in menu.services if c in snapshot.services]
    else:
        services = sorted((s for s in snapshot.services.values()
                           if set(s.channels or ()) & set(SERVICE_CHANNELS)),
                          key=lambda s: (s.group, s.name))
    services = [s for s in services if snapshot.standard_in_force(s.pk, today) is not None]
    # Every language the menu offers, in one query per model (texts.selectors).
    words = sms_words([*services, *(a for s in services for a in s.questions)], menu.languages)
    options = []
    for service in services:
        questions, askable = [], True
        for attribute in service.questions:
            if not attribute.variable or not attribute.required:
                continue
            if attribute.datatype not in ASKABLE:
                askable = False
                break
            choices = tuple((str(v.get("key")), str(v.get("name") or v.get("key")))
                            for v in attribute.values or () if isinstance(v, dict))
            if attribute.datatype == AttributeDatatype.SINGLE and not choices:
                askable = False
                break
            own = words.get((attribute._meta.label_lower, attribute.pk), {})
            questions.append(Question(
                code=attribute.code, text=_cut(attribute.description, QUESTION_MAX),
                choices=choices,
                numeric=attribute.datatype == AttributeDatatype.NUMBER,
                words={language: {
                    "text": _cut(said.get("description", attribute.description), QUESTION_MAX),
                    **{f"choice.{key}": said[f"values.{key}"] for key, _label in choices
                       if f"values.{key}" in said}}
                    for language, said in own.items()}))
        if askable:
            names = {language: said["name"] for language, said
                     in words.get((service._meta.label_lower, service.pk), {}).items()
                     if "name" in said}
            options.append(ServiceOption(code=service.code, name=service.name,
                                         questions=tuple(questions), names=names))
    return options


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def place_options(typed: str) -> list[PlaceOption]:
    """A ward by its number or name, else places of the gazetteer inside a ward."""
    number = _WARD_NUMBER.match(typed.strip())
    wards = Ward.objects.none()
    if number:
        wards = Ward.objects.filter(Q(name__iexact=f"Ward {int(number.group(1))}")
                                    | Q(code__iexact=typed.strip()))
    elif len(typed) <= 120:
        wards = Ward.objects.filter(Q(name__iexact=typed.strip()) | Q(code__iexact=typed.strip()))
    found = [PlaceOption(label=w.name, ward_code=w.code) for w in wards.order_by("code")[:8]]
    if found or number:
        return found
    return [PlaceOption(label=hit.label, ward_code=hit.ward_code, lat=hit.lat, lon=hit.lon)
            for hit in place_search(typed, limit=8) if hit.ward_code]


def contact_to_rate(address: str) -> Contact | None:
    """The caller's most recent moment of truth with a person in RATE_DAYS days
    that is not rated yet and is not itself a rating session."""
    key = citizen_key(address)
    if not key:
        return None
    ratings = InboundMessage.objects.filter(
        outcome=InboundMessage.Outcome.SURVEY_ANSWER, contact__isnull=False).values("contact")
    return (Contact.objects.filter(citizen_key=key, kind=Contact.Kind.PERSON,
                                   at__gt=clock.now() - timedelta(days=RATE_DAYS))
            .filter(Q(staff__isnull=False) | Q(channel__in=STAFFED_CHANNELS))
            .exclude(responses__isnull=False).exclude(pk__in=ratings)
            .select_related("case", "office", "staff").order_by("-at", "-id").first())


@dataclass
class DatabaseWorld:
    menu: Menu
    address: str

    def services(self) -> list[ServiceOption]:
        return service_options(self.menu)

    def places(self, typed: str) -> list[PlaceOption]:
        return place_options(typed)

    def rate_questions(self) -> list[Question]:
        instrument = instrument_current(RATE_INSTRUMENT)
        if instrument is None or contact_to_rate(self.address) is None:
            return []
        return [Question(code=q.code, text=q.text) for q in instrument.questions.all()
                if q.required and q.type == "scale5"]


# --- a session step ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One request of Africa's Talking's USSD callback."""

    session_id: str
    phone: str
    text: str = ""
    service_code: str = ""
    network_code: str = ""


def ussd_step(*, gateway: Gateway, step: Step) -> str:
    """The answer to one USSD request: "CON <screen>" or "END <screen>"."""
    menu = gateway_menu(gateway)
    address = address_normalise(Channel.USSD, step.phone)
    inputs = inputs_of(step.text)
    skip = _session_skip(address=address, step=step, inputs=inputs, menu=menu)
    reply = walk(menu=menu, world=DatabaseWorld(menu=menu, address=address), inputs=inputs[skip:])
    if reply.action is not None:
        try:
            reply = _do(gateway=gateway, step=step, address=address, reply=reply, menu=menu)
        except DomainError as error:
            logger.info("ussd gateway %s: the session's action was refused (%s)", gateway.pk,
                        error.code)
            reply = Reply(menu.text(reply.language, "failed"), end=True)
    if reply.end:
        Conversation.objects.filter(channel=Channel.USSD, address=address).update(
            expires_at=clock.now(), step="ended")
    return reply.body


def _session_skip(*, address: str, step: Step, inputs: list[str], menu: Menu) -> int:
    """How many of the inputs belong to before a timeout; the session's row
    is created or renewed. A new sessionId starts afresh; the same one resumed
    after its timeout starts again from the main menu."""
    now = clock.now()
    expires = now + timedelta(seconds=menu.timeout_seconds)
    with transaction.atomic():
        # One row per number: the lock orders two requests of one session.
        conversation, created = Conversation.objects.select_for_update().get_or_create(
            channel=Channel.USSD, address=address,
            defaults={"flow": "ussd", "step": "menu", "started_at": now, "updated_at": now,
                      "expires_at": expires, "data": {"session": step.session_id, "skip": 0}})
        if created:
            return 0
        data = conversation.data or {}
        if data.get("session") != step.session_id:
            data = {"session": step.session_id, "skip": 0}
            conversation.started_at, conversation.step = now, "menu"
        elif conversation.expires_at <= now and conversation.step != "ended":
            # Resumed after the network would have dropped it: start again.
            data = {"session": step.session_id, "skip": len(inputs)}
            conversation.started_at = now
        # An ended session asked again (a repeated last step) replays its end.
        skip = min(int(data.get("skip") or 0), len(inputs))
        conversation.data, conversation.flow = data, "ussd"
        conversation.updated_at, conversation.expires_at = now, expires
        conversation.save(update_fields=["data", "flow", "step", "started_at", "updated_at",
                                         "expires_at"])
        return skip


def _do(*, gateway: Gateway, step: Step, address: str, reply: Reply, menu: Menu) -> Reply:
    action, language = reply.action, reply.language
    if isinstance(action, Report):
        return _report(gateway=gateway, step=step, address=address, report=action,
                       menu=menu, language=language)
    if isinstance(action, Follow):
        return _follow(gateway=gateway, step=step, address=address, follow=action)
    assert isinstance(action, Rate)
    return _rate(gateway=gateway, step=step, address=address, rate=action, menu=menu,
                 language=language)


def _message(*, gateway, step: Step, action: str, text: str) -> tuple[InboundMessage, bool]:
    return inbound_receive(gateway=gateway, inbound=Inbound(
        provider_id=f"{step.session_id}:{action}"[:200], sender=step.phone, text=text,
        extra={"service_code": step.service_code, "network_code": step.network_code}))


@transaction.atomic
def _report(*, gateway, step, address, report: Report, menu: Menu, language: str) -> Reply:
    snapshot = catalogue_snapshot()
    service = snapshot.services.get(report.service.code)
    if service is None:
        raise DomainError("service_unknown", "The service is no longer offered.")
    message, _new = _message(gateway=gateway, step=step, action="report",
                             text=report.description)
    ward = Ward.objects.filter(code=report.place.ward_code).first()
    case = case_open_from_channel(
        channel=Channel.USSD, sender=address, service=service, description=report.description,
        ward=ward, place=report.place.label if report.place.lat is not None else "",
        lat=report.place.lat, lon=report.place.lon, attributes=report.attributes,
        idempotency_key=f"ussd:{gateway.pk}:{step.session_id}", message=message,
        language=language)
    if message.case_id is None:
        outcome_set(message, InboundMessage.Outcome.CASE_OPENED, case=case)
    pledge = translated_sms(case.standard, "pledge", language) if case.standard_id else ""
    text = menu.text(language, "done", reference=case.reference, pledge="")
    room = 182 - len(text)
    if pledge and room > 20:
        text = menu.text(language, "done", reference=case.reference,
                         pledge=pledge if len(pledge) <= room else pledge[:room - 3].rstrip()
                         + "...")
    return Reply(text.strip(), end=True, language=language)


@transaction.atomic
def _follow(*, gateway, step, address, follow: Follow) -> Reply:
    message, new = _message(gateway=gateway, step=step, action=f"follow:{follow.reference}",
                            text=follow.reference)
    answer = status_text(reference=follow.reference, address=address)
    if new:
        case = Case.objects.filter(reference=follow.reference, citizen_phone=address).first()
        contact = contact_record(channel=Channel.USSD, case=case,
                                 office=case.office if case else None, identifier=address,
                                 outcome=_("Status asked"))
        InboundMessage.objects.filter(pk=message.pk).update(
            case=case, contact=contact, outcome=InboundMessage.Outcome.STATUS)
    return Reply(answer[:182], end=True)


@transaction.atomic
def _rate(*, gateway, step, address, rate: Rate, menu: Menu, language: str) -> Reply:
    message, new = _message(gateway=gateway, step=step, action="rate",
                            text=" ".join(rate.answers.values()))
    if new:
        rating_record(gateway=gateway, address=address, answers=rate.answers, message=message)
    return Reply(menu.text(language, "rate_done"), end=True, language=language)


def rating_record(*, gateway: Gateway, address: str, answers: dict, message: InboundMessage,
                  at=None) -> Response | None:
    """Record `answers` (question code -> "1".."5") as a survey response on
    channel ussd about the caller's last contact, the USSD session itself as a
    contact; then close the loop as a web survey would. None when there is
    nothing to rate (any more)."""
    target = contact_to_rate(address)
    instrument = instrument_current(RATE_INSTRUMENT)
    if target is None or instrument is None:
        return None
    cleaned = answers_check(instrument, answers)
    now = at or clock.now()
    session = contact_record(channel=Channel.USSD, case=target.case, office=target.office,
                             identifier=address, outcome=_("Rated a contact"), at=now)
    response = Response.objects.create(
        instrument=instrument, contact=target, case=target.case, office=target.office,
        staff=target.staff, channel=Channel.USSD, citizen_key=citizen_key(address),
        submitted_at=now)
    Answer.objects.bulk_create(Answer(response=response, question=q, driver=q.driver, number=n,
                                      text=t) for q, n, t in cleaned)
    InboundMessage.objects.filter(pk=message.pk).update(
        case=target.case, contact=session, outcome=InboundMessage.Outcome.SURVEY_ANSWER)
    response_submitted.send(sender=Response, response=response, answers=cleaned)
    loop_close(response=response, answers=[Rated(question=q.code, type=q.type, driver=q.driver,
                                                 number=n) for q, n, _t in cleaned])
    return response


def session_close(*, phone: str, session_id: str) -> None:
    """The network ended the session (Africa's Talking's end notification)."""
    Conversation.objects.filter(
        channel=Channel.USSD, address=address_normalise(Channel.USSD, phone),
        data__session=session_id).update(expires_at=clock.now())
