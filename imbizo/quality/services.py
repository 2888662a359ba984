"""Writes of the quality programme. Each service checks who may act, runs in
one transaction and returns the object it changed."""

import datetime
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from imbizo.cases.models import Case, Principle
from imbizo.cases.selectors import case_visible_to
from imbizo.cases.transitions import Status
from imbizo.cases.uploads import image_check
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.limits import LINE_MAX, NAME_MAX, TEXT_MAX
from imbizo.core.links import site_link
from imbizo.notify.services import message_enqueue
from imbizo.org.models import Role, Staff
from imbizo.org.selectors import institution_tz_name

from . import access, action_transitions, cycle
from .action_transitions import ActionState
from .anonymise import anonymise, scrub
from .cycle import Stage, Step
from .errors import QualityError
from .figures import DIRECTION, PERCENT_METRICS, Metric
from .models import (
    Action,
    ActionEvent,
    ActionSource,
    ActionStatus,
    Checklist,
    CycleStep,
    FocusGroup,
    FocusQuestion,
    Nomination,
    Story,
    StoryAnswer,
    StoryOutcome,
    Strategy,
    Visit,
    VisitCycle,
    VisitKind,
    VisitPhoto,
    VisitScore,
)
from .scoring import Classification, Verdict, score_valid, story_points
from .selectors import action_evidence

MAX_PHOTOS_PER_VISIT = 24


def _forbidden(message: str) -> DomainError:
    return DomainError(QualityError.FORBIDDEN, message)


def local_today() -> datetime.date:
    return clock.now().astimezone(ZoneInfo(institution_tz_name())).date()


# --- visit cycles ----------------------------------------------------------------------------


def checklist_default() -> Checklist:
    checklist = (Checklist.objects.filter(active=True, code="default").first()
                 or Checklist.objects.filter(active=True).order_by("pk").first())
    if checklist is None:
        raise DomainError(QualityError.NOT_FOUND,
                          _("There is no visit checklist in use: an administrator adds one."))
    return checklist


@transaction.atomic
def cycle_start(*, office, actor: Staff, checklist: Checklist | None = None) -> VisitCycle:
    """Open a visit cycle for `office`; it waits for its baseline visit.

    One open cycle per office at a time, so the re-visit compares with the
    right baseline.
    """
    if not access.manages_office(actor, office):
        raise _forbidden(_("You can run visits only for the offices you look after."))
    if VisitCycle.objects.filter(office=office, stage__in=list(cycle.OPEN_STAGES)).exists():
        raise DomainError(QualityError.STEP_NOT_ALLOWED,
                          _("%(office)s already has a visit cycle under way.") % {"office": office})
    return VisitCycle.objects.create(
        office=office, checklist=checklist or checklist_default(), stage=Stage.BASELINE,
        started_by=actor, started_at=clock.now(),
    )


def _cycle_step(cycle_row: VisitCycle, *, step: Step, actor: Staff | None,
                note: str = "") -> VisitCycle:
    """Move a locked cycle by the table in quality.cycle and record the step."""
    try:
        cycle_row.stage = cycle.advance(Stage(cycle_row.stage), step)
    except ValueError as exc:
        raise DomainError(
            QualityError.STEP_NOT_ALLOWED,
            _("This cycle is at the stage “%(stage)s”; that step does not come now.")
            % {"stage": cycle_row.stage_label}) from exc
    now = clock.now()
    if cycle_row.stage in (Stage.DONE, Stage.CANCELLED):
        cycle_row.closed_at = now
    CycleStep.objects.create(cycle=cycle_row, step=step, at=now, actor=actor, note=note)
    return cycle_row


def _cycle_lock(cycle_row: VisitCycle) -> VisitCycle:
    return (VisitCycle.objects.select_for_update(of=("self",)).select_related("office")
            .get(pk=cycle_row.pk))


def _require_manager_of(actor: Staff, office) -> None:
    if not access.manages_office(actor, office):
        raise _forbidden(_("Only the people who look after %(office)s can do this.")
                         % {"office": office})


