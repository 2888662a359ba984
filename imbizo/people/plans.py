"""Development plans: chosen by the person with their manager from the
activity library, agreed by both, followed through with status and evidence.

A change to the activities of an agreed plan asks both to agree again: what
was agreed is what the plan says.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.org.models import Staff

from .access import can_view
from .errors import PeopleError
from .evidence import evidence_resolve
from .framework_models import Activity
from .plan_models import ItemStatus, Plan, PlanItem, PlanItemEvidence

# How far ahead an activity may be due.
MAX_DUE_DAYS = 366


def _require_access(actor: Staff, subject: Staff) -> None:
    if not can_view(actor, subject):
        raise DomainError(PeopleError.NOT_ALLOWED,
                          _("Only the person and their manager work on a development plan."))


def _require_open(plan: Plan) -> None:
    if plan.closed_at is not None:
        raise DomainError(PeopleError.PLAN_CLOSED, _("This plan is closed."))


def open_plan(subject: Staff) -> Plan | None:
    """The subject's current plan (the newest not closed), with its items."""
    return (Plan.objects.filter(subject=subject, closed_at__isnull=True)
            .select_related("manager_agreed_by__user")
            .prefetch_related(Prefetch("items", PlanItem.objects.select_related("activity")
                                       .prefetch_related("evidence").order_by("due_on", "id")))
            .order_by("-created_at", "-id").first())


@transaction.atomic
def plan_start(*, actor: Staff, subject: Staff, goal: str = "") -> Plan:
    """The subject's open plan, started now if there is none."""
    _require_access(actor, subject)
    if subject.left_at is not None:
        raise DomainError(PeopleError.NOT_ALLOWED, _("This person has left the institution."))
    # Lock the person's row so that two clicks start one plan.
    Staff.objects.select_for_update().filter(pk=subject.pk).first()
    plan = Plan.objects.filter(subject=subject, closed_at__isnull=True).order_by("-created_at").first()
    if plan is None:
        plan = Plan.objects.create(subject=subject, created_by=actor, goal=goal.strip())
    elif goal.strip():
        plan.goal = goal.strip()
        plan.save(update_fields=["goal"])
    return plan


def _reset_agreement(plan: Plan) -> None:
    if plan.person_agreed_at or plan.manager_agreed_at:
        plan.person_agreed_at = plan.manager_agreed_at = None
        plan.manager_agreed_by = None
        plan.save(update_fields=["person_agreed_at", "manager_agreed_at", "manager_agreed_by"])


def check_due(due_on: date | None, *, today: date | None = None) -> date:
    today = today or timezone.localdate()
    if due_on is None:
        raise DomainError(PeopleError.INVALID_DATE, _("Give a due date."), field="due_on")
    if due_on < today:
        raise DomainError(PeopleError.DUE_IN_PAST,
                          _("The due date %(date)s is in the past: choose today or a later day.")
                          % {"date": due_on.isoformat()}, field="due_on")
    if due_on > today + timedelta(days=MAX_DUE_DAYS):
        raise DomainError(PeopleError.INVALID_DATE,
                          _("An activity may be due at most a year ahead."), field="due_on")
    return due_on


@transaction.atomic
def plan_item_add(*, actor: Staff, plan: Plan, activity_id: int, due_on: date | None) -> PlanItem:
    """Add an activity of the library to the plan (both agree again)."""
    _require_access(actor, plan.subject)
    _require_open(plan)
    activity = Activity.objects.filter(pk=activity_id, active=True).first()
    if activity is None:
        raise DomainError(PeopleError.UNKNOWN_ACTIVITY,
                          _("Choose an activity of the library."), field="activity")
    check_due(due_on)
    if plan.items.filter(activity=activity).exists():
        raise DomainError(PeopleError.DUPLICATE_ACTIVITY,
                          _("“%(title)s” is already in the plan.") % {"title": activity.title},
                          field="activity")
    item = PlanItem.objects.create(plan=plan, activity=activity, due_on=due_on)
    _reset_agreement(plan)
    return item


