"""This part's entries in the person's export and in the leaver retention
run (people.export's registries), registered in apps.py."""

from django.db.models import Q

from .access_models import RecordView
from .assessment_models import Assessment
from .plan_models import Plan


def export_assessments(staff) -> list[dict]:
    rows = []
    for a in (Assessment.objects.filter(subject=staff).select_related("author__user", "version")
              .prefetch_related("ratings__competency", "ratings__level", "evidence")
              .order_by("assessed_on", "id")):
        rows.append({
            "date": a.assessed_on.isoformat(), "kind": a.kind, "by": str(a.author or ""),
            "framework_version": a.version.number, "note": a.note,
            "levels": [{"competency": r.competency.name, "level": r.level.rank,
                        "level_name": r.level.name} for r in a.ratings.all()],
            "evidence": [{"kind": e.kind, "id": e.object_id, "label": e.label}
                         for e in a.evidence.all()],
        })
    return rows


def export_plans(staff) -> list[dict]:
    rows = []
    for p in (Plan.objects.filter(subject=staff)
              .prefetch_related("items__activity", "items__evidence").order_by("created_at")):
        rows.append({
            "started": p.created_at.isoformat(), "goal": p.goal,
            "agreed_by_person": p.person_agreed_at.isoformat() if p.person_agreed_at else None,
            "agreed_by_manager": p.manager_agreed_at.isoformat() if p.manager_agreed_at else None,
            "closed": p.closed_at.isoformat() if p.closed_at else None,
            "activities": [{"activity": i.activity.title, "due": i.due_on.isoformat(),
                            "status": i.status, "note": i.note,
                            "evidence": [{"kind": e.kind, "id": e.object_id, "label": e.label}
                                         for e in i.evidence.all()]}
                           for i in p.items.all()],
        })
    return rows


def export_record_views(staff) -> list[dict]:
    return [{"at": v.at.isoformat(), "by": str(v.viewer), "what": v.what}
            for v in RecordView.objects.filter(subject=staff).select_related("viewer__user")]


def retain(staff_ids: list[int]) -> int:
    """Delete the leavers' assessments, plans and access log."""
    deleted = 0
    for queryset in (Assessment.objects.filter(subject_id__in=staff_ids),
                     Plan.objects.filter(subject_id__in=staff_ids),
                     RecordView.objects.filter(Q(subject_id__in=staff_ids))):
        deleted += queryset.delete()[0]
    return deleted