@transaction.atomic
def cycle_feedback_hold(*, cycle_row: VisitCycle, actor: Staff, held_on: datetime.date,
                        notes: str) -> VisitCycle:
    """Record the feedback meeting with the office about its baseline visit."""
    locked = _cycle_lock(cycle_row)
    _require_manager_of(actor, locked.office)
    if not notes.strip():
        raise DomainError(QualityError.STEP_NOT_ALLOWED,
                          _("Write down what was said at the feedback meeting."),
                          field="notes")
    if held_on > local_today():
        raise DomainError(QualityError.STEP_NOT_ALLOWED,
                          _("The feedback meeting cannot be in the future."), field="held_on")
    _cycle_step(locked, step=Step.FEEDBACK_HELD, actor=actor, note=notes.strip())
    locked.feedback_on, locked.feedback_notes = held_on, notes.strip()
    locked.save()
    return locked


@transaction.atomic
def cycle_plan_agree(*, cycle_row: VisitCycle, actor: Staff,
                     revisit_after: datetime.date | None = None, note: str = "") -> VisitCycle:
    """Agree the improvement plan (the cycle's actions); the re-visit is then due."""
    locked = _cycle_lock(cycle_row)
    _require_manager_of(actor, locked.office)
    if not locked.actions.exclude(status=ActionStatus.CANCELLED).exists():
        raise DomainError(QualityError.PLAN_EMPTY,
                          _("An improvement plan needs at least one action: add one first."))
    _cycle_step(locked, step=Step.PLAN_AGREED, actor=actor, note=note.strip())
    locked.plan_agreed_at = clock.now()
    locked.revisit_after = revisit_after
    locked.save()
    return locked


@transaction.atomic
def cycle_cancel(*, cycle_row: VisitCycle, actor: Staff, reason: str) -> VisitCycle:
    locked = _cycle_lock(cycle_row)
    _require_manager_of(actor, locked.office)
    if not reason.strip():
        raise DomainError(QualityError.STEP_NOT_ALLOWED, _("Say why the cycle is cancelled."),
                          field="reason")
    _cycle_step(locked, step=Step.CANCELLED, actor=actor, note=reason.strip())
    locked.save()
    return locked


# --- visits ----------------------------------------------------------------------------------


@transaction.atomic
def visit_begin(*, actor: Staff, cycle_row: VisitCycle | None = None, office=None,
                visited_at: datetime.datetime | None = None) -> Visit:
    """A draft visit, with an empty score for each item of the checklist.

    With `cycle_row`: the visit the cycle waits for (baseline or re-visit), by
    someone who looks after the office; an unfinished draft of it is reused.
    Without: a visit "as a citizen" to `office`, which must not be the
    visitor's own.
    """
    now = clock.now()
    if cycle_row is not None:
        locked = _cycle_lock(cycle_row)
        _require_manager_of(actor, locked.office)
        kind = cycle.VISIT_FOR_STAGE.get(Stage(locked.stage))
        if kind is None:
            raise DomainError(QualityError.STEP_NOT_ALLOWED,
                              _("This cycle is at the stage “%(stage)s”: no visit is due.")
                              % {"stage": locked.stage_label})
        draft = locked.visits.filter(kind=kind, submitted_at__isnull=True).first()
        if draft is not None:
            return draft
        office, checklist = locked.office, locked.checklist
    else:
        if office is None or not access.may_visit_as_citizen(actor, office):
            raise DomainError(QualityError.OWN_OFFICE,
                              _("Visit another office as a citizen, not your own."),
                              field="office")
        kind, checklist, locked = VisitKind.AS_CITIZEN, checklist_default(), None
    if visited_at is not None and visited_at > now:
        raise DomainError(QualityError.INVALID_SCORE, _("The visit cannot be in the future."),
                          field="visited_at")
    visit = Visit.objects.create(kind=kind, cycle=locked, office=office, checklist=checklist,
                                 visitor=actor, visited_at=visited_at or now, created_at=now)
    VisitScore.objects.bulk_create(
        VisitScore(visit=visit, item=item) for item in checklist.items.filter(active=True))
    return visit


@dataclass(frozen=True)
class ItemEntry:
    """What the visitor wrote for one checklist item."""

    score: int | None
    evidence: str = ""


