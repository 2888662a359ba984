"""Reads of the quality programme: fetch and check access in one step."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from imbizo.cases.models import Case, Kind
from imbizo.cases.selectors import CaseFilter, Span, case_filtered, case_get_for
from imbizo.cases.transitions import DONE_STATUSES
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.evidence import min_answers_shown
from imbizo.engagement.models import Answer, QuestionType, Response
from imbizo.engagement.selectors import SCORED_DRIVERS
from imbizo.org.models import Office, Staff
from imbizo.org.selectors import institution_tz_name

from . import access
from .anonymise import anonymise, scrub
from .cycle import OPEN_STAGES
from .errors import QualityError
from .figures import Figure, figure
from .models import (
    Action,
    ActionStatus,
    ChecklistItem,
    FocusGroup,
    Nomination,
    Story,
    StoryAnswer,
    Visit,
    VisitCycle,
    VisitKind,
    VisitPhoto,
    VisitScore,
)
from .scoring import (
    STAFF_BAR,
    TEAM_BAR,
    ItemScore,
    Scorecard,
    Verdict,
    Windows,
    compare,
    is_candidate,
    percent,
    scorecard,
    verdict,
    windows,
)


def local_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the institution's time zone."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=ZoneInfo(institution_tz_name()))


def _not_found() -> DomainError:
    return DomainError(QualityError.NOT_FOUND, _("Nothing of that in your area."))


# --- visits and cycles -----------------------------------------------------------------------


def cycle_list(*, staff, open_only: bool = False) -> QuerySet[VisitCycle]:
    """The visit cycles of the offices `staff` looks after, newest first."""
    if not access.can(staff, "view"):
        return VisitCycle.objects.none()
    cycles = VisitCycle.objects.filter(access.office_scope(staff))
    if open_only:
        cycles = cycles.filter(stage__in=list(OPEN_STAGES))
    return cycles.select_related("office", "started_by__user", "baseline", "revisit")


def cycle_get_for(*, staff, pk: int) -> VisitCycle:
    cycle = cycle_list(staff=staff).select_related("checklist").filter(pk=pk).first()
    if cycle is None:
        raise _not_found()
    return cycle


def visit_scope(staff) -> Q:
    """Visits `staff` may read: their own, and those of the offices they look at."""
    own = Q(visitor_id=staff.pk)
    return own | access.office_scope(staff) if access.can(staff, "view") else own


def visit_get_for(*, staff, pk: int) -> Visit:
    visit = (Visit.objects.filter(visit_scope(staff), pk=pk)
             .select_related("office", "visitor__user", "checklist", "cycle").first())
    if visit is None:
        raise _not_found()
    return visit


@dataclass(frozen=True)
class ScoredItem:
    item: ChecklistItem
    score: VisitScore
    photos: list


def visit_sheet(*, visit: Visit) -> list[tuple[str, list[ScoredItem]]]:
    """A visit's items grouped by area in checklist order, each with its score
    and photos (two queries). Photos not filed under an item are left out."""
    scores = list(visit.scores.select_related("item").order_by("item__order", "item__id"))
    photos = defaultdict(list)
    for photo in visit.photos.order_by("pk"):
        photos[photo.item_id].append(photo)
    areas: dict[str, list[ScoredItem]] = {}
    for row in scores:
        areas.setdefault(row.item.area, []).append(
            ScoredItem(item=row.item, score=row, photos=photos.get(row.item_id, [])))
    return list(areas.items())


def visit_card(visit: Visit, scores: list[VisitScore] | None = None) -> Scorecard:
    """The scorecard of a visit, from `scores` (with their items) or its
    prefetched scores."""
    rows = visit.scores.all() if scores is None else scores
    return scorecard(ItemScore(item_id=s.item_id, area=s.item.area, score=s.score)
                     for s in sorted(rows, key=lambda s: (s.item.order, s.item_id))
                     if s.score is not None)


def _scored_visits(where: Q) -> QuerySet[Visit]:
    return (Visit.objects.filter(where, submitted_at__isnull=False)
            .select_related("visitor__user", "office")
            .prefetch_related(Prefetch("scores", queryset=VisitScore.objects.select_related("item"))))


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    before: float | None
    after: float | None
    delta: float | None
    is_area: bool = False


def cycle_comparison(*, cycle: VisitCycle) -> list[ComparisonRow] | None:
    """Baseline against re-visit, area by area with their items, then overall.
    None until both visits are scored."""
    if cycle.baseline_id is None or cycle.revisit_id is None:
        return None
    visits = {v.pk: v for v in _scored_visits(Q(pk__in=[cycle.baseline_id, cycle.revisit_id]))}
    before, after = visit_card(visits[cycle.baseline_id]), visit_card(visits[cycle.revisit_id])
    result = compare(before, after)
    items = {s.item_id: s.item for s in visits[cycle.baseline_id].scores.all()}
    items.update({s.item_id: s.item for s in visits[cycle.revisit_id].scores.all()})
    rows = []
    for area, change in result.areas.items():
        rows.append(ComparisonRow(area, change.before, change.after, change.delta, is_area=True))
        for item_id, item_change in result.items.items():
            if items[item_id].area == area:
                rows.append(ComparisonRow(items[item_id].text, item_change.before,
                                          item_change.after, item_change.delta))
    rows.append(ComparisonRow(_("Overall"), result.overall.before, result.overall.after,
                              result.overall.delta, is_area=True))
    return rows


@dataclass(frozen=True)
class OfficeScorecard:
    office: Office
    visits: list[Visit]
    cards: list[Scorecard]
    areas: list[str]

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        """Area by area, one value per visit (oldest first), then overall."""
        rows = [(area, [card.areas.get(area) for card in self.cards]) for area in self.areas]
        rows.append((_("Overall"), [card.overall for card in self.cards]))
        return rows


def office_scorecard(*, staff, office: Office) -> OfficeScorecard:
    """Every scored visit of `office` that `staff` may read, oldest first, with
    area and overall scores per visit (two queries)."""
    visits = list(_scored_visits(visit_scope(staff) & Q(office=office)).order_by("visited_at"))
    cards = [visit_card(v) for v in visits]
    areas = list(dict.fromkeys(area for card in cards for area in card.areas))
    return OfficeScorecard(office=office, visits=visits, cards=cards, areas=areas)


def offices_visited(*, staff) -> list[dict]:
    """Offices in scope with the number of scored visits and the latest one (one query)."""
    if not access.can(staff, "view"):
        return []
    return list(
        Office.objects.filter(access.office_scope(staff, path=""))
        .annotate(visits=Count("quality_visits", filter=Q(quality_visits__submitted_at__isnull=False)),
                  last_visit=Max("quality_visits__visited_at",
                                 filter=Q(quality_visits__submitted_at__isnull=False)))
        .values("pk", "code", "name", "visits", "last_visit").order_by("name"))


def offices_managed(*, staff) -> QuerySet[Office]:
    if not access.can(staff, "run_visits"):
        return Office.objects.none()
    return Office.objects.filter(access.office_scope(staff, path="")).order_by("name")


def my_visits(*, staff) -> QuerySet[Visit]:
    return Visit.objects.filter(visitor=staff).select_related("office", "cycle")[:50]


def photo_get_for(*, staff, pk: int) -> VisitPhoto:
    photo = VisitPhoto.objects.filter(pk=pk).select_related("visit").first()
    if photo is None or not Visit.objects.filter(visit_scope(staff), pk=photo.visit_id).exists():
        raise _not_found()
    return photo


# --- actions -----------------------------------------------------------------------------------


def action_list(*, staff, status: str = "open", mine: bool = False) -> QuerySet[Action]:
    actions = Action.objects.filter(access.action_scope(staff))
    if mine:
        actions = actions.filter(owner=staff)
    if status == "open":
        actions = actions.filter(status=ActionStatus.OPEN)
    elif status == "closed":
        actions = actions.exclude(status=ActionStatus.OPEN)
    return actions.select_related("owner__user", "office", "service", "ward")


def action_get_for(*, staff, pk: int) -> Action:
    action = (action_list(staff=staff, status="all")
              .select_related("cycle__office", "case", "focus_group", "visit", "closed_by__user",
                              "created_by__user")
              .filter(pk=pk).first())
    if action is None:
        raise _not_found()
    return action


@dataclass(frozen=True)
class Evidence:
    """An action's figure before and after, and what it says about the action.
    `frozen`: as kept at closing; otherwise as it stands now."""

    windows: Windows
    before: Figure
    after: Figure | None
    verdict: Verdict
    frozen: bool = False


def action_windows(action: Action, *, now: datetime.datetime | None = None) -> Windows:
    """The before and after periods of `action` (see quality.scoring.windows), in
    whole local days as the rollups keep them: before ends at the start of the
    day the action was agreed, after ends at the start of today."""
    tz = ZoneInfo(institution_tz_name())
    return windows(agreed_at=local_start(action.created_at.astimezone(tz).date()),
                   due_at=local_start(action.due_on), days=action.window_days,
                   now=local_start((now or clock.now()).astimezone(tz).date()))


def action_evidence(*, action: Action, now: datetime.datetime | None = None) -> Evidence:
    """The figures of a closed action as frozen at closing; of an open (or
    cancelled) one as they stand now (two aggregate queries)."""
    if action.status in (ActionStatus.EFFECTIVE, ActionStatus.NOT_EFFECTIVE):
        return Evidence(
            windows=Windows(action.before_since, action.before_until, action.after_since,
                            action.after_until),
            before=Figure(action.before_value, action.before_count or 0),
            after=Figure(action.after_value, action.after_count or 0),
            verdict=Verdict(action.status), frozen=True)
    periods = action_windows(action, now=now)
    scope = {"metric": action.metric, "office": action.office_id, "service": action.service_id,
             "ward": action.ward_id}
    before = figure(**scope, since=periods.before_since, until=periods.before_until)
    after = (figure(**scope, since=periods.after_since, until=periods.after_until)
             if periods.after_started else None)
    judged = verdict(before=before.value, before_count=before.count,
                     after=after.value if after else None, after_count=after.count if after else 0,
                     direction=action.direction, target=action.target,
                     min_count=min_answers_shown())
    return Evidence(windows=periods, before=before, after=after, verdict=judged)


def action_sources(*, staff, since: datetime.datetime, limit: int = 30) -> dict[str, list[dict]]:
    """Root causes recorded on finished complaints and closed-loop follow-ups in
    `staff`'s area since `since`, grouped by office and cause, most frequent first."""
    if not access.can(staff, "plan"):
        return {"complaints": [], "follow_ups": []}
    follow_ups = Response.objects.filter(follow_up__isnull=False).values("follow_up_id")
    done = case_filtered(viewer=staff, filters=CaseFilter(
        status=tuple(map(str, DONE_STATUSES)), resolved=Span(since))).exclude(root_cause="")

    def grouped(cases):
        return list(
            cases.annotate(cause=Lower("root_cause"))
            .values("cause", "office_id", "office__name")
            .annotate(cases=Count("pk"), latest=Max("resolved_at"), reference=Max("reference"))
            .order_by("-cases", "-latest")[:limit])

    return {
        "complaints": grouped(done.filter(kind=Kind.COMPLAINT).exclude(pk__in=follow_ups)),
        "follow_ups": grouped(done.filter(pk__in=follow_ups)),
    }