@transaction.atomic
def plan_item_remove(*, actor: Staff, item: PlanItem) -> None:
    plan = item.plan
    _require_access(actor, plan.subject)
    _require_open(plan)
    item.delete()
    _reset_agreement(plan)


@transaction.atomic
def plan_agree(*, actor: Staff, plan: Plan) -> Plan:
    """The person's or their manager's agreement to the plan as it stands."""
    _require_access(actor, plan.subject)
    _require_open(plan)
    if not plan.items.exists():
        raise DomainError(PeopleError.EMPTY_PLAN,
                          _("Add at least one activity before agreeing the plan."))
    now = timezone.now()
    if actor.pk == plan.subject_id:
        plan.person_agreed_at = now
        plan.save(update_fields=["person_agreed_at"])
    else:  # the manager (can_view allows nobody else)
        plan.manager_agreed_by = actor
        plan.manager_agreed_at = now
        plan.save(update_fields=["manager_agreed_by", "manager_agreed_at"])
    return plan


@transaction.atomic
def plan_item_update(*, actor: Staff, item: PlanItem, status: str, note: str = "",
                     evidence: list[str] = ()) -> PlanItem:
    """Move an activity on (status, what was done) and link evidence to it,
    such as a recognition (quality's nominations) of the person."""
    plan = item.plan
    _require_access(actor, plan.subject)
    _require_open(plan)
    if status not in ItemStatus.values:
        raise DomainError(PeopleError.NOT_ALLOWED, _("Unknown status."), field="status")
    links = evidence_resolve(plan.subject, evidence)
    item.status = status
    if note.strip():
        item.note = note.strip()
    item.save(update_fields=["status", "note", "updated_at"])
    have = set(item.evidence.values_list("kind", "object_id"))
    PlanItemEvidence.objects.bulk_create(
        PlanItemEvidence(item=item, **link) for link in links
        if (link["kind"], link["object_id"]) not in have)
    return item


@transaction.atomic
def plan_close(*, actor: Staff, plan: Plan) -> Plan:
    _require_access(actor, plan.subject)
    _require_open(plan)
    plan.closed_at = timezone.now()
    plan.save(update_fields=["closed_at"])
    return plan


def activities_for(levels: dict[str, int] | None = None):
    """The library, the activities suiting the person's levels first (those
    within one level of where they are)."""
    activities = list(Activity.objects.filter(active=True).order_by("level", "order", "id"))
    if not levels:
        return activities

    def fit(activity):
        rank = levels.get(activity.competency_code)
        return 0 if rank is not None and abs(activity.level - rank) <= 1 else 1

    return sorted(activities, key=fit)


# --- the manager's view of the team's plans --------------------------------------------------


@dataclass
class TeamRow:
    person: Staff
    plan: Plan | None
    items: int = 0
    done: int = 0
    overdue: int = 0
    last_assessed: date | None = None


def team_plans(team) -> list[TeamRow]:
    """For each person of `team` (a queryset of Staff): their open plan with
    its counts, and the date of their latest assessment: three queries."""
    from .assessment_models import Assessment

    people = list(team)
    today = timezone.localdate()
    plans = {p.subject_id: p for p in (
        Plan.objects.filter(subject__in=[p.pk for p in people], closed_at__isnull=True)
        .annotate(n_items=Count("items"),
                  n_done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
                  n_overdue=Count("items", filter=Q(items__due_on__lt=today)
                                  & Q(items__status__in=[ItemStatus.PLANNED, ItemStatus.DOING])))
        .order_by("subject_id", "created_at"))}  # the newest open plan wins
    latest = dict(Assessment.objects.filter(subject__in=[p.pk for p in people])
                  .values("subject_id").annotate(on=Max("assessed_on"))
                  .values_list("subject_id", "on"))
    rows = []
    for person in people:
        plan = plans.get(person.pk)
        rows.append(TeamRow(person=person, plan=plan,
                            items=getattr(plan, "n_items", 0), done=getattr(plan, "n_done", 0),
                            overdue=getattr(plan, "n_overdue", 0),
                            last_assessed=latest.get(person.pk)))
    return rows
