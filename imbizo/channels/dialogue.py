"""The text dialogue shared by SMS and WhatsApp (docs/channels.md).

One message in, the replies out. What the citizen may text, in this order:

- STOP (or UNSUBSCRIBE, QUIT): no more messages; START undoes it;
- CANCEL in the middle of a report: the report is dropped;
- STATUS <reference>: the status of their own report;
- in the middle of a report: the next step of that report;
- a number from 1 to 5 while a survey invitation waits: the survey's next answer;
- anything else, with a report still open: added to that report (NEW starts another);
- otherwise a new report: service (keywords, the triage suggestion or a number
  menu), place (ward name or number, street or landmark from the gazetteer,
  or a location pin), a few words, the service's required questions, confirm;
  the reply is the reference and the service's pledge.

Where the report stands is a Conversation row per (channel, address); one
untouched for CONVERSATION_MINUTES starts again. Replies aim at one SMS
(160 characters) and say plainly what to send next.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from imbizo.cases.intake import attributes_problems
from imbizo.catalogue.models import AttributeDatatype, Channel, Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.languages import language_or_default, official_language
from imbizo.geo.models import Ward
from imbizo.geo.search import search_key
from imbizo.geo.selectors import place_search, ward_at
from imbizo.notify.services import opt_in_record
from imbizo.org.selectors import institution_get
from imbizo.triage.errors import TriageInputError
from imbizo.triage.language import language_of
from imbizo.triage.suggest import suggest

from . import services, surveys
from .inbound import Media
from .models import Conversation, InboundMessage

logger = logging.getLogger("imbizo.channels")
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "quit"})
# In a report under way: drop it (not a STOP: the citizen still hears from us).
CANCEL_WORDS = frozenset({"cancel", "end"})
START_WORDS = frozenset({"start", "unstop", "yes start"})
NEW_WORDS = frozenset({"new", "report", "menu"})
STATUS = re.compile(r"^\s*status\b[\s:#]*([A-Za-z0-9 -]{0,20})\s*$", re.IGNORECASE)
REPORT = "report"
CONVERSATION_MINUTES = 30
MENU_SIZE = 9  # one digit per choice
PLACE_CHOICES = 3
MIN_DESCRIPTION = 3
# Question types a text message can answer (others keep a service off the channel).
TEXT_DATATYPES = frozenset({AttributeDatatype.STRING, AttributeDatatype.TEXT,
                            AttributeDatatype.NUMBER, AttributeDatatype.SINGLE,
                            AttributeDatatype.MULTI})


def conversation_minutes() -> int:
    return int(getattr(settings, "CHANNELS_CONVERSATION_MINUTES", CONVERSATION_MINUTES))


@dataclass
class _Turn:
    """One message being answered."""

    channel: str
    address: str
    words: str
    lat: float | None
    lon: float | None
    message: InboundMessage | None
    # The official language found in this message's words ("" when unsure).
    detected: str = ""

    def outcome(self, outcome: str, *, case=None) -> None:
        if self.message is not None:
            services.outcome_set(self.message, outcome, case=case)


def converse(*, channel: str, address: str, text: str = "", lat=None, lon=None,
             media: list[Media] | None = None,
             message: InboundMessage | None = None) -> list[str]:
    """The replies to one message from `address` on `channel` (each one SMS
    where possible). Runs in one transaction; the caller sends the replies."""
    words = " ".join((text or "").split())
    # Replies are written in the citizen's language: the one their conversation
    # started in, else the one found in this message (a word like "1" or
    # "STATUS" tells nothing), else the institution's default.
    detected = official_language(language_of(words)) if _worth_detecting(words) else ""
    with transaction.atomic(), translation.override(language_or_default(detected)):
        return _converse(_Turn(channel=channel, address=services.address_normalise(channel, address),
                               words=words, lat=lat, lon=lon, message=message,
                               detected=detected))


# Shorter texts (a number, a keyword) are not worth a guess at their language.
DETECT_MIN_CHARS = 12


def _worth_detecting(words: str) -> bool:
    """Whether `words` may tell the citizen's language: long enough, and not a
    STATUS command, whose reference is random letters ("EA9D KEY6" once read
    as Sesotho because "ea" is a Sesotho word)."""
    return len(words) >= DETECT_MIN_CHARS and STATUS.match(words) is None


def _converse(turn: _Turn) -> list[str]:
    folded = turn.words.lower().strip(" .!")
    if folded in STOP_WORDS:
        services.opt_out(channel=turn.channel, address=turn.address)
        Conversation.objects.filter(channel=turn.channel, address=turn.address).delete()
        turn.outcome(InboundMessage.Outcome.STOP)
        return []  # the confirmation is queued by opt_out, the one message still allowed
    if folded in START_WORDS:
        opt_in_record(channel=services.message_channel(turn.channel), address=turn.address)
        turn.outcome(InboundMessage.Outcome.MENU)
        return [_("You will get our messages again. Text STOP to end them.")]
    status = STATUS.match(turn.words)
    if status:
        turn.outcome(InboundMessage.Outcome.STATUS)
        if not status.group(1):
            return [_("Send STATUS and the reference of your report, e.g. STATUS AB12CD34.")]
        case = services.case_of_reference(reference=status.group(1), address=turn.address)
        if case is not None and turn.message is not None:
            services.status_asked(case=case, message=turn.message, channel=turn.channel)
        return [services.status_text(reference=status.group(1), address=turn.address)]
    now = clock.now()
    conversation = (Conversation.objects.select_for_update()
                    .filter(channel=turn.channel, address=turn.address).first())
    expired = conversation is not None and conversation.expires_at <= now
    if expired:
        conversation.delete()
        conversation = None
    if conversation is not None and conversation.flow == REPORT and folded in CANCEL_WORDS:
        conversation.delete()
        turn.outcome(InboundMessage.Outcome.DIALOGUE)
        return [_("Nothing was sent. Text NEW to report a problem.")]
    if conversation is not None and conversation.data.get("language"):
        translation.activate(language_or_default(conversation.data["language"]))
    if conversation is not None and conversation.flow == REPORT and folded not in NEW_WORDS:
        if turn.detected and not conversation.data.get("language"):
            conversation.data["language"] = turn.detected  # kept by the step's save
            translation.activate(language_or_default(turn.detected))
        return _report_step(turn, conversation)
    if conversation is None or conversation.flow == surveys.SURVEY:
        answer = surveys.answer(channel=turn.channel, address=turn.address, text=turn.words)
        if answer is not None:
            turn.outcome(InboundMessage.Outcome.SURVEY_ANSWER)
            return [answer]
    if folded not in NEW_WORDS and turn.message is not None:
        case = services.open_case_of(channel=turn.channel, address=turn.address)
        if case is not None:
            services.case_message_add(case=case, message=turn.message, channel=turn.channel)
            return [_("Thank you, we added your message to report %(ref)s. "
                      "To report something else, text NEW.") % {"ref": case.reference}]
    replies = [_("Your earlier report was not finished in time, so we start again.")] \
        if expired else []
    return replies + _report_start(turn, now=now, fresh=folded in NEW_WORDS or not turn.words)


# --- the report --------------------------------------------------------------------------


def offered_services(channel: str) -> list[Service]:
    """Active services a citizen may report on `channel`: those whose charter
    lists it (SMS's services for USSD and WhatsApp too, when they list neither)
    and whose required questions a text can answer."""
    result = []
    for service in catalogue_snapshot().services.values():
        channels = set(service.channels or ())
        listed = channel in channels or (
            channel in (Channel.USSD, Channel.WHATSAPP) and Channel.SMS in channels)
        askable = all(q.datatype in TEXT_DATATYPES for q in service.questions
                      if q.variable and q.required)
        if listed and askable:
            result.append(service)
    return sorted(result, key=lambda s: (s.group, s.name))


def _groups(services_: list[Service]) -> list[str]:
    seen: dict[str, None] = {}
    for service in services_:
        seen.setdefault(service.group or _("Other"), None)
    return list(seen)


def _menu(turn: _Turn, conversation: Conversation, offered: list[Service]) -> list[str]:
    groups = _groups(offered)
    if len(groups) > 1:
        options = [["g", group] for group in groups[:MENU_SIZE]]
        lines = [f"{n} {group}" for n, (_k, group) in enumerate(options, 1)]
    else:
        options = [["s", s.code] for s in offered[:MENU_SIZE]]
        lines = [f"{n} {s.name}" for n, s in enumerate(offered[:MENU_SIZE], 1)]
    _step(conversation, "service", options=options)
    turn.outcome(InboundMessage.Outcome.MENU)
    name = institution_get().short_name or institution_get().name
    return [_("%(name)s: what is wrong? Reply with a number or a few words.")
            % {"name": name} + " " + " ".join(lines)
            + " " + _("STATUS <ref> to follow a report.")]


def _report_start(turn: _Turn, *, now, fresh: bool) -> list[str]:
    conversation, _created = Conversation.objects.update_or_create(
        channel=turn.channel, address=turn.address,
        defaults={"flow": REPORT, "step": "service",
                  "data": {"language": turn.detected} if turn.detected else {}, "case": None,
                  "started_at": now, "updated_at": now,
                  "expires_at": now + timedelta(minutes=conversation_minutes())})
    offered = offered_services(turn.channel)
    if not offered:
        conversation.delete()
        turn.outcome(InboundMessage.Outcome.REFUSED)
        return [_("Reports cannot be made by text message yet. Please call us or visit "
                  "our website.")]
    if fresh:
        return _menu(turn, conversation, offered)
    return _service_from_words(turn, conversation, offered, first=True)


def _report_step(turn: _Turn, conversation: Conversation) -> list[str]:
    step = conversation.step
    handler = {"service": _on_service, "place": _on_place, "place_pick": _on_place_pick,
               "description": _on_description, "question": _on_question,
               "confirm": _on_confirm}.get(step, _on_service)
    return handler(turn, conversation)


def _step(conversation: Conversation, step: str, **data) -> None:
    now = clock.now()
    conversation.step = step
    conversation.data = {**conversation.data, **data}
    conversation.updated_at = now
    conversation.expires_at = now + timedelta(minutes=conversation_minutes())
    if conversation.pk:
        conversation.save(update_fields=["step", "data", "updated_at", "expires_at"])


def _messages_remember(turn: _Turn, conversation: Conversation) -> None:
    if turn.message is not None:
        conversation.data["messages"] = [*conversation.data.get("messages", []),
                                         turn.message.pk][-50:]


def _number(words: str) -> int | None:
    words = words.strip(" .#)")
    return int(words) if words.isdigit() and len(words) <= 3 else None


# -- service


def _on_service(turn: _Turn, conversation: Conversation) -> list[str]:
    offered = offered_services(turn.channel)
    _messages_remember(turn, conversation)
    choice = _number(turn.words)
    options = conversation.data.get("options") or []
    if choice is not None:
        if 1 <= choice <= len(options):
            kind, value = options[choice - 1]
            if kind == "s":
                service = next((s for s in offered if s.code == value), None)
                if service is not None:
                    return _service_chosen(turn, conversation, service)
            else:
                in_group = [s for s in offered if (s.group or _("Other")) == value]
                return _service_list(turn, conversation, in_group[:MENU_SIZE])
        return _menu(turn, conversation, offered)
    return _service_from_words(turn, conversation, offered, first=False)


def _service_from_words(turn: _Turn, conversation: Conversation, offered: list[Service],
                        *, first: bool) -> list[str]:
    guesses = service_guesses(turn.words, offered)
    if first and len(turn.words.split()) >= 3:
        conversation.data["description"] = turn.words[:1000]
    _messages_remember(turn, conversation)
    if len(guesses) == 1:
        return _service_chosen(turn, conversation, guesses[0])
    if guesses:
        return _service_list(turn, conversation, guesses[:4])
    return _menu(turn, conversation, offered)


def service_guesses(words: str, offered: list[Service]) -> list[Service]:
    """The offered services `words` point at, best first: the triage model's
    suggestion when it is sure, else the services' keywords and names. One
    service when one clearly wins."""
    by_code = {s.code: s for s in offered}
    try:
        suggestion = suggest(description=words)
    except TriageInputError:
        suggestion = None
    except Exception:  # noqa: BLE001 - a broken model must not stop a report by SMS
        logger.warning("triage suggestion failed; the dialogue uses the keywords", exc_info=True)
        suggestion = None
    if suggestion is not None:
        guessed = [by_code[g.code] for g in suggestion.services if g.code in by_code]
        if guessed:
            return guessed[:1] if len(guessed) == 1 or (
                suggestion.services[0].confidence >= 2 * suggestion.services[1].confidence
            ) else guessed
    key = f" {search_key(words)} "
    scored = []
    for service in offered:
        terms = [t for t in (search_key(k) for k in service.keywords.split(",")) if t]
        terms.append(search_key(service.name))
        score = sum(len(term) for term in terms if f" {term} " in key)
        if score:
            scored.append((score, service))
    scored.sort(key=lambda item: (-item[0], item[1].name))
    if not scored:
        return []
    if len(scored) == 1 or scored[0][0] >= 2 * scored[1][0]:
        return [scored[0][1]]
    return [service for _score, service in scored]


def _service_list(turn: _Turn, conversation: Conversation, choices: list[Service]) -> list[str]:
    options = [["s", s.code] for s in choices]
    _step(conversation, "service", options=options)
    turn.outcome(InboundMessage.Outcome.DIALOGUE)
    lines = " ".join(f"{n} {s.name}" for n, s in enumerate(choices, 1))
    return [_("Which one? Reply with its number:") + " " + lines + " " + _("0 Other")]


def _service_chosen(turn: _Turn, conversation: Conversation, service: Service) -> list[str]:
    conversation.data["service"] = service.code
    conversation.data.pop("options", None)
    return _ask_place(turn, conversation, service)


def _service_of(conversation: Conversation) -> Service | None:
    return catalogue_snapshot().services.get(conversation.data.get("service", ""))


# -- place


def _ask_place(turn: _Turn, conversation: Conversation, service: Service) -> list[str]:
    _step(conversation, "place")
    turn.outcome(InboundMessage.Outcome.DIALOGUE)
    if turn.channel == Channel.WHATSAPP:
        ask = _("%(service)s. Where is it? Send your location pin, or the ward, street or "
                "a landmark nearby.")
    else:
        ask = _("%(service)s. Where is it? Reply with the ward name or number, the street "
                "or a landmark nearby.")
    reply = ask % {"service": service.name}
    if not service.needs_place:
        reply += " " + _("0 if there is no place.")
    return [reply]


def _on_place(turn: _Turn, conversation: Conversation) -> list[str]:
    service = _service_of(conversation)
    if service is None:
        return _report_start(turn, now=clock.now(), fresh=True)
    _messages_remember(turn, conversation)
    if turn.lat is not None and turn.lon is not None:
        ward = ward_at(lat=turn.lat, lon=turn.lon)
        if ward is None:
            _step(conversation, "place")
            return [_("That location is outside our area. Send a place in the municipality.")]
        conversation.data.update({"lat": turn.lat, "lon": turn.lon, "ward": ward.code,
                                  "place": ""})
        return _after_place(turn, conversation, service)
    if turn.words.strip() == "0" and not service.needs_place:
        conversation.data.update({"ward": "", "place": ""})
        return _after_place(turn, conversation, service)
    ward = ward_named(turn.words)
    if ward is not None:
        conversation.data.update({"ward": ward.code, "place": ""})
        return _after_place(turn, conversation, service)
    hits = [hit for hit in place_search(turn.words, limit=PLACE_CHOICES) if hit.ward_code]
    if len(hits) == 1 or (hits and search_key(hits[0].name) == search_key(turn.words)):
        return _place_taken(turn, conversation, service, hits[0])
    if hits:
        _step(conversation, "place_pick",
              places=[[h.label[:80], h.lat, h.lon, h.ward_code] for h in hits])
        turn.outcome(InboundMessage.Outcome.DIALOGUE)
        lines = " ".join(f"{n} {h.label[:50]}" for n, h in enumerate(hits, 1))
        return [_("Which place? Reply with its number:") + " " + lines + " "
                + _("0 None of these")]
    misses = conversation.data.get("place_misses", 0) + 1
    _step(conversation, "place", place_misses=misses)
    turn.outcome(InboundMessage.Outcome.DIALOGUE)
    return [_("We could not find \"%(words)s\". Reply with the ward name or number, "
              "a street or a landmark near the problem.") % {"words": turn.words[:40]}]


def ward_named(words: str) -> Ward | None:
    """The ward `words` names: its code, its number ("ward 12", "12") or its name."""
    key = search_key(words)
    if not key:
        return None
    number = re.fullmatch(r"(?:ward )?(?:no )?0*(\d{1,4})", key)
    wards = list(Ward.objects.only("id", "code", "name"))
    for ward in wards:
        code = ward.code.lower()
        if key == search_key(ward.code) or (number and re.fullmatch(
                rf"\D*0*{number.group(1)}", code)):
            return ward
    named = [ward for ward in wards if search_key(ward.name) == key
             or search_key(ward.name) == f"ward {key}"]
    return named[0] if len(named) == 1 else None


def _place_taken(turn: _Turn, conversation: Conversation, service: Service, hit) -> list[str]:
    conversation.data.update({"lat": hit.lat, "lon": hit.lon, "ward": hit.ward_code,
                              "place": hit.label[:200]})
    return _after_place(turn, conversation, service)


def _on_place_pick(turn: _Turn, conversation: Conversation) -> list[str]:
    service = _service_of(conversation)
    if service is None:
        return _report_start(turn, now=clock.now(), fresh=True)
    choice = _number(turn.words)
    places = conversation.data.get("places") or []
    if choice is not None and 1 <= choice <= len(places):
        label, lat, lon, ward = places[choice - 1]
        _messages_remember(turn, conversation)
        conversation.data.update({"lat": lat, "lon": lon, "ward": ward, "place": label})
        conversation.data.pop("places", None)
        return _after_place(turn, conversation, service)
    if choice == 0:
        conversation.data.pop("places", None)
        return _ask_place(turn, conversation, service)
    return _on_place(turn, conversation)  # another name typed instead of a number


def _after_place(turn: _Turn, conversation: Conversation, service: Service) -> list[str]:
    conversation.data.pop("place_misses", None)
    if conversation.data.get("description"):
        return _next_question(turn, conversation, service)
    _step(conversation, "description")
    turn.outcome(InboundMessage.Outcome.DIALOGUE)
    return [_("In a few words, what is wrong?")]


# -- description and questions


def _on_description(turn: _Turn, conversation: Conversation) -> list[str]:
    service = _service_of(conversation)
    if service is None:
        return _report_start(turn, now=clock.now(), fresh=True)
    _messages_remember(turn, conversation)
    if len(turn.words) < MIN_DESCRIPTION or _number(turn.words) is not None:
        _step(conversation, "description")
        turn.outcome(InboundMessage.Outcome.DIALOGUE)
        return [_("Please describe the problem in a few words.")]
    conversation.data["description"] = turn.words[:1000]
    return _next_question(turn, conversation, service)


def _questions(service: Service) -> list:
    return [q for q in service.questions if q.variable and q.required]


def _next_question(turn: _Turn, conversation: Conversation, service: Service) -> list[str]:
    answers = conversation.data.get("answers", {})
    remaining = [q for q in _questions(service) if q.code not in answers]
    turn.outcome(InboundMessage.Outcome.DIALOGUE)
    if not remaining:
        return _ask_confirm(conversation, service)
    question = remaining[0]
    _step(conversation, "question", question=question.code, answers=answers)
    return [_question_text(question)]


def _question_text(question) -> str:
    text = question.description.strip()
    if question.datatype in (AttributeDatatype.SINGLE, AttributeDatatype.MULTI):
        choices = " ".join(f"{n} {v.get('name') or v.get('key')}"
                           for n, v in enumerate(question.values or [], 1))
        hint = (_("Reply with a number:") if question.datatype == AttributeDatatype.SINGLE
                else _("Reply with one or more numbers:"))
        return f"{text} {hint} {choices}"
    if question.datatype == AttributeDatatype.NUMBER:
        return f"{text} " + _("Reply with a number.")
    return text


def _on_question(turn: _Turn, conversation: Conversation) -> list[str]:
    service = _service_of(conversation)
    question = next((q for q in _questions(service) if q.code == conversation.data.get(
        "question")), None) if service is not None else None
    if question is None:
        return _report_start(turn, now=clock.now(), fresh=True)
    _messages_remember(turn, conversation)
    value = _answer_value(question, turn.words)
    _cleaned, problems = attributes_problems(service, {question.code: value})
    field = f"attribute[{question.code}]"
    fault = next((p for p in problems if p.field == field), None)
    if value in (None, "", []) or fault is not None:
        _step(conversation, "question")
        turn.outcome(InboundMessage.Outcome.DIALOGUE)
        return [(fault.message + " " if fault else "") + _question_text(question)]
    conversation.data.setdefault("answers", {})[question.code] = value
    return _next_question(turn, conversation, service)


def _answer_value(question, words: str):
    values = question.values or []
    if question.datatype == AttributeDatatype.SINGLE:
        number = _number(words)
        return (str(values[number - 1].get("key")) if number and number <= len(values)
                else words)
    if question.datatype == AttributeDatatype.MULTI:
        picked = []
        for part in re.split(r"[\s,;]+", words.strip()):
            number = _number(part)
            if number is None or not 1 <= number <= len(values):
                return [part]  # refused by the intake's check, which says why
            picked.append(str(values[number - 1].get("key")))
        return picked
    return words


# -- confirm


def _ask_confirm(conversation: Conversation, service: Service) -> list[str]:
    _step(conversation, "confirm")
    where = conversation.data.get("place") or _ward_name(conversation.data.get("ward")) \
        or _("no place given")
    return [_("Send this report? %(service)s at %(where)s: \"%(what)s\". "
              "Reply 1 to send, 2 to start again.")
            % {"service": service.name[:40], "where": where[:50],
               "what": _short(conversation.data.get("description", ""), 40)}]


def _ward_name(code: str | None) -> str:
    if not code:
        return ""
    ward = Ward.objects.filter(code=code).only("name").first()
    return ward.name if ward is not None else ""


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _on_confirm(turn: _Turn, conversation: Conversation) -> list[str]:
    service = _service_of(conversation)
    choice = _number(turn.words)
    if service is None or choice == 2:
        conversation.delete()
        return _report_start(turn, now=clock.now(), fresh=True)
    if choice != 1 and turn.words.lower() not in ("yes", "y", "ok", "send"):
        turn.outcome(InboundMessage.Outcome.DIALOGUE)
        return _ask_confirm(conversation, service)
    _messages_remember(turn, conversation)
    data = conversation.data
    ward = Ward.objects.filter(code=data["ward"]).first() if data.get("ward") else None
    try:
        case = services.case_open_from_channel(
            channel=turn.channel, sender=turn.address, service=service,
            description=data.get("description", ""), ward=ward, place=data.get("place", ""),
            lat=data.get("lat"), lon=data.get("lon"), attributes=data.get("answers") or {},
            idempotency_key=f"channels:{turn.channel}:{conversation.pk}:"
                            f"{int(conversation.started_at.timestamp())}",
            message=turn.message, acknowledge=False, language=data.get("language", ""))
    except DomainError as refusal:
        conversation.delete()
        turn.outcome(InboundMessage.Outcome.REFUSED)
        return [_("We could not take this report: %(why)s Text NEW to start again.")
                % {"why": refusal.message}]
    InboundMessage.objects.filter(pk__in=data.get("messages", []), case__isnull=True).update(
        case=case)
    conversation.delete()
    turn.outcome(InboundMessage.Outcome.CASE_OPENED, case=case)
    return [services.acknowledgement_text(case)]