# --- focus groups ------------------------------------------------------------------------------


def focus_group_scope(staff) -> Q:
    if not access.can(staff, "view"):
        return Q(facilitator_id=staff.pk)
    where = Q(facilitator_id=staff.pk) | access.office_scope(staff)
    if staff.role in access.INSTITUTION_WIDE:
        return Q()
    if staff.department_id and staff.role == "manager":
        where |= Q(service__department_id=staff.department_id)
    return where


def focus_group_list(*, staff) -> QuerySet[FocusGroup]:
    return (FocusGroup.objects.filter(focus_group_scope(staff))
            .select_related("office", "service", "facilitator__user")
            .annotate(actions_count=Count("actions")))


def focus_group_get_for(*, staff, pk: int) -> FocusGroup:
    group = (FocusGroup.objects.filter(focus_group_scope(staff), pk=pk)
             .select_related("office", "service", "facilitator__user")
             .prefetch_related("questions",
                               Prefetch("actions", queryset=Action.objects.select_related(
                                   "owner__user")))
             .first())
    if group is None:
        raise _not_found()
    return group


# --- recognition -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    compliments: int
    average: float | None
    responses: int
    answers: int = 0  # the answers `average` rests on (several per response)
    staff: Staff | None = None
    office: Office | None = None
    nominated: bool = False

    @property
    def evidence(self) -> dict:
        return {"compliments": self.compliments, "average": self.average,
                "responses": self.responses}


