"""Writes of the client-service survey: rounds sent, third-party samples and results.

A scheduled round invites each sampled recipient through engagement (its
quiet period decides who was asked too lately) and the outbox. An annual
survey run by an outside party exports its sample instead and imports the
party's results into the same figures, marked third-party.
"""

import csv
import hashlib
import io
import logging
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from imbizo.cases.links import survey_link
from imbizo.cases.models import Case, StatusChoice
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.engagement.models import Answer, Invitation, Question, Response
from imbizo.engagement.scores import RANGES
from imbizo.engagement.services import instrument_current, invitation_create
from imbizo.notify.services import message_enqueue
from imbizo.org.models import Office
from imbizo.org.selectors import institution_get
from imbizo.privacy.models import AccessPurpose
from imbizo.privacy.services import access_record

from .errors import ClientError
from .models import ClientGroup, ContactPerson, ResponseClient
from .services import response_client_set
from .survey_errors import SurveyError
from .survey_models import FREQUENCY_MONTHS, RoundRecipient, SamplingRule, SurveyRound

logger = logging.getLogger("imbizo.clients")

RESPONDENT_COLUMN = "respondent_id"
DATE_COLUMN = "answered_on"
EXPORT_COLUMNS = (RESPONDENT_COLUMN, "name", "email", "phone", "client_group", "key_client")
IMPORT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Recipient:
    """One person a rule would ask, and whom their answers speak for."""

    address: str  # an email address or a phone number
    channel: str  # "email" or "sms"
    name: str
    group_id: int
    key_client_id: int | None = None
    contact_person_id: int | None = None
    case_id: int | None = None
    office_id: int | None = None


@dataclass(frozen=True)
class Sample:
    recipients: list[Recipient]
    no_consent: int  # left out: no consent, or nothing to reach them by


def _reach(email: str, phone: str) -> tuple[str, str] | None:
    """Email when the person has an address (cheaper, and room for the link), else SMS."""
    if email:
        return "email", email
    if phone:
        return "sms", phone
    return None


def default_groups() -> dict[str, int]:
    """The default group of each client type (internal, external), by id."""
    return dict(ClientGroup.objects.filter(default_for_type=True, active=True)
                .values_list("client_type", "pk"))


def case_group(linked: int | None, client_type: str, defaults: dict[str, int]) -> int | None:
    """A case's group as services.group_of_case decides it, from values already
    read (its link's group, its client type): the link, else the type's default."""
    return linked or defaults.get(client_type)


def rule_sample(*, rule: SamplingRule, now: datetime) -> Sample:
    """Whom `rule` asks now: consenting people only, each once."""
    recipients: list[Recipient] = []
    no_consent = 0
    seen: set[str] = set()
    if rule.key_clients:
        people = ContactPerson.objects.filter(active=True, key_client__active=True)
        if rule.group_id:
            people = people.filter(key_client__group_id=rule.group_id)
        if rule.office_id:
            people = people.filter(key_client__office_id=rule.office_id)
        for person in people.select_related("key_client").order_by("pk"):
            reach = _reach(person.email, person.phone) if person.survey_consent else None
            if reach is None or reach[1] in seen:
                no_consent += reach is None
                continue
            seen.add(reach[1])
            recipients.append(Recipient(
                address=reach[1], channel=reach[0], name=person.name,
                group_id=person.key_client.group_id, key_client_id=person.key_client_id,
                contact_person_id=person.pk, office_id=person.key_client.office_id))
    if rule.citizens:
        # By status first: the status index narrows the cases to the closed ones.
        closed = Case.objects.filter(status=StatusChoice.CLOSED,
                                     closed_at__gt=now - timedelta(days=rule.citizen_days),
                                     closed_at__lte=now)
        if rule.office_id:
            closed = closed.filter(office_id=rule.office_id)
        rows = closed.order_by("-closed_at", "pk").values_list(
            "pk", "client_link__group_id", "client_type", "office_id", "contact_consent",
            "citizen_email", "citizen_phone", "citizen_name")
        defaults = default_groups()
        citizens = []
        for pk, linked, kind, office_id, consent, email, phone, name in rows:
            group = case_group(linked, kind, defaults)
            if group is None or (rule.group_id and group != rule.group_id):
                continue
            reach = _reach(email, phone) if consent else None
            if reach is None or reach[1] in seen:
                no_consent += reach is None
                continue
            seen.add(reach[1])
            citizens.append(Recipient(address=reach[1], channel=reach[0], name=name,
                                      group_id=group, case_id=pk, office_id=office_id))
        recipients.extend(_draw(rule=rule, citizens=citizens, now=now))
    return Sample(recipients=recipients, no_consent=no_consent)