@transaction.atomic
def visit_record(*, visit: Visit, actor: Staff, entries: Mapping[int, ItemEntry],
                 summary: str | None = None, visited_at: datetime.datetime | None = None,
                 photos: Sequence[tuple[int | None, object]] = ()) -> Visit:
    """Save scores, evidence and photos of a draft visit (its visitor only).

    `entries` maps checklist item ids to what was written; `photos` are
    (item id or None, uploaded file) pairs, each checked by its content.
    """
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.visitor_id != actor.pk:
        raise _forbidden(_("Only the visitor can change a visit's scores."))
    if visit.submitted:
        raise DomainError(QualityError.VISIT_SUBMITTED,
                          _("This visit has been submitted; its scores are final."))
    scores = {s.item_id: s for s in visit.scores.all()}
    changed = []
    for item_id, entry in entries.items():
        row = scores.get(item_id)
        if row is None:
            raise DomainError(QualityError.INVALID_SCORE,
                              _("That item is not on this visit's checklist."))
        if entry.score is not None and not score_valid(entry.score):
            raise DomainError(QualityError.INVALID_SCORE,
                              _("Score each item from 1 (poor) to 4 (excellent)."),
                              field=f"score_{item_id}")
        row.score, row.evidence = entry.score, entry.evidence.strip()[:TEXT_MAX]
        changed.append(row)
    VisitScore.objects.bulk_update(changed, ["score", "evidence"])
    if summary is not None:
        visit.summary = summary.strip()[:TEXT_MAX]
    if visited_at is not None:
        if visited_at > clock.now():
            raise DomainError(QualityError.INVALID_SCORE, _("The visit cannot be in the future."),
                              field="visited_at")
        visit.visited_at = visited_at
    visit.save()
    if photos:
        _photos_attach(visit, photos, known_items=set(scores))
    return visit


def _photos_attach(visit: Visit, photos, *, known_items: set[int]) -> None:
    if visit.photos.count() + len(photos) > MAX_PHOTOS_PER_VISIT:
        raise DomainError(QualityError.INVALID_UPLOAD,
                          _("A visit keeps at most %(n)d photos.") % {"n": MAX_PHOTOS_PER_VISIT},
                          field="photo")
    checked = []
    for item_id, upload in photos:
        if item_id is not None and item_id not in known_items:
            raise DomainError(QualityError.INVALID_UPLOAD,
                              _("That item is not on this visit's checklist."), field="photo")
        content_type, extension = image_check(upload)  # DomainError names what is wrong
        checked.append((item_id, upload, content_type, extension))
    now = clock.now()
    for item_id, upload, content_type, extension in checked:
        # Our own name: the uploader's file name is neither trusted nor kept.
        photo = VisitPhoto(visit=visit, item_id=item_id, content_type=content_type,
                           size=upload.size, uploaded_at=now)
        photo.file.save(f"visit-{visit.pk}-{secrets.token_hex(8)}.{extension}", upload,
                        save=False)
        photo.save()