def candidates(*, staff, since: datetime.datetime, until: datetime.datetime,
               limit: int = 25) -> dict[str, list[Candidate]]:
    """Staff and teams that citizens praised (compliments handled by them) or
    rated highly in [since, until), in the offices `staff` looks after.

    Set-based: one grouped query each for compliments and ratings, per staff
    member and per office, then one to fetch the people and offices surfaced.
    """
    if not access.can(staff, "candidates"):
        return {"staff": [], "teams": []}
    offices = Office.objects.filter(access.office_scope(staff, path="")).values("pk")
    # Handled by the offices `staff` looks after: within their case scope too.
    compliments = case_filtered(viewer=staff, filters=CaseFilter(
        kind=(Kind.COMPLIMENT,), opened=Span(since, until))).filter(office__in=offices)
    ratings = Answer.objects.filter(
        response__submitted_at__gte=since, response__submitted_at__lt=until,
        response__office__in=offices, number__isnull=False, driver__in=SCORED_DRIVERS,
        question__type=QuestionType.SCALE_5)

    def tally(by_compliment: str, by_rating: str) -> dict[int, dict]:
        table: dict[int, dict] = defaultdict(lambda: {"compliments": 0, "average": None,
                                                     "responses": 0, "answers": 0})
        for pk, n in (compliments.filter(**{f"{by_compliment}__isnull": False})
                      .values_list(by_compliment).annotate(n=Count("pk")).order_by()):
            table[pk]["compliments"] = n
        for pk, average, responses, answers in (
                ratings.filter(**{f"{by_rating}__isnull": False}).values_list(by_rating)
                .annotate(average=Avg("number"), responses=Count("response", distinct=True),
                          answers=Count("id"))
                .order_by()):
            table[pk].update(average=round(average, 2), responses=responses, answers=answers)
        return table

    per_staff = tally("assignee_id", "response__staff_id")
    per_team = tally("office_id", "response__office_id")

    def ranked(table, bar):
        chosen = [(pk, v) for pk, v in table.items() if pk is not None and is_candidate(
            bar=bar, compliments=v["compliments"], average=v["average"],
            responses=v["responses"])]
        chosen.sort(key=lambda item: (-item[1]["compliments"], -(item[1]["average"] or 0), item[0]))
        return chosen[:limit]

    staff_rows, team_rows = ranked(per_staff, STAFF_BAR), ranked(per_team, TEAM_BAR)
    people = Staff.objects.select_related("user", "office").in_bulk([pk for pk, _ in staff_rows])
    teams = Office.objects.in_bulk([pk for pk, _ in team_rows])
    nominated = Nomination.objects.filter(nominated_at__gte=since, withdrawn_at__isnull=True).filter(
        Q(staff_id__in=people) | Q(office_id__in=teams)).values_list("staff_id", "office_id")
    nominated_staff = {s for s, _o in nominated if s}
    nominated_teams = {o for _s, o in nominated if o}
    return {
        "staff": [Candidate(staff=people[pk], nominated=pk in nominated_staff, **v)
                  for pk, v in staff_rows if pk in people],
        "teams": [Candidate(office=teams[pk], nominated=pk in nominated_teams, **v)
                  for pk, v in team_rows if pk in teams],
    }


