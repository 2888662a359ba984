"""Demo client-service survey: two years of quarterly rounds and one annual
survey run by an outside party, imported through the real importer.

Groups differ (businesses are least pleased, schools most), every group
improves a little each quarter, and offices differ, so the scorecard's
trend and its by-office figures have something to show. Key clients'
contact persons are asked when the key-client demo has made them (run it
first); else the rounds ask citizens only.
"""

import csv
import hashlib
import io
import random
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction

from imbizo.cases.models import Case, ClientType, StatusChoice
from imbizo.clients.models import ClientGroup, ContactPerson, ResponseClient
from imbizo.clients.survey import (
    DATE_COLUMN,
    RESPONDENT_COLUMN,
    case_group,
    default_groups,
    third_party_import,
    third_party_start,
)
from imbizo.clients.survey_models import (
    Frequency,
    RoundRecipient,
    SamplingRule,
    SurveyRound,
)
from imbizo.clients.survey_scores import MEASURES
from imbizo.core import clock
from imbizo.engagement.models import Answer, Instrument, Invitation, Response

# Used only when the client-groups demo has not made groups.
FALLBACK_GROUPS = (
    ("households", "Households", ClientType.EXTERNAL),
    ("businesses", "Businesses", ClientType.EXTERNAL),
    ("schools", "Schools and clinics", ClientType.EXTERNAL),
    ("departments", "Other departments", ClientType.INTERNAL),
)
ROUNDS = 8  # two years of quarters
CITIZENS_PER_ROUND = 70
ANSWER_RATE = 0.45
# Some measures sit above or below a group's mean: ease and integrity lead,
# value and management focus lag.
MEASURE_LEAN = {"value": -0.3, "ease": 0.2, "integrity": 0.25, "relevance": 0.0,
                "management_focus": -0.35, "relationship": -0.1, "referral": 0.05}


def _groups() -> list[ClientGroup]:
    groups = list(ClientGroup.objects.filter(active=True).order_by("order", "name"))
    if groups:
        return groups
    return ClientGroup.objects.bulk_create(
        ClientGroup(code=code, name=name, client_type=kind, order=n,
                    default_for_type=code in ("households", "departments"))
        for n, (code, name, kind) in enumerate(FALLBACK_GROUPS, start=1))


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _recommend(rng: random.Random, mean: float) -> int:
    # A 1-5 mean of 3 is a passive 7 on the 0-10 scale; each point moves it ~1.8.
    return max(0, min(10, round(rng.gauss(7 + (mean - 3.5) * 1.8, 1.6))))


def _answers(rng: random.Random, mean: float) -> dict[str, int]:
    scores = {d: _score(rng, mean + MEASURE_LEAN[d]) for d in MEASURES}
    scores["recommend"] = _recommend(rng, mean)
    return scores


def _round_dates(now: datetime) -> list[datetime]:
    """The 15th of the middle month of each of the last ROUNDS quarters, oldest first,
    each at least a month ago (so its answers are in)."""
    year, quarter = now.year, (now.month - 1) // 3 + 1
    dates = []
    while len(dates) < ROUNDS:
        day = datetime.combine(date(year, 3 * quarter - 1, 15), time(9, 0), tzinfo=now.tzinfo)
        if day <= now - timedelta(days=30):
            dates.append(day)
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return dates[::-1]


def client_survey_build(*, seed: int) -> dict[str, int]:
    """Build the demo's client-survey rounds and answers; returns what was made."""
    rng = random.Random(f"{seed}:client-survey")
    now = clock.now()
    instrument = Instrument.objects.filter(code="client-service").order_by("-version").first()
    if instrument is None:
        return {}
    questions = {q.driver: q for q in instrument.questions.all() if q.driver != "other"}
    with transaction.atomic():
        groups = _groups()
        base = {g.pk: 3.0 + 0.9 * rng.random() for g in groups}
        quarterly = SamplingRule.objects.create(
            name="Quarterly: key clients and recent citizens", key_clients=True, citizens=True,
            citizen_days=90, citizen_size=CITIZENS_PER_ROUND, frequency=Frequency.QUARTERLY,
            active=True)
        annual = SamplingRule.objects.create(
            name="Annual survey by an outside party", key_clients=True, citizens=True,
            citizen_days=365, citizen_size=150, frequency=Frequency.YEARLY, active=False)
        people = list(ContactPerson.objects.filter(survey_consent=True, active=True,
                                                   key_client__active=True)
                      .values_list("pk", "key_client_id", "key_client__group_id",
                                   "key_client__office_id", "email", "phone"))
        defaults = default_groups()
        cases = [(pk, case_group(linked, kind, defaults), office, phone, email)
                 for pk, linked, kind, office, phone, email
                 in Case.objects.filter(status=StatusChoice.CLOSED, contact_consent=True)
                 .exclude(citizen_phone="", citizen_email="").order_by("pk")
                 .values_list("pk", "client_link__group_id", "client_type", "office_id",
                              "citizen_phone", "citizen_email")[:5000]]
        cases = [c for c in cases if c[1] is not None]
        if not (people or cases):
            return made_nothing()
        offices = sorted({c[2] for c in cases if c[2]})
        office_lean = {pk: rng.uniform(-0.4, 0.4) for pk in offices}
        made = {"survey rounds": 0, "invited": 0, "answered": 0}
        for step, at in enumerate(_round_dates(now)):
            made_round = _round(rng, rule=quarterly, at=at, step=step, instrument=instrument,
                                questions=questions, base=base, people=people,
                                cases=rng.sample(cases, min(CITIZENS_PER_ROUND, len(cases))),
                                office_lean=office_lean)
            made["survey rounds"] += 1
            made["invited"] += made_round[0]
            made["answered"] += made_round[1]
        made["third-party results"] = _third_party(rng, rule=annual, now=now, base=base,
                                                   office_lean=office_lean)
    return made


