"""Demo data for the service quality programme, over the demo history.

The supervisor's office (North Water Depot) has a finished visit cycle: a
weak baseline (no charter on display, a long wait), a feedback meeting, a
plan of three actions and a better unannounced re-visit; one action is closed
on the history's own figures. Other offices are at earlier stages. There are
visits as a citizen, a focus group, nominations (some on the public wall) and
stories from closed cases with answers. Rows are written directly, with
instants in the past, as the case history is; the one judgement (closing an
action) goes through the quality service so that its figures are real.
"""

import contextlib
import datetime
import io
import random
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from imbizo.cases.models import Principle
from imbizo.cases.selectors import INSTITUTION, CaseFilter, case_filtered
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.org.models import Office, Role, Staff
from imbizo.quality.anonymise import anonymise
from imbizo.quality.cycle import Stage, Step
from imbizo.quality.figures import DIRECTION, Metric
from imbizo.quality.models import (
    Action,
    ActionSource,
    Checklist,
    CycleStep,
    FocusGroup,
    FocusQuestion,
    Nomination,
    Story,
    StoryAnswer,
    Strategy,
    Visit,
    VisitCycle,
    VisitKind,
    VisitPhoto,
    VisitScore,
)
from imbizo.quality.scoring import Classification, story_points
from imbizo.quality.services import DEFAULT_FOCUS_QUESTIONS, action_close

DAY = datetime.timedelta(days=1)
CHARTER_ITEM = 5  # "The service charter ... is on display"
WAIT_ITEM = 18  # "The wait before being served was reasonable"

FOCUS_ANSWERS = (
    "Households reporting leaks and burst pipes, pensioners paying accounts, plumbers and "
    "contractors asking for connections.",
    "That someone comes when we say, that they are told if we are late, and one visit to "
    "sort out an account.",
    "Repairs are mostly quick; phoning back is not. People queue twice for the same query.",
    "Nobody calls back, and the counter sends them to the call centre.",
    "Job cards are on paper, so the counter cannot see whether a team is on its way.",
)