def wall(*, limit: int = 60) -> QuerySet[Nomination]:
    """Recognition in the back office: every standing nomination, newest first."""
    return (Nomination.objects.filter(withdrawn_at__isnull=True)
            .select_related("staff__user", "staff__office", "office", "nominated_by__user")
            [:limit])


@dataclass(frozen=True)
class PublicRecognition:
    first_name: str  # empty for a team
    office: str
    reason: str
    month: datetime.date


def public_wall(*, limit: int = 60) -> list[PublicRecognition]:
    """Consented recognition for the public site: a first name, the office and
    the reason (scrubbed of numbers and emails), nothing else."""
    rows = (Nomination.objects.filter(withdrawn_at__isnull=True, public_consent=True)
            .order_by("-nominated_at")
            .values_list("staff__user__first_name", "staff__user__last_name",
                         "staff__office__name", "office__name", "reason", "nominated_at")[:limit])
    result = []
    for first, last, staff_office, team, reason, at in rows:
        # A last name the manager wrote into the reason stays off the public site.
        text = anonymise(reason, names=[last or ""]) if last else scrub(reason)
        result.append(PublicRecognition(first_name=first or "", office=team or staff_office or "",
                                        reason=text, month=at.date().replace(day=1)))
    return result


def my_nominations(*, staff) -> QuerySet[Nomination]:
    """Nominations of `staff`, and of the team they supervise."""
    where = Q(staff=staff)
    if staff.role == "supervisor" and staff.office_id:
        where |= Q(office_id=staff.office_id)
    return (Nomination.objects.filter(where, withdrawn_at__isnull=True)
            .select_related("office", "nominated_by__user"))