def _draw(*, rule: SamplingRule, citizens: list[Recipient], now: datetime) -> list[Recipient]:
    """The rule's size or share of `citizens`, drawn at random (reproducibly per day)."""
    if rule.citizen_size is not None:
        wanted = rule.citizen_size
    elif rule.citizen_share is not None:
        wanted = round(len(citizens) * float(rule.citizen_share))
    else:
        return citizens
    if wanted >= len(citizens):
        return citizens
    # A survey sample, not a secret: reproducible for the day it is drawn.
    return random.Random(f"{rule.pk}:{now.date()}").sample(citizens, wanted)  # noqa: S311


def _no_recipients(rule: SamplingRule, sample: Sample) -> DomainError:
    return DomainError(
        SurveyError.NO_RECIPIENTS,
        _("The rule \"%(rule)s\" finds nobody who agreed to be surveyed (%(left)d left out for "
          "no consent or no email address or phone number). Record contact persons' consent, "
          "or widen the rule.") % {"rule": rule.name, "left": sample.no_consent})


def _respondent_id() -> str:
    """A pseudonymous id: says nothing of who the person is."""
    return "R" + secrets.token_hex(5).upper()


def _invitation_of(token: str) -> Invitation:
    return Invitation.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())


@transaction.atomic
def round_send(*, rule: SamplingRule, actor=None, now: datetime | None = None) -> SurveyRound:
    """Invite `rule`'s sample now and record the round.

    Nobody invited to any survey within the quiet period
    (SURVEY_MIN_DAYS_BETWEEN) is invited again: they are counted as skipped.
    DomainError when the rule finds no consenting recipient or its survey is
    not published."""
    now = now or clock.now()
    instrument = instrument_current(rule.instrument_code)
    if instrument is None:
        raise DomainError(SurveyError.NO_SURVEY,
                          _("No published survey has the code \"%(code)s\".")
                          % {"code": rule.instrument_code})
    sample = rule_sample(rule=rule, now=now)
    if not sample.recipients:
        raise _no_recipients(rule, sample)
    survey_round = SurveyRound.objects.create(rule=rule, started_at=now, started_by=actor,
                                              skipped_no_consent=sample.no_consent)
    cases = Case.objects.select_related("assignee").in_bulk(
        [r.case_id for r in sample.recipients if r.case_id])
    institution = institution_get()
    rows, skipped = [], 0
    for recipient in sample.recipients:
        # An Office with only its key: the invitation needs its id, not the row.
        token = invitation_create(
            instrument_code=rule.instrument_code, source=recipient.channel,
            case=cases.get(recipient.case_id),
            office=Office(pk=recipient.office_id) if recipient.office_id else None,
            identifier=recipient.address)
        if token is None:
            skipped += 1
            continue
        message_enqueue(channel=recipient.channel, recipient=recipient.address,
                        template="client_survey", case=cases.get(recipient.case_id),
                        context={"url": survey_link(token), "institution": institution,
                                 "name": recipient.name})
        rows.append(RoundRecipient(
            round=survey_round, respondent=_respondent_id(), invitation=_invitation_of(token),
            group_id=recipient.group_id, key_client_id=recipient.key_client_id,
            contact_person_id=recipient.contact_person_id, case_id=recipient.case_id,
            office_id=recipient.office_id))
    RoundRecipient.objects.bulk_create(rows)
    survey_round.invited, survey_round.skipped_quiet = len(rows), skipped
    survey_round.save(update_fields=["invited", "skipped_quiet"])
    SamplingRule.objects.filter(pk=rule.pk).update(last_sent_at=now)
    rule.last_sent_at = now
    return survey_round


