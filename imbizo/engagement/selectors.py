"""Reads for moments of truth: a journey and its perception score."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Avg, Count, Prefetch, Q
from django.db.models.functions import TruncHour, TruncMonth

from imbizo.catalogue.models import Channel
from imbizo.core import clock
from imbizo.org.models import Role, Staff
from imbizo.texts.selectors import translated

from .models import Answer, Contact, QuestionType, Response
from .perception import RatedContact, perception_score


@dataclass(frozen=True)
class JourneyStep:
    at: datetime
    kind: str  # "contact" or "rating"
    contact: Contact | None = None
    response: Response | None = None
    scale_answers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Journey:
    steps: list[JourneyStep]
    score: float | None


def journey(*, case=None, citizen_key: str = "") -> Journey:
    """The chain of contacts and ratings of a case, or of a (pseudonymous) citizen."""
    if case is None and not citizen_key:
        return Journey(steps=[], score=None)
    where = Q(case=case) if case is not None else Q(citizen_key=citizen_key)
    contacts = list(Contact.objects.filter(where).select_related("staff__user", "office", "case"))
    responses = list(
        Response.objects.filter(where).select_related("instrument").prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question"))))
    steps = [JourneyStep(at=c.at, kind="contact", contact=c) for c in contacts]
    for response in responses:
        scale = tuple(a.number for a in response.answers.all()
                      if a.number is not None and a.question.type == QuestionType.SCALE_5)
        steps.append(JourneyStep(at=response.submitted_at, kind="rating", response=response,
                                 scale_answers=scale))
    steps.sort(key=lambda step: step.at)
    rated = [RatedContact(at=s.at, answers=s.scale_answers) for s in steps if s.scale_answers]
    return Journey(steps=steps, score=perception_score(rated, now=clock.now()))


EVERYONE = Q()
SCORED_DRIVERS = ("concern", "friendliness", "civility", "overall", "satisfaction",
                  "helpfulness")
DIMENSIONS = {
    "office": ("response__office__name", "response__office_id"),
    "staff": (None, "response__staff_id"),  # labelled with each one's display name
    "service": ("response__case__service__name", "response__case__service_id"),
    "channel": ("response__channel", "response__channel"),
}


@dataclass(frozen=True)
class ScoreRow:
    """One office, staff member, service or channel: per driver, the average
    answer (`averages`) and how many answers it rests on (`answers`)."""

    label: str
    key: object
    responses: int
    averages: dict[str, float | None]
    answers: dict[str, int]

    @property
    def cells(self) -> list[tuple[str, float | None, int]]:
        """(driver, average, answers) in the order of SCORED_DRIVERS."""
        return [(d, self.averages[d], self.answers[d]) for d in SCORED_DRIVERS]


def feedback_scope(staff) -> Q:
    """Whose ratings `staff` may see: their own, their team's, their department's, or all."""
    if staff.role in (Role.OFFICER, Role.AGENT):
        return Q(response__staff=staff)
    if staff.role == Role.SUPERVISOR:
        return Q(response__office_id=staff.office_id)
    if staff.role == Role.MANAGER:
        return Q(response__office__department_id=staff.department_id)
    return Q()


def scores_by(*, dimension: str, since: datetime, until: datetime, scope: Q = EVERYONE):
    """Average 1-5 score per driver and number of responses, per office/staff/service/channel.

    One grouped query over the answers in the period.
    """

    label_field, key_field = DIMENSIONS[dimension]
    grouping = [f for f in (label_field, key_field) if f]
    rows = (
        Answer.objects.filter(scope, response__submitted_at__gte=since,
                              response__submitted_at__lt=until, number__isnull=False,
                              driver__in=SCORED_DRIVERS, question__type=QuestionType.SCALE_5)
        .values(*grouping, "driver")
        .annotate(average=Avg("number"), answers=Count("id"),
                  responses=Count("response", distinct=True))
        .order_by(*grouping)
    )
    table: dict[object, dict] = {}
    for row in rows:
        entry = table.setdefault(row[key_field], {
            "label": (row[label_field] if label_field else "") or "—",
            "responses": 0, "averages": {}, "answers": {}})
        entry["averages"][row["driver"]] = round(row["average"], 2)
        entry["answers"][row["driver"]] = row["answers"]
        entry["responses"] = max(entry["responses"], row["responses"])
    if dimension == "channel":
        # The channel's name in the reader's language ("USSD menu"), from the
        # one list of channels, not its code.
        for key, entry in table.items():
            if key in Channel.values:
                entry["label"] = str(Channel(key).label)
    if dimension == "staff":
        names = {s.pk: str(s) for s in Staff.objects.filter(pk__in=[k for k in table if k])
                 .select_related("user")}
        for key, entry in table.items():
            entry["label"] = names.get(key, "—")
    result = [ScoreRow(label=v["label"], key=k, responses=v["responses"],
                       averages={d: v["averages"].get(d) for d in SCORED_DRIVERS},
                       answers={d: v["answers"].get(d, 0) for d in SCORED_DRIVERS})
              for k, v in table.items()]
    return sorted(result, key=lambda row: str(row.label).casefold())


def monthly_trend(*, since: datetime, until: datetime, scope: Q = EVERYONE) -> list[dict]:
    """Average overall-type score (all scored drivers) per month."""

    return list(
        Answer.objects.filter(scope, response__submitted_at__gte=since,
                              response__submitted_at__lt=until, number__isnull=False,
                              driver__in=SCORED_DRIVERS, question__type=QuestionType.SCALE_5)
        .annotate(month=TruncMonth("response__submitted_at"))
        .values("month").annotate(average=Avg("number"), answers=Count("id")).order_by("month")
    )


def comments(*, since: datetime, scope: Q = EVERYONE, per_group: int = 15) -> dict[str, list]:
    """What citizens say we should start, stop and keep doing, and anything else
    they want to tell us (the box at the end of every survey), newest first."""
    grouped = {}
    for driver in ("start", "stop", "keep", "other"):
        grouped[driver] = list(
            Answer.objects.filter(scope, driver=driver, response__submitted_at__gte=since)
            .exclude(text="").order_by("-response__submitted_at")
            .values_list("text", "response__submitted_at", "response__office__name")[:per_group]
        )
    return grouped


def contacts_of(*, staff, since: datetime, limit: int = 30) -> list[Contact]:
    """A staff member's own recent contacts, each with the rating it received (for growth)."""
    contacts = list(
        Contact.objects.filter(staff=staff, at__gte=since).select_related("case")
        .order_by("-at")[:limit])
    ratings = dict(
        Answer.objects.filter(response__contact__in=contacts, driver="overall",
                              number__isnull=False)
        .values_list("response__contact_id", "number"))
    for contact in contacts:
        contact.overall_rating = ratings.get(contact.pk)
    return contacts


