"""What the time log, feedback and contact notes give to a person's own export
and take away under the leaver retention rule (people.export)."""

from django.db.models import Q

from imbizo.org.models import Staff

from .export import register_export, register_retention
from .feedback_models import FeedbackRequest
from .reflection_models import ContactReflection, ExtraStep
from .timelog_models import TimeLogEntry, TimeLogWeek


def _time_log(staff: Staff) -> list[dict]:
    weeks = {w.pk: {"week_start": w.week_start.isoformat(), "goal_share": w.goal_share,
                    "goal_note": w.goal_note, "saved_at": w.saved_at.isoformat(), "entries": []}
             for w in TimeLogWeek.objects.filter(staff=staff).order_by("week_start")}
    for week_id, day, kind, hours, suggested in (
            TimeLogEntry.objects.filter(week_id__in=weeks).order_by("day", "kind")
            .values_list("week_id", "day", "kind", "hours", "suggested_hours")):
        weeks[week_id]["entries"].append({"day": day, "kind": kind, "hours": str(hours),
                                          "suggested_hours": str(suggested)})
    return list(weeks.values())


def _feedback(staff: Staff) -> list[dict]:
    """Requests the person made and answers they gave (each with the other's name:
    both sides of a conversation the person took part in)."""
    rows = []
    for r in (FeedbackRequest.objects.filter(Q(asker=staff) | Q(giver=staff))
              .select_related("asker__user", "giver__user").order_by("asked_at")):
        rows.append({"role": "asked" if r.asker_id == staff.pk else "was_asked",
                     "asker": str(r.asker), "giver": str(r.giver), "relation": r.relation,
                     "question": r.question, "asked_at": r.asked_at.isoformat(),
                     "answered_at": r.answered_at.isoformat() if r.answered_at else None,
                     "start": r.start, "stop": r.stop, "keep": r.keep, "comment": r.comment})
    return rows


def _reflections(staff: Staff) -> list[dict]:
    return [{"week_start": r.week_start.isoformat(), "pick": r.pick, "contact_id": r.contact_id,
             "what_i_did": r.what_i_did, "do_differently": r.do_differently,
             "shared": r.shared, "written_at": r.written_at.isoformat()}
            for r in ContactReflection.objects.filter(staff=staff).order_by("week_start", "pick")]


def _extras(staff: Staff) -> list[dict]:
    return [{"done_on": e.done_on.isoformat(), "contact_id": e.contact_id, "note": e.note,
             "shared": e.shared, "written_at": e.written_at.isoformat()}
            for e in ExtraStep.objects.filter(staff=staff).order_by("done_on", "pk")]


def _forget(staff_ids: list[int]) -> int:
    """Delete leavers' logs, notes and the feedback they asked for. Answers a
    leaver gave to colleagues who stay are the colleagues' record: kept."""
    deleted = 0
    for queryset in (TimeLogWeek.objects.filter(staff_id__in=staff_ids),
                     ContactReflection.objects.filter(staff_id__in=staff_ids),
                     ExtraStep.objects.filter(staff_id__in=staff_ids),
                     FeedbackRequest.objects.filter(asker_id__in=staff_ids)):
        deleted += queryset.delete()[0]
    return deleted


def register() -> None:
    register_export("time_log", _time_log)
    register_export("feedback", _feedback)
    register_export("contact_reflections", _reflections)
    register_export("extra_steps", _extras)
    register_retention(_forget)