def nomination_get_for(*, staff, pk: int) -> Nomination:
    nomination = Nomination.objects.filter(pk=pk).select_related("staff", "office").first()
    if nomination is None:
        raise _not_found()
    return nomination


# --- learning ----------------------------------------------------------------------------------


def story_draft(*, case: Case) -> tuple[str, str]:
    """A first draft (title, text) of a story from a closed case, anonymised:
    what the citizen asked, what happened, against what promise."""
    lines = [case.description.strip()]
    if case.resolved_at and case.resolve_due_at:
        lines.append(_("It was resolved on time.") if case.resolved_at <= case.resolve_due_at
                     else _("It was resolved after the promised date."))
    if case.reopen_count:
        lines.append(_("The citizen had to reopen it."))
    if case.outcome:
        lines.append(_("Outcome: %(outcome)s.") % {"outcome": case.get_outcome_display()})
    for label, value in ((_("Why not fixed"), case.outcome_reason),
                         (_("Root cause"), case.root_cause), (_("Redress"), case.redress)):
        if value.strip():
            lines.append(f"{label}: {value.strip()}")
    names = [case.citizen_name]
    if case.assignee_id:
        names += [case.assignee.user.first_name, case.assignee.user.last_name]
    text = anonymise("\n".join(lines), names=names, addresses=[case.address])
    title = _("%(kind)s about %(service)s") % {"kind": case.get_kind_display(),
                                               "service": case.service.name}
    return title, text


def story_case_for(*, staff, reference: str) -> Case:
    """A closed case in `staff`'s area, to retell as a story."""
    access.require(staff, "write_stories")
    return case_get_for(viewer=staff, reference=reference)


def stories_written(*, staff) -> QuerySet[Story]:
    if not access.can(staff, "write_stories"):
        return Story.objects.none()
    return (Story.objects.filter(created_by=staff).select_related("key_strategy")
            .annotate(answers_count=Count("answers")))


def stories_to_answer(*, staff) -> QuerySet[Story]:
    return (Story.objects.filter(published_at__isnull=False).exclude(created_by=staff)
            .exclude(answers__staff=staff).order_by("-published_at"))


def story_get_for(*, staff, pk: int) -> Story:
    story = (Story.objects.filter(Q(published_at__isnull=False) | Q(created_by=staff), pk=pk)
             .select_related("key_strategy").first())
    if story is None:
        raise _not_found()
    return story


@dataclass(frozen=True)
class LearningRecord:
    answers: list[StoryAnswer]
    percent: int | None
    to_answer: list[Story]


def my_learning(*, staff) -> LearningRecord:
    """A staff member's own answers with their scores, and the stories still open (two queries)."""
    answers = list(StoryAnswer.objects.filter(staff=staff)
                   .select_related("story__key_strategy", "strategy"))
    return LearningRecord(answers=answers, percent=percent([(a.points, a.out_of) for a in answers]),
                          to_answer=list(stories_to_answer(staff=staff)[:20]))


def answer_for(*, staff, story: Story) -> StoryAnswer | None:
    return StoryAnswer.objects.filter(staff=staff, story=story).select_related("strategy").first()


def visit_kinds() -> dict[str, str]:
    return dict(VisitKind.choices)