def made_nothing() -> dict[str, int]:
    """Nobody to ask (no closed cases with consent, no contact persons): the
    rules are there, the rounds are not."""
    return {"survey rounds": 0}


def _round(rng, *, rule, at, step, instrument, questions, base, people, cases,
           office_lean) -> tuple[int, int]:
    """One quarterly round: invitations, the answers of those who replied."""
    recipients = [("person", pk, key, group, office, email or phone, "email" if email else "sms")
                  for pk, key, group, office, email, phone in people]
    recipients += [("case", pk, None, group, office, email or phone, "email" if email else "sms")
                   for pk, group, office, phone, email in cases]
    survey_round = SurveyRound.objects.create(rule=rule, started_at=at, invited=len(recipients),
                                              skipped_quiet=rng.randint(0, 6),
                                              skipped_no_consent=rng.randint(5, 25))
    invitations = Invitation.objects.bulk_create(
        Invitation(token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                   source=channel, instrument=instrument, office_id=office,
                   case_id=pk if kind == "case" else None, created_at=at,
                   expires_at=at + timedelta(days=14))
        for kind, pk, _key, _group, office, _address, channel in recipients)
    rows = [RoundRecipient(round=survey_round, respondent="R" + secrets.token_hex(5).upper(),
                           invitation=invitation, group_id=group, key_client_id=key,
                           contact_person_id=pk if kind == "person" else None,
                           case_id=pk if kind == "case" else None, office_id=office)
            for invitation, (kind, pk, key, group, office, _a, _c)
            in zip(invitations, recipients, strict=True)]
    RoundRecipient.objects.bulk_create(rows)
    answering = [r for r in rows if rng.random() < ANSWER_RATE]
    answered_at = {r.pk: at + timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 8))
                   for r in answering}
    responses = Response.objects.bulk_create(
        Response(invitation=r.invitation, instrument=instrument, case_id=r.case_id,
                 office_id=r.office_id, channel="", submitted_at=answered_at[r.pk])
        for r in answering)
    Invitation.objects.bulk_update(
        [_used(r.invitation, answered_at[r.pk]) for r in answering], ["used_at"])
    answers = []
    for recipient, response in zip(answering, responses, strict=True):
        mean = base[recipient.group_id] + 0.07 * step + office_lean.get(recipient.office_id, 0)
        for driver, value in _answers(rng, mean).items():
            question = questions[driver]
            answers.append(Answer(response=response, question=question, driver=driver,
                                  number=value))
    Answer.objects.bulk_create(answers)
    ResponseClient.objects.bulk_create(
        ResponseClient(response=response, group_id=r.group_id, key_client_id=r.key_client_id)
        for r, response in zip(answering, responses, strict=True))
    for recipient, response in zip(answering, responses, strict=True):
        recipient.response = response
    RoundRecipient.objects.bulk_update(answering, ["response"])
    return len(rows), len(answering)


def _used(invitation: Invitation, at: datetime) -> Invitation:
    invitation.used_at = at
    return invitation


def _third_party(rng, *, rule, now, base, office_lean) -> int:
    """The annual survey: its sample drawn, answered by the outside party (a
    little lower than our own rounds: people are franker with a stranger), and
    the party's file imported through the importer."""
    drawn_at = now - timedelta(days=75)
    survey_round = third_party_start(rule=rule, actor=None, now=drawn_at)
    recipients = list(RoundRecipient.objects.filter(round=survey_round).order_by("pk"))
    out = io.StringIO()
    codes = {d: q.code for d, q in _question_codes().items()}
    writer = csv.writer(out)
    writer.writerow([RESPONDENT_COLUMN, DATE_COLUMN, *codes.values()])
    for recipient in recipients:
        if rng.random() > 0.6:
            continue
        mean = base[recipient.group_id] + 0.3 - 0.25 + office_lean.get(recipient.office_id, 0)
        scores = _answers(rng, mean)
        day = (drawn_at + timedelta(days=rng.randint(10, 40))).date()
        writer.writerow([recipient.respondent, day.isoformat(),
                         *(scores[d] for d in codes)])
    return third_party_import(survey_round=survey_round, content=out.getvalue().encode(),
                              now=now).imported


def _question_codes():
    instrument = Instrument.objects.filter(code="client-service").order_by("-version").first()
    return {q.driver: q for q in instrument.questions.all()
            if q.driver in (*MEASURES, "recommend")}