def _photo_png(text: str) -> bytes:
    """A small placeholder photo for the demo's evidence (an image with a caption)."""
    # Pillow is loaded only when the demo draws its placeholder photos.
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (214, 219, 212))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 150), outline=(90, 90, 90), width=3)
    draw.text((30, 165), text, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _visit(*, rng, kind, office, checklist, visitor, at, mean, cycle=None, overrides=None,
           summary="") -> Visit:
    visit = Visit.objects.create(kind=kind, cycle=cycle, office=office, checklist=checklist,
                                 visitor=visitor, visited_at=at, created_at=at,
                                 submitted_at=at + datetime.timedelta(hours=2), summary=summary)
    rows = []
    for item in checklist.items.filter(active=True):
        score = (overrides or {}).get(item.order) or max(1, min(4, round(rng.gauss(mean, 0.6))))
        evidence = {1: "Seen, but needs attention.", 2: "Partly in place.", 3: "In place.",
                    4: "Exemplary."}[score]
        rows.append(VisitScore(visit=visit, item=item, score=score, evidence=evidence))
    VisitScore.objects.bulk_create(rows)
    return visit


def _step(cycle, step, at, actor, note=""):
    CycleStep.objects.create(cycle=cycle, step=step, at=at, actor=actor, note=note)


def _action(*, title, owner, at, due, principle, metric, office, source=ActionSource.VISIT,
            cycle=None, focus_group=None, window=30) -> Action:
    return Action.objects.create(
        title=title, source=source, cycle=cycle, focus_group=focus_group, owner=owner,
        created_by=owner, created_at=at, due_on=due.date(), principle=principle, metric=metric,
        direction=DIRECTION[Metric(metric)], office=office, window_days=window)


@transaction.atomic
def quality_build(*, seed: int, until_day: datetime.date | None = None,
                  photos: bool = True) -> dict[str, int]:
    """Create the quality programme's demo rows, up to the end of `until_day`
    (as the case history: default now); returns counts by kind."""
    rng = random.Random(f"{seed}:quality")
    now = clock.now() if until_day is None else datetime.datetime.combine(
        until_day, datetime.time(17, 0), tzinfo=ZoneInfo("Africa/Johannesburg"))
    checklist = Checklist.objects.filter(code="default").first()
    if checklist is None:
        return {}
    supervisor = Staff.objects.select_related("office").get(user__username="supervisor")
    manager = Staff.objects.get(user__username="manager")
    officer = Staff.objects.get(user__username="officer")
    depot = supervisor.office
    water_offices = list(Office.objects.filter(department=depot.department).exclude(pk=depot.pk)
                         .order_by("pk"))
    care_centre = Office.objects.filter(department__code="customer-care",
                                        is_public=True).order_by("pk").first()

    # 1. The supervisor's depot: a finished cycle.
    start = now - 80 * DAY
    cycle = VisitCycle.objects.create(office=depot, checklist=checklist, stage=Stage.DONE,
                                      started_by=supervisor, started_at=start)
    baseline = _visit(rng=rng, kind=VisitKind.BASELINE, office=depot, checklist=checklist,
                      visitor=supervisor, at=start + 2 * DAY, mean=2.3, cycle=cycle,
                      overrides={CHARTER_ITEM: 1, WAIT_ITEM: 1},
                      summary="Queue out of the door at 10:00; no charter anywhere; friendly "
                              "counter staff.")
    _step(cycle, Step.BASELINE_VISITED, start + 2 * DAY, supervisor)
    feedback_at = start + 6 * DAY
    cycle.feedback_on = feedback_at.date()
    cycle.feedback_notes = ("Shared the scores with the team. Agreed: charter up this week, a "
                            "queue marshal at month end, call-backs logged on the case.")
    _step(cycle, Step.FEEDBACK_HELD, feedback_at, supervisor, cycle.feedback_notes)
    plan_at = start + 8 * DAY
    call_backs = _action(title="Phone back every caller the day a leak is reported",
                       owner=supervisor, at=plan_at, due=plan_at + 14 * DAY,
                       principle=Principle.INFORMATION, metric=Metric.SHARE_RESOLVED_IN_TIME,
                       office=depot, cycle=cycle)
    charter_up = _action(title="Put the service charter up at the entrance and at every counter",
            owner=supervisor, at=plan_at, due=plan_at + 5 * DAY,
            principle=Principle.SERVICE_STANDARDS, metric=Metric.RATING_OVERALL, office=depot,
            cycle=cycle)
    _action(title="A queue marshal at month end, with forms and a numbered ticket",
            owner=manager, at=plan_at, due=now + 20 * DAY, principle=Principle.ACCESS,
            metric=Metric.RATING_CONCERN, office=depot, cycle=cycle, window=60)
    cycle.plan_agreed_at = plan_at
    _step(cycle, Step.PLAN_AGREED, plan_at, supervisor)
    revisit = _visit(rng=rng, kind=VisitKind.REVISIT, office=depot, checklist=checklist,
                     visitor=manager, at=now - 12 * DAY, mean=3.2, cycle=cycle,
                     overrides={CHARTER_ITEM: 4, WAIT_ITEM: 3},
                     summary="Charter on the wall and at each counter; queue moving.")
    _step(cycle, Step.REVISITED, now - 12 * DAY, manager)
    cycle.baseline, cycle.revisit, cycle.closed_at = baseline, revisit, now - 12 * DAY
    cycle.save()
    if photos:
        charter = baseline.scores.get(item__order=CHARTER_ITEM)
        photo = VisitPhoto(visit=baseline, item_id=charter.item_id, content_type="image/png",
                           size=0, uploaded_at=baseline.visited_at)
        content = _photo_png("Entrance: empty notice board, no charter")
        photo.size = len(content)
        photo.file.save(f"visit-{baseline.pk}-demo.png", ContentFile(content), save=False)
        photo.save()

    # 2. Other offices at earlier stages.
    if water_offices:
        other = water_offices[0]
        second = VisitCycle.objects.create(office=other, checklist=checklist, stage=Stage.PLAN,
                                           started_by=manager, started_at=now - 20 * DAY)
        second.baseline = _visit(rng=rng, kind=VisitKind.BASELINE, office=other,
                                 checklist=checklist, visitor=manager, at=now - 18 * DAY,
                                 mean=2.8, cycle=second)
        _step(second, Step.BASELINE_VISITED, now - 18 * DAY, manager)
        second.feedback_on = (now - 15 * DAY).date()
        second.feedback_notes = "Toilets out of order for weeks; no ramp at the side entrance."
        _step(second, Step.FEEDBACK_HELD, now - 15 * DAY, manager, second.feedback_notes)
        second.save()
    cycles = 2 if water_offices else 1

    # 3. Visits as a citizen: the officer at a customer care centre.
    citizen_visits = 0
    if care_centre is not None:
        _visit(rng=rng, kind=VisitKind.AS_CITIZEN, office=care_centre, checklist=checklist,
               visitor=officer, at=now - 30 * DAY, mean=2.9,
               summary="Asked about a high water bill. Greeted at once; sent to the call "
                       "centre for the account history.")
        citizen_visits = 1

    # 4. A focus group, with one solution as an action.
    group = FocusGroup.objects.create(office=depot, topic="What callers with leaks need from us",
                                      held_on=(now - 40 * DAY).date(), participants=11,
                                      facilitator=supervisor, created_at=now - 40 * DAY,
                                      notes="Held at the ward councillor's office, evening.")
    FocusQuestion.objects.bulk_create(
        FocusQuestion(group=group, order=n, text=text, answer=answer)
        for n, (text, answer) in enumerate(zip(DEFAULT_FOCUS_QUESTIONS, FOCUS_ANSWERS,
                                               strict=True), start=1))
    _action(title="Show the job card status at the counter", owner=supervisor,
            at=now - 38 * DAY, due=now + 30 * DAY, principle=Principle.OPENNESS,
            metric=Metric.RATING_OVERALL, office=depot, source=ActionSource.FOCUS_GROUP,
            focus_group=group, window=60)

    # An action at the office that had a bad patch (May to July) in the case
    # history, agreed at its end: the figures should show the recovery.
    recovery = _recovery_action(now)

    # 5. Recognition: the officer (on the public wall), the depot team, one private.
    nominations = [
        Nomination(staff=officer, reason="Went back after hours to check that a pensioner's "
                   "water was really on, and phoned her daughter to say so.",
                   nominated_by=manager, nominated_at=now - 25 * DAY, public_consent=True,
                   consent_by=officer, consent_at=now - 24 * DAY,
                   evidence={"compliments": 2}),
        Nomination(office=depot, reason="Raised the visit score from 2.3 to 3.2 in two months, "
                   "with the charter on every counter.", nominated_by=manager,
                   nominated_at=now - 10 * DAY, public_consent=True, consent_by=supervisor,
                   consent_at=now - 9 * DAY),
    ]
    quiet = (Staff.objects.filter(office=depot, role=Role.OFFICER).exclude(pk=officer.pk)
             .order_by("pk").first())
    if quiet is not None:
        nominations.append(Nomination(staff=quiet, reason="Calm and clear with an angry "
                                      "caller; the complaint became a compliment.",
                                      nominated_by=manager, nominated_at=now - 5 * DAY))
    Nomination.objects.bulk_create(nominations)

    # 6. Stories from closed cases of the depot, with the officer's answers.
    stories = _stories(rng=rng, depot=depot, supervisor=supervisor, officer=officer, now=now)

    # The judgement itself, on the history's figures.
    # Without enough history (a small demo) an action simply stays open.
    for action, note in ((call_backs, "Call-backs are now logged on every leak case."),
                         (charter_up, "Charter on the wall and at each counter since week one."),
                         (recovery, "Two new officers in post and the backlog cleared.")):
        if action is None:
            continue
        with contextlib.suppress(DomainError):
            action_close(action=action, actor=action.owner, note=note)
    return {"visit cycles": cycles, "visits": Visit.objects.count(),
            "visits as a citizen": citizen_visits, "actions": Action.objects.count(),
            "nominations": len(nominations), "stories": stories}


def _recovery_action(now) -> Action | None:
    """The history slows one office down from May to July (the office with the
    lowest id among those with officers, see demo.history)."""
    office_id = (Staff.objects.filter(role=Role.OFFICER).order_by("office_id")
                 .values_list("office_id", flat=True).first())
    owner = Staff.objects.filter(office_id=office_id, role=Role.SUPERVISOR).first()
    if owner is None:
        return None
    year = now.year if now.month >= 11 else now.year - 1
    agreed = datetime.datetime(year, 7, 28, 10, tzinfo=now.tzinfo)
    return _action(title="Fill the two open officer posts and clear the backlog", owner=owner,
                   at=agreed, due=agreed + 7 * DAY, principle=Principle.SERVICE_STANDARDS,
                   metric=Metric.SHARE_RESOLVED_IN_TIME, office=owner.office,
                   source=ActionSource.COMPLAINT, window=60)


def _stories(*, rng, depot, supervisor, officer, now) -> int:
    closed = list(case_filtered(viewer=INSTITUTION, filters=CaseFilter(status=("closed",)))
                  .filter(office=depot, closed_at__lt=now)
                  .exclude(root_cause="").select_related("service", "assignee__user")
                  .order_by("-closed_at")[:40])
    late = [c for c in closed if c.resolve_due_at and c.resolved_at > c.resolve_due_at][:2]
    on_time = [c for c in closed if c.resolve_due_at and c.resolved_at <= c.resolve_due_at][:1]
    strategies = {s.code: s for s in Strategy.objects.all()}
    made = 0
    for case, outcome, principle, strategy in (
            *[(c, "failure", Principle.INFORMATION, "keep-informed") for c in late],
            *[(c, "success", Principle.SERVICE_STANDARDS, None) for c in on_time]):
        names = [case.citizen_name]
        if case.assignee_id:
            names += [case.assignee.user.first_name, case.assignee.user.last_name]
        text = anonymise(
            f"{case.description}\n"
            + ("It was fixed after the promised date, and nobody told the citizen why."
               if outcome == "failure" else "It was fixed within the promise, and the citizen "
               "had an SMS at each step.")
            + f"\nRoot cause: {case.root_cause}", names=names, addresses=[case.address])
        story = Story.objects.create(
            case=case, title=f"{case.service.name}: "
            + ("a late fix, in silence" if outcome == "failure" else "kept to the promise"),
            text=text, key_outcome=outcome, key_principle=principle,
            key_strategy=strategies.get(strategy) if strategy else None,
            explanation="The work was done; what failed was telling the citizen."
            if outcome == "failure" else "A promise kept, and said so.",
            created_by=supervisor, created_at=now - (20 - made) * DAY,
            published_at=now - (20 - made) * DAY)
        made += 1
        if made == 1:
            guess = Classification("failure", Principle.COURTESY, "keep-informed")
            key = Classification(outcome, principle, strategy)
            points, out_of = story_points(key, guess)
            StoryAnswer.objects.create(story=story, staff=officer, outcome=guess.outcome,
                                       principle=guess.principle,
                                       strategy=strategies.get("keep-informed"),
                                       points=points, out_of=out_of, answered_at=now - 3 * DAY)
    return made