@transaction.atomic
def visit_submit(*, visit: Visit, actor: Staff) -> Visit:
    """Fix a visit's scores; a cycle's visit moves the cycle on."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.visitor_id != actor.pk:
        raise _forbidden(_("Only the visitor can submit a visit."))
    if visit.submitted:
        raise DomainError(QualityError.VISIT_SUBMITTED, _("This visit is already submitted."))
    missing = visit.scores.filter(score__isnull=True).count()
    if missing:
        raise DomainError(
            QualityError.INCOMPLETE_VISIT,
            _("Score every item before submitting: %(n)d still without a score.") % {"n": missing})
    visit.submitted_at = clock.now()
    visit.save(update_fields=["submitted_at"])
    if visit.cycle_id is not None:
        locked = _cycle_lock(visit.cycle)
        step = Step.BASELINE_VISITED if visit.kind == VisitKind.BASELINE else Step.REVISITED
        _cycle_step(locked, step=step, actor=actor)
        if visit.kind == VisitKind.BASELINE:
            locked.baseline = visit
        else:
            locked.revisit = visit
        locked.save()
    return visit


# --- action plans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDraft:
    """An action as proposed: what, who, by when, and the figure it should move."""

    title: str
    owner: Staff
    due_on: datetime.date
    principle: str
    metric: str
    source: str = ActionSource.OTHER
    detail: str = ""
    office: object = None
    service: object = None
    ward: object = None
    target: float | None = None
    window_days: int = 60
    cycle: VisitCycle | None = None
    visit: Visit | None = None
    case: Case | None = None
    focus_group: FocusGroup | None = None


OWNER_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMINISTRATOR})


def _may_plan_for(actor: Staff, *, office, service) -> bool:
    if not access.can(actor, "plan"):
        return False
    if office is not None:
        return access.manages_office(actor, office)
    if service is not None:
        return actor.role == Role.ADMINISTRATOR or (
            actor.role == Role.MANAGER and service.department_id == actor.department_id)
    return actor.role == Role.ADMINISTRATOR


def _draft_check(draft: ActionDraft) -> ActionDraft:
    def invalid(message, field):
        return DomainError(QualityError.INVALID_ACTION, message, field=field)

    if not draft.title.strip():
        raise invalid(_("Say what will be done."), "title")
    if draft.owner is None or not draft.owner.active or draft.owner.role not in OWNER_ROLES:
        raise invalid(_("The owner must be an active supervisor, manager or administrator."),
                      "owner")
    if draft.principle not in Principle.values:
        raise invalid(_("Choose the Batho Pele principle concerned."), "principle")
    if draft.metric not in Metric.values:
        raise invalid(_("Choose the figure the action should move."), "metric")
    if draft.due_on < local_today():
        raise invalid(_("The due date has passed: choose today or later."), "due_on")
    if not 7 <= draft.window_days <= 365:
        raise invalid(_("Compare between 7 and 365 days."), "window_days")
    if draft.target is not None:
        low, high = (0, 100) if draft.metric in PERCENT_METRICS else (1, 5)
        if not low <= draft.target <= high:
            raise invalid(_("The level to reach lies between %(low)d and %(high)d.")
                          % {"low": low, "high": high}, "target")
    needs = {ActionSource.VISIT: draft.cycle or draft.visit,
             ActionSource.COMPLAINT: draft.case, ActionSource.FOLLOW_UP: draft.case,
             ActionSource.FOCUS_GROUP: draft.focus_group}
    if draft.source not in ActionSource.values:
        raise invalid(_("Say where the action comes from."), "source")
    if draft.source in needs and needs[draft.source] is None:
        raise invalid(_("Say which visit, case or focus group the action comes from."), "source")
    return draft


@transaction.atomic
def action_create(*, draft: ActionDraft, actor: Staff) -> Action:
    """Agree an action. Its "before" figure is the period up to now."""
    draft = _draft_check(draft)
    office = draft.office
    if office is None and draft.cycle is not None:
        office = draft.cycle.office
    if office is None and draft.visit is not None:
        office = draft.visit.office
    if not _may_plan_for(actor, office=office, service=draft.service):
        raise _forbidden(_("You can agree actions only for the offices and services you look "
                           "after."))
    if draft.cycle is not None and Stage(draft.cycle.stage) not in cycle.OPEN_STAGES:
        raise DomainError(QualityError.STEP_NOT_ALLOWED,
                          _("This visit cycle is finished: start a new one."), field="source")
    return Action.objects.create(
        title=draft.title.strip()[:LINE_MAX], detail=draft.detail.strip(), source=draft.source,
        cycle=draft.cycle, visit=draft.visit, case=draft.case, focus_group=draft.focus_group,
        owner=draft.owner, created_by=actor, created_at=clock.now(), due_on=draft.due_on,
        principle=draft.principle, metric=draft.metric,
        direction=DIRECTION[Metric(draft.metric)], target=draft.target, office=office,
        service=draft.service, ward=draft.ward, window_days=draft.window_days,
    )


def _action_lock(action: Action) -> Action:
    # Only the action's row: its office and service (outer joins) stay unlocked.
    return (Action.objects.select_for_update(of=("self",)).select_related("office", "service")
            .get(pk=action.pk))


def _require_closer(actor: Staff, action: Action) -> None:
    if not access.may_close_action(actor, action):
        raise _forbidden(_("Only the owner of the action or a manager can close it."))


def _action_move_check(action: Action, *targets: ActionState) -> None:
    """Refuse, changing nothing, unless the action table lets `action` move to
    one of `targets`."""
    source = ActionState(action.status)
    if any(action_transitions.may_move(source, target) for target in targets):
        return
    if source in action_transitions.ENDED_STATES:
        raise DomainError(QualityError.ACTION_CLOSED, _("This action is already closed."))
    raise DomainError(QualityError.TRANSITION_NOT_ALLOWED,
                      _("An action that is %(source)s cannot be made %(target)s.")
                      % {"source": source.value.replace("_", " "),
                         "target": " or ".join(sorted(t.value.replace("_", " ") for t in targets))},
                      field="status")


def action_transition(*, action: Action, to: ActionState, actor: Staff | None,
                      at: datetime.datetime, note: str = "") -> ActionEvent:
    """Move `action` to `to` by the action table, save it and record the change.

    The one place an action's status changes. The caller holds the row lock
    (inside its transaction) and sets the fields that go with the move first.
    """
    _action_move_check(action, to)
    source = action.status
    action.status = to
    action.save()
    return ActionEvent.objects.create(action=action, at=at, actor=actor, from_status=source,
                                      to_status=to, note=note)


@transaction.atomic
def action_close(*, action: Action, actor: Staff, note: str = "") -> Action:
    """Close an action as effective or not, on the figures before and after it;
    the figures and their periods are kept as they were at closing."""
    action = _action_lock(action)
    _require_closer(actor, action)
    _action_move_check(action, *action_transitions.JUDGED_STATES)
    now = clock.now()
    measured = action_evidence(action=action, now=now)
    if not measured.windows.after_started:
        raise DomainError(QualityError.TOO_EARLY,
                          _("The action is due on %(due)s: its effect can be judged from the "
                            "day after.")
                          % {"due": action.due_on.isoformat()})
    if measured.verdict == Verdict.NOT_ENOUGH_EVIDENCE:
        after = measured.after
        raise DomainError(
            QualityError.NOT_ENOUGH_EVIDENCE,
            _("Not enough evidence yet: %(before)d before and %(after)d after; at least 5 in "
              "each are needed. Wait for more, or cancel the action with a reason.")
            % {"before": measured.before.count, "after": after.count if after else 0})
    periods, before, after = measured.windows, measured.before, measured.after
    action.closed_at, action.closed_by, action.closing_note = now, actor, note.strip()
    action.before_since, action.before_until = periods.before_since, periods.before_until
    action.after_since, action.after_until = periods.after_since, periods.after_until
    action.before_value, action.before_count = before.value, before.count
    action.after_value, action.after_count = after.value, after.count
    judged = (ActionState.EFFECTIVE if measured.verdict == Verdict.EFFECTIVE
              else ActionState.NOT_EFFECTIVE)
    action_transition(action=action, to=judged, actor=actor, at=now, note=action.closing_note)
    return action


@transaction.atomic
def action_cancel(*, action: Action, actor: Staff, reason: str) -> Action:
    """Stop an action that will not be judged (overtaken, or no evidence to be had)."""
    action = _action_lock(action)
    _require_closer(actor, action)
    _action_move_check(action, ActionState.CANCELLED)
    if not reason.strip():
        raise DomainError(QualityError.INVALID_ACTION, _("Say why the action is cancelled."),
                          field="reason")
    now = clock.now()
    action.closed_at, action.closed_by, action.closing_note = now, actor, reason.strip()
    action_transition(action=action, to=ActionState.CANCELLED, actor=actor, at=now,
                      note=action.closing_note)
    return action


# --- focus groups ----------------------------------------------------------------------------

# Marked for translation here, translated when a session is created (the
# session keeps its questions in the language they were asked in).
DEFAULT_FOCUS_QUESTIONS = (
    gettext_noop("Who are our key clients?"),
    gettext_noop("What do our key clients expect from us?"),
    gettext_noop("How well do we meet those expectations today?"),
    gettext_noop("What would our clients' biggest complaint be?"),
    gettext_noop("What gets in the way of putting the client first?"),
)


def _may_hold_focus_group(actor: Staff, *, office, service) -> bool:
    if not access.can(actor, "focus_groups"):
        return False
    if office is not None:
        return access.manages_office(actor, office)
    return _may_plan_for(actor, office=None, service=service)


@transaction.atomic
def focus_group_create(*, actor: Staff, topic: str, held_on: datetime.date, participants: int,
                       office=None, service=None, facilitator: Staff | None = None,
                       notes: str = "") -> FocusGroup:
    """A focus group session with the five standard questions, ready for answers."""
    def invalid(message, field):
        return DomainError(QualityError.INVALID_FOCUS_GROUP, message, field=field)

    if office is None and service is None:
        raise invalid(_("Say which office or service the session was about."), "office")
    if not topic.strip():
        raise invalid(_("Give the session a topic."), "topic")
    if participants < 1:
        raise invalid(_("Count the participants: at least one."), "participants")
    if held_on > local_today():
        raise invalid(_("Record a session once it has been held."), "held_on")
    if not _may_hold_focus_group(actor, office=office, service=service):
        raise _forbidden(_("You can record focus groups only for what you look after."))
    group = FocusGroup.objects.create(
        office=office, service=service, topic=topic.strip()[:LINE_MAX], held_on=held_on,
        participants=participants, facilitator=facilitator or actor, notes=scrub(notes.strip()),
        created_at=clock.now())
    FocusQuestion.objects.bulk_create(
        FocusQuestion(group=group, order=n, text=_(text))
        for n, text in enumerate(DEFAULT_FOCUS_QUESTIONS, start=1))
    return group


@transaction.atomic
def focus_group_record(*, group: FocusGroup, actor: Staff, answers: Mapping[int, str],
                       notes: str | None = None, new_question: str = "") -> FocusGroup:
    """Save what the group said to each question (contact details are scrubbed:
    participants are never identified)."""
    if not _may_hold_focus_group(actor, office=group.office, service=group.service):
        raise _forbidden(_("You can record focus groups only for what you look after."))
    questions = {q.pk: q for q in group.questions.all()}
    for question_id, text in answers.items():
        if question_id not in questions:
            raise DomainError(QualityError.INVALID_FOCUS_GROUP,
                              _("That question is not part of this session."))
        questions[question_id].answer = scrub(text.strip())[:TEXT_MAX]
    FocusQuestion.objects.bulk_update(questions.values(), ["answer"])
    if new_question.strip():
        FocusQuestion.objects.create(group=group, order=len(questions) + 1,
                                     text=new_question.strip()[:300])
    if notes is not None:
        group.notes = scrub(notes.strip())
        group.save(update_fields=["notes"])
    return group


# --- recognition -----------------------------------------------------------------------------


def _may_nominate(actor: Staff, *, staff: Staff | None, office) -> bool:
    if not access.can(actor, "nominate"):
        return False
    if actor.role == Role.ADMINISTRATOR:
        return True
    department = staff.department_id if staff is not None else office.department_id
    return actor.department_id is not None and department == actor.department_id


@transaction.atomic
def nomination_create(*, actor: Staff, reason: str, staff: Staff | None = None, office=None,
                      evidence: dict | None = None) -> Nomination:
    """Recognise a staff member or a team, and tell them (they decide whether it
    may appear on the public site)."""
    if (staff is None) == (office is None):
        raise DomainError(QualityError.INVALID_NOMINATION,
                          _("Nominate either a staff member or a team."), field="staff")
    if not reason.strip():
        raise DomainError(QualityError.INVALID_NOMINATION,
                          _("Say what they did that deserves recognition."), field="reason")
    if staff is not None and not staff.active:
        raise DomainError(QualityError.INVALID_NOMINATION,
                          _("That staff member is no longer active."), field="staff")
    if not _may_nominate(actor, staff=staff, office=office):
        raise _forbidden(_("Managers nominate people and teams of their own department."))
    nomination = Nomination.objects.create(
        staff=staff, office=office, reason=reason.strip()[:1000], evidence=evidence or {},
        nominated_by=actor, nominated_at=clock.now())
    if staff is not None and staff.user.email:
        message_enqueue(channel="email", recipient=staff.user.email, template="quality_nominated",
                        context={"nomination": nomination, "by": actor,
                                 "link": site_link("/staff/quality/recognition/mine/")},
                        dedupe_key=f"quality-nominated:{nomination.pk}")
    return nomination


@transaction.atomic
def nomination_consent(*, nomination: Nomination, actor: Staff, consent: bool) -> Nomination:
    """Give or take back consent to show the nomination on the public site."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not access.may_consent(actor, nomination):
        raise _forbidden(_("Only the person nominated (or a team's supervisor) decides this."))
    nomination.public_consent = consent
    nomination.consent_by, nomination.consent_at = actor, clock.now()
    nomination.save(update_fields=["public_consent", "consent_by", "consent_at"])
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, actor: Staff) -> Nomination:
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.nominated_by_id != actor.pk and actor.role != Role.ADMINISTRATOR:
        raise _forbidden(_("Only the person who nominated can withdraw a nomination."))
    nomination.withdrawn_at = nomination.withdrawn_at or clock.now()
    nomination.save(update_fields=["withdrawn_at"])
    return nomination


