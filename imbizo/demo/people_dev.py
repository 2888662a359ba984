"""The demo's reporting lines, assessments and development plans (issue 20).

Every demo staff member reports to someone: officers, agents and field
workers to their office's supervisor (the `officer` login to the
`supervisor` login), supervisors and the other department heads to their
department's head or the `manager` login, who is the top of the line.
Each person has a few months of self and manager assessments and an open
plan; `officer` and `supervisor` have the full picture (colleagues' and
clients' views, evidence, recognition linked to a plan activity).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from imbizo.core import clock
from imbizo.org.models import Role, Staff
from imbizo.people.access_models import RecordView
from imbizo.people.assessment_models import (
    Assessment,
    AssessmentEvidence,
    AssessmentKind,
    AssessmentRating,
)
from imbizo.people.evidence import evidence_candidates
from imbizo.people.framework import competencies_of, current_version
from imbizo.people.framework_models import Activity
from imbizo.people.plan_models import ItemStatus, Plan, PlanItem, PlanItemEvidence

# Days before today of the demo's assessment rounds, oldest first.
ROUNDS = (150, 60, 10)


def _reporting_lines(staff: list[Staff]) -> None:
    by_login = {s.user.username: s for s in staff}
    top = by_login.get("manager")
    supervisor_of: dict[int, Staff] = {}
    for s in staff:
        if s.role == Role.SUPERVISOR and s.office_id and s.office_id not in supervisor_of:
            supervisor_of[s.office_id] = s
    if "supervisor" in by_login:  # the demo login leads its office
        login = by_login["supervisor"]
        supervisor_of[login.office_id] = login
    head_of: dict[int, Staff] = {s.department_id: s for s in staff
                                 if s.role == Role.MANAGER and s.department_id}
    if top is not None and top.department_id:
        head_of[top.department_id] = top
    for s in staff:
        if s is top:
            s.manager = None
        elif s.role in (Role.OFFICER, Role.AGENT) and s.office_id in supervisor_of:
            s.manager = supervisor_of[s.office_id]
        elif s.role == Role.SUPERVISOR:
            lead = supervisor_of.get(s.office_id)
            s.manager = lead if lead not in (None, s) else head_of.get(s.department_id, top)
        else:
            s.manager = top
        if s.manager is not None and s.manager.pk == s.pk:
            s.manager = top if s is not top else None
    Staff.objects.bulk_update(staff, ["manager"], batch_size=500)


@transaction.atomic
def people_dev_build(*, seed: int, until_day: datetime.date | None = None) -> dict[str, int]:
    """Reporting lines, assessments and plans for the demo; counts of what was made."""
    version = current_version()
    if version is None:
        return {}
    rng = random.Random(f"{seed}:people")
    today = until_day or clock.now().date()
    staff = list(Staff.objects.select_related("user").filter(active=True).order_by("pk"))
    _reporting_lines(staff)
    competencies = competencies_of(version)
    levels = {c.pk: {lv.rank: lv for lv in c.levels.all()} for c in competencies}
    full = {"officer", "supervisor"}

    assessments, ratings = [], []
    for s in staff:
        base = {c.pk: rng.randint(1, max(1, max(levels[c.pk]) - 2)) for c in competencies}
        rounds = ROUNDS if s.user.username in full or rng.random() < 0.5 else ROUNDS[1:]
        for i, days in enumerate(rounds):
            growth = i  # people grow a little from round to round
            kinds = [AssessmentKind.SELF]
            if s.manager_id:
                kinds.append(AssessmentKind.MANAGER)
            if s.user.username in full and i == len(rounds) - 1:
                kinds += [AssessmentKind.PEER, AssessmentKind.CLIENT]
            for kind in kinds:
                author = {AssessmentKind.SELF: s, AssessmentKind.PEER: None}.get(kind, s.manager)
                a = Assessment(subject=s, author=author, kind=kind, version=version,
                               assessed_on=today - datetime.timedelta(days=days + rng.randint(0, 4)),
                               note="")
                assessments.append(a)
                for c in competencies:
                    top = max(levels[c.pk])
                    rank = base[c.pk] + (growth + 1) // 2 + (1 if kind == AssessmentKind.SELF else 0)
                    rank = max(1, min(top, rank - (rng.random() < 0.3 and kind != "self")))
                    ratings.append((a, c, levels[c.pk][rank]))
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    AssessmentRating.objects.bulk_create(
        [AssessmentRating(assessment=a, competency=c, level=lv) for a, c, lv in ratings],
        batch_size=2000)

    activities = list(Activity.objects.filter(active=True).order_by("order"))
    now = timezone.now()
    plans, items = [], []
    for s in staff:
        agreed = s.manager_id is not None and (s.user.username in full or rng.random() < 0.6)
        plans.append(Plan(subject=s, created_by=s, goal="",
                          person_agreed_at=now if agreed or rng.random() < 0.3 else None,
                          manager_agreed_by_id=s.manager_id if agreed else None,
                          manager_agreed_at=now if agreed else None))
    Plan.objects.bulk_create(plans, batch_size=1000)
    for plan in plans:
        chosen = rng.sample(activities[:9], 3)
        for i, activity in enumerate(chosen):
            due = today + datetime.timedelta(days=[-5, 14, 45][i])
            status = [ItemStatus.DONE, ItemStatus.DOING, ItemStatus.PLANNED][i]
            items.append(PlanItem(plan=plan, activity=activity, due_on=due, status=status))
    PlanItem.objects.bulk_create(items, batch_size=2000)

    linked = _full_pictures([s for s in staff if s.user.username in full], today)
    return {"reporting lines": sum(1 for s in staff if s.manager_id),
            "assessments": len(assessments), "plans": len(plans), "evidence links": linked}


def _full_pictures(people: list[Staff], today: datetime.date) -> int:
    """The officer's and supervisor's plans get a goal, an activity in hand
    and evidence from their own records (a recognition where there is one)."""
    linked = 0
    for s in people:
        if s.manager_id:  # the manager looked: the person's page lists it
            RecordView.objects.bulk_create([
                RecordView(at=timezone.now() - datetime.timedelta(days=days, hours=2),
                           viewer_id=s.manager_id, subject=s, what=what)
                for days, what in ((40, "record"), (12, "assessment form"), (12, "record"),
                                   (2, "development plan"))])
        plan = Plan.objects.filter(subject=s).first()
        plan.goal = "Keep residents informed without being asked"
        plan.save(update_fields=["goal"])
        candidates = evidence_candidates(s, per_kind=2)
        latest = Assessment.objects.filter(subject=s, kind=AssessmentKind.MANAGER).order_by(
            "-assessed_on").first()
        if latest is not None:
            rows = [AssessmentEvidence(assessment=latest, kind=c["kind"], object_id=c["object_id"],
                                       label=c["label"]) for c in candidates[:3]]
            AssessmentEvidence.objects.bulk_create(rows)
            latest.note = "Follows cases through and calls residents back; could ask more questions first."
            latest.save(update_fields=["note"])
            linked += len(rows)
        done = plan.items.filter(status=ItemStatus.DONE).first()
        recognition = [c for c in candidates if c["kind"] == "nomination"] or candidates[:1]
        if done is not None and recognition:
            done.note = "Explained the water restriction schedule to a pensioner in person."
            done.save(update_fields=["note"])
            PlanItemEvidence.objects.bulk_create(
                [PlanItemEvidence(item=done, kind=c["kind"], object_id=c["object_id"],
                                  label=c["label"]) for c in recognition])
            linked += len(recognition)
    return linked