def rule_due(rule: SamplingRule, now: datetime) -> bool:
    """Whether an active rule's next round falls due: never sent, or sent at least
    its frequency's months ago."""
    if not rule.active:
        return False
    if rule.last_sent_at is None:
        return True
    months = FREQUENCY_MONTHS[rule.frequency]
    last = rule.last_sent_at
    month = last.month - 1 + months
    due_day = date(last.year + month // 12, month % 12 + 1, 1)
    return now.date() >= due_day


def rounds_due_send(*, now: datetime | None = None) -> int:
    """Send every active rule whose round is due; returns the rounds sent.

    A rule with no consenting recipients is logged and tried again on the
    next run, so a newly consenting contact person is asked soon."""
    now = now or clock.now()
    sent = 0
    for rule in SamplingRule.objects.filter(active=True).order_by("pk"):
        if rule_due(rule, now) and _due_round_send(rule.pk, now):
            sent += 1
    return sent


@transaction.atomic
def _due_round_send(rule_pk: int, now: datetime) -> bool:
    """Send the rule's round if it is still due once its row is locked. Two
    workers (or a task run again after a crash) may list the same rule as due;
    the second finds it locked, or sent, and leaves it, so nobody is invited twice."""
    rule = SamplingRule.objects.select_for_update(skip_locked=True).filter(pk=rule_pk).first()
    if rule is None or not rule_due(rule, now):
        return False
    try:
        round_send(rule=rule, now=now)
    except DomainError as exc:
        logger.warning("survey rule %s not sent: %s", rule.pk, exc.message)
        return False
    return True


@transaction.atomic
def third_party_start(*, rule: SamplingRule, actor, now: datetime | None = None) -> SurveyRound:
    """Draw `rule`'s sample for an outside party: consenting people only, each with
    a pseudonymous respondent id. Nobody is messaged by Imbizo."""
    now = now or clock.now()
    if instrument_current(rule.instrument_code) is None:
        raise DomainError(SurveyError.NO_SURVEY,
                          _("No published survey has the code \"%(code)s\".")
                          % {"code": rule.instrument_code})
    sample = rule_sample(rule=rule, now=now)
    if not sample.recipients:
        raise _no_recipients(rule, sample)
    survey_round = SurveyRound.objects.create(
        rule=rule, started_at=now, started_by=actor, third_party=True,
        invited=len(sample.recipients), skipped_no_consent=sample.no_consent)
    RoundRecipient.objects.bulk_create(
        RoundRecipient(round=survey_round, respondent=_respondent_id(), group_id=r.group_id,
                       key_client_id=r.key_client_id, contact_person_id=r.contact_person_id,
                       case_id=r.case_id, office_id=r.office_id)
        for r in sample.recipients)
    return survey_round


def third_party_export(*, survey_round: SurveyRound, staff=None) -> str:
    """The sample of a third-party round as CSV for the outside party.

    Only people who agreed to be surveyed, and only while they still agree:
    consent withdrawn since the sample was drawn takes them out. The export
    is personal data leaving the institution: it is written in the access
    log against `staff`."""
    if not survey_round.third_party:
        raise DomainError(SurveyError.NOT_THIRD_PARTY,
                          _("Only a round run by an outside party is exported."))
    rows = (RoundRecipient.objects.filter(round=survey_round)
            .filter(Q(contact_person__survey_consent=True, contact_person__active=True)
                    | Q(case__contact_consent=True))
            .values_list("respondent", "contact_person__name", "contact_person__email",
                         "contact_person__phone", "case__citizen_name", "case__citizen_email",
                         "case__citizen_phone", "group__name", "key_client__name")
            .order_by("pk"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    written = 0
    for respondent, p_name, p_email, p_phone, c_name, c_email, c_phone, group, key in rows:
        writer.writerow([respondent, p_name or c_name or "", p_email or c_email or "",
                         p_phone or c_phone or "", group, key or ""])
        written += 1
    if not written:
        raise DomainError(SurveyError.NO_RECIPIENTS,
                          _("Nobody in this sample still agrees to be surveyed: there is "
                            "nothing to export."))
    if staff is not None:
        access_record(staff=staff, purpose=AccessPurpose.EXPORT, results=written)
    return out.getvalue()


@dataclass(frozen=True)
class ImportResult:
    imported: int
    already: bool = False  # this very file was imported before: nothing added


def _fault(row: int, column: str, message: str) -> DomainError:
    return DomainError(SurveyError.IMPORT_INVALID,
                       _("Row %(row)d, column \"%(column)s\": %(message)s")
                       % {"row": row, "column": column, "message": message}, field="results")


def _date(value: str, row: int, now: datetime) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise _fault(row, DATE_COLUMN, _("give the date as YYYY-MM-DD.")) from None
    if day > now.date():
        raise _fault(row, DATE_COLUMN, _("this date is in the future."))
    return datetime.combine(day, time(12, 0), tzinfo=now.tzinfo)


@transaction.atomic
def third_party_import(*, survey_round: SurveyRound, content: bytes,
                       now: datetime | None = None) -> ImportResult:
    """Store an outside party's results as responses to the survey, marked
    third-party and linked to each respondent's group; all rows or none.

    The file: a header `respondent_id`, optionally `answered_on`
    (YYYY-MM-DD), and one column per question code of the survey; one row per
    respondent of this round. A blank cell is an unanswered question (not
    allowed for a required one). The same file again adds nothing."""
    now = now or clock.now()
    if not survey_round.third_party:
        raise DomainError(SurveyError.NOT_THIRD_PARTY,
                          _("Only a round run by an outside party takes imported results."))
    if len(content) > IMPORT_MAX_BYTES:
        raise DomainError(SurveyError.IMPORT_INVALID, _("The file is larger than 5 MB."),
                          field="results")
    digest = hashlib.sha256(content).hexdigest()
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if digest in survey_round.imported_digests:
        return ImportResult(imported=0, already=True)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(SurveyError.IMPORT_INVALID,
                          _("The file is not UTF-8 text: save it as CSV UTF-8."),
                          field="results") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if RESPONDENT_COLUMN not in header:
        raise DomainError(SurveyError.IMPORT_INVALID,
                          _("The first row must name the columns, including \"%(col)s\".")
                          % {"col": RESPONDENT_COLUMN}, field="results")
    instrument = instrument_current(survey_round.rule.instrument_code)
    questions = {q.code: q for q in Question.objects.filter(instrument=instrument)}
    for column in header:
        if column not in questions and column not in (RESPONDENT_COLUMN, DATE_COLUMN):
            raise DomainError(SurveyError.IMPORT_INVALID, _(
                "Column \"%(col)s\" is not a question of the survey \"%(survey)s\" (its "
                "questions: %(codes)s).") % {"col": column, "survey": instrument.code,
                                             "codes": ", ".join(sorted(questions))},
                field="results")
    if len(set(header)) != len(header):
        raise DomainError(SurveyError.IMPORT_INVALID,
                          _("A column is named twice in the first row."), field="results")
    recipients = {r.respondent: r for r in RoundRecipient.objects.filter(round=survey_round)}
    parsed, seen = [], set()
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise _fault(number, RESPONDENT_COLUMN,
                         _("the row has %(got)d cells; the first row names %(want)d.")
                         % {"got": len(cells), "want": len(header)})
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        respondent = row[RESPONDENT_COLUMN]
        recipient = recipients.get(respondent)
        if recipient is None:
            raise _fault(number, RESPONDENT_COLUMN,
                         _("\"%(id)s\" is not a respondent of this sample.") % {"id": respondent})
        if respondent in seen or recipient.response_id is not None:
            raise _fault(number, RESPONDENT_COLUMN,
                         _("\"%(id)s\" already has results.") % {"id": respondent})
        seen.add(respondent)
        answers = []
        for code, question in questions.items():
            value = row.get(code, "")
            if not value:
                if question.required and code in row:
                    raise _fault(number, code, _("this question needs an answer."))
                continue
            if question.type in RANGES:
                low, high = RANGES[question.type]
                try:
                    score = int(value)
                except ValueError:
                    score = None
                if score is None or not low <= score <= high:
                    raise _fault(number, code, _("give a whole number from %(low)d to %(high)d.")
                                 % {"low": low, "high": high})
                answers.append((question, score, ""))
            else:
                answers.append((question, None, value[:2000]))
        if not answers:
            raise _fault(number, RESPONDENT_COLUMN, _("the row answers no question."))
        at = _date(row[DATE_COLUMN], number, now) if row.get(DATE_COLUMN) else now
        parsed.append((recipient, at, answers))
    if not parsed:
        raise DomainError(SurveyError.IMPORT_INVALID, _("The file holds no results."),
                          field="results")
    responses = Response.objects.bulk_create(
        Response(instrument=instrument, case_id=recipient.case_id, office_id=recipient.office_id,
                 submitted_at=at) for recipient, at, _answers in parsed)
    Answer.objects.bulk_create(
        Answer(response=response, question=q, driver=q.driver, number=n, text=t)
        for response, (_r, _at, answers) in zip(responses, parsed, strict=True)
        for q, n, t in answers)
    ResponseClient.objects.bulk_create(
        ResponseClient(response=response, group_id=recipient.group_id,
                       key_client_id=recipient.key_client_id)
        for response, (recipient, _at, _a) in zip(responses, parsed, strict=True))
    for response, (recipient, _at, _a) in zip(responses, parsed, strict=True):
        recipient.response = response
    RoundRecipient.objects.bulk_update([r for r, _at, _a in parsed], ["response"])
    survey_round.imported_digests = [*survey_round.imported_digests, digest]
    survey_round.imported += len(parsed)
    survey_round.save(update_fields=["imported_digests", "imported"])
    return ImportResult(imported=len(parsed))


def response_link(*, response: Response) -> ResponseClient | None:
    """Link a response to a round's invitation to the recipient's group (and key
    client): called when the recipient answers on the survey page.

    A group or key client made inactive since the round was sent leaves the
    response unlinked (logged): the citizen's answers are kept all the same."""
    if response.invitation_id is None:
        return None
    recipient = (RoundRecipient.objects.select_related("group", "key_client")
                 .filter(invitation_id=response.invitation_id).first())
    if recipient is None:
        return None
    RoundRecipient.objects.filter(pk=recipient.pk).update(response=response)
    try:
        return response_client_set(response=response, group=recipient.group,
                                   key_client=recipient.key_client)
    except ClientError as exc:
        logger.warning("survey response %s not put in a group: %s", response.pk, exc.message)
        return None


def import_columns(*, survey_round: SurveyRound) -> list[str]:
    """The columns a results file for `survey_round` may have, in order."""
    instrument = instrument_current(survey_round.rule.instrument_code)
    codes = list(Question.objects.filter(instrument=instrument).order_by("order", "pk")
                 .values_list("code", flat=True)) if instrument else []
    return [RESPONDENT_COLUMN, DATE_COLUMN, *codes]