# --- learning from real cases ----------------------------------------------------------------


def _case_names(case: Case) -> list[str]:
    names = [case.citizen_name]
    if case.assignee_id:
        user = case.assignee.user
        names += [user.first_name, user.last_name, user.username]
    return names


@transaction.atomic
def story_create(*, actor: Staff, case: Case, title: str, text: str, key_outcome: str,
                 key_principle: str, key_strategy: Strategy | None = None,
                 explanation: str = "", publish: bool = True) -> Story:
    """Make a learning story of a closed case, with the supervisor's classification.

    The text is anonymised again here, whatever the author typed: the
    citizen's and officer's names, the address, phone numbers and emails go.
    """
    access.require(actor, "write_stories")
    if not case_visible_to(viewer=actor, case=case):
        raise DomainError(QualityError.NOT_FOUND, _("No such case in your area."),
                          field="reference")
    if case.status != Status.CLOSED:
        raise DomainError(QualityError.CASE_NOT_CLOSED,
                          _("Only closed cases become stories."), field="reference")

    def invalid(message, field):
        return DomainError(QualityError.INVALID_STORY, message, field=field)

    if not title.strip() or not text.strip():
        raise invalid(_("A story needs a title and its text."), "text")
    if key_outcome not in StoryOutcome.values:
        raise invalid(_("Say whether it was a success or a failure."), "key_outcome")
    if key_principle not in Principle.values:
        raise invalid(_("Choose the principle involved."), "key_principle")
    if key_outcome == StoryOutcome.FAILURE and key_strategy is None:
        raise invalid(_("For a failure, choose the strategy that would fix it."),
                      "key_strategy")
    clean = {"names": _case_names(case), "addresses": [case.address]}
    now = clock.now()
    try:
        with transaction.atomic():
            return Story.objects.create(
                case=case, title=anonymise(title.strip(), **clean)[:NAME_MAX],
                text=anonymise(text.strip(), **clean)[:TEXT_MAX], key_outcome=key_outcome,
                key_principle=key_principle,
                key_strategy=key_strategy if key_outcome == StoryOutcome.FAILURE else None,
                explanation=anonymise(explanation.strip(), **clean), created_by=actor,
                created_at=now, published_at=now if publish else None)
    except IntegrityError as exc:
        raise DomainError(QualityError.STORY_EXISTS,
                          _("Case %(ref)s is already a story.") % {"ref": case.reference},
                          field="reference") from exc