@dataclass(frozen=True)
class FollowUpsHeld:
    """Poor counter answers that opened no follow-up case because their office
    had its hour's share (engagement.counter): per office and hour, newest first."""

    per_hour: int
    rows: list[dict]  # office (its name), hour (its start), held (how many answers)


def follow_ups_held(*, since: datetime, scope: Q = EVERYONE, limit: int = 20) -> FollowUpsHeld:
    """What the supervisor is told instead of a flood of follow-up cases."""
    rows = list(
        Answer.objects.filter(scope, response__follow_up_held=True,
                              response__submitted_at__gte=since)
        .annotate(hour=TruncHour("response__submitted_at"))
        .values("response__office__name", "hour")
        .annotate(held=Count("response", distinct=True))
        .order_by("-hour")[:limit])
    return FollowUpsHeld(
        per_hour=int(getattr(settings, "COUNTER_FOLLOW_UPS_PER_HOUR", 3)),
        rows=[{"office": row["response__office__name"] or "—", "hour": row["hour"],
               "held": row["held"]} for row in rows])


@dataclass(frozen=True)
class LoopOutcome:
    """What the thank-you page may truthfully tell a citizen about their answers.

    `promise` is the fired rule's own words (or, without them, the pledge of
    the follow-up case's standard), only when a case was opened; `reachable`
    says whether that case holds a way to reach the citizen, so that nobody
    is promised a call that cannot be made.
    """

    opened: bool = False
    held: bool = False
    promise: str = ""
    reference: str = ""
    reachable: bool = False


def loop_outcome(*, response: Response) -> LoopOutcome:
    """The closed loop's outcome for a just-submitted `response` (no query when
    none fired; the response holds the rule and case loop_close stored)."""
    rule = response.follow_up_rule
    if response.follow_up_held:
        return LoopOutcome(held=True)
    case = response.follow_up
    if rule is None or case is None:
        return LoopOutcome()
    # In the page's language where translated (texts), else the English.
    promise = (translated(rule, "promise").text if rule.promise
               else translated(case.standard, "pledge").text if case.standard_id else "")
    return LoopOutcome(opened=True, promise=promise, reference=case.reference,
                       reachable=case.contact_consent and bool(case.citizen_phone
                                                               or case.citizen_email))


@dataclass(frozen=True)
class RatedSource:
    """The response that opened a follow-up case, as its page shows it."""

    response: Response
    answers: list[Answer]  # scored answers, in the survey's order
    comments: list[Answer]  # free text; empty when the viewer may not read it


def follow_up_source(*, case, with_comments: bool) -> RatedSource | None:
    """The rating behind follow-up `case` (closed loop), or None. The caller has
    checked that the viewer may see `case` and the ratings (FEEDBACK_VIEW);
    `with_comments` when they may read citizens' words (FEEDBACK_COMMENTS)."""
    response = (Response.objects.filter(follow_up=case)
                .select_related("instrument", "case", "office", "follow_up_rule").first())
    if response is None:
        return None
    answers = list(response.answers.select_related("question")
                   .order_by("question__order", "question_id"))
    return RatedSource(
        response=response,
        answers=[a for a in answers if a.number is not None],
        comments=[a for a in answers if a.text] if with_comments else [],
    )