@transaction.atomic
def story_publish(*, story: Story, actor: Staff) -> Story:
    access.require(actor, "write_stories")
    if story.created_by_id != actor.pk and actor.role != Role.ADMINISTRATOR:
        raise _forbidden(_("Only the author publishes a story."))
    if story.published_at is None:
        story.published_at = clock.now()
        story.save(update_fields=["published_at"])
    return story


@transaction.atomic
def story_answer(*, story: Story, actor: Staff, outcome: str, principle: str,
                 strategy: Strategy | None = None) -> StoryAnswer:
    """Score a staff member's classification against the key, once, in their record."""
    access.require(actor, "learn")
    if story.published_at is None:
        raise DomainError(QualityError.NOT_FOUND, _("This story is not published."))
    if story.created_by_id == actor.pk:
        raise DomainError(QualityError.INVALID_ANSWER,
                          _("You wrote this story's classification; it is for others to answer."))
    if outcome not in StoryOutcome.values or principle not in Principle.values:
        raise DomainError(QualityError.INVALID_ANSWER,
                          _("Say whether it was a success or failure, and the principle."),
                          field="outcome")
    if outcome == StoryOutcome.FAILURE and strategy is None:
        raise DomainError(QualityError.INVALID_ANSWER,
                          _("For a failure, choose the strategy that would fix it."),
                          field="strategy")
    strategy = strategy if outcome == StoryOutcome.FAILURE else None
    key = Classification(story.key_outcome, story.key_principle,
                         story.key_strategy.code if story.key_strategy_id else None)
    points, out_of = story_points(key, Classification(outcome, principle,
                                                      strategy.code if strategy else None))
    try:
        with transaction.atomic():
            return StoryAnswer.objects.create(
                story=story, staff=actor, outcome=outcome, principle=principle,
                strategy=strategy, points=points, out_of=out_of, answered_at=clock.now())
    except IntegrityError as exc:
        raise DomainError(QualityError.ALREADY_ANSWERED,
                          _("You have already answered this story.")) from exc
