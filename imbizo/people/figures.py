"""What the institution sees of people's development: aggregates only.

No figure names a person, and none rests on fewer people than
MIN_ANSWERS_SHOWN (core.evidence): a department with fewer people assessed
shows "too few people" instead of a distribution one could read a person
from.
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery

from imbizo.core.evidence import enough_answers
from imbizo.org.models import Staff

from .assessment_models import AssessmentKind, AssessmentRating
from .framework import current_version
from .plan_models import Plan


@dataclass
class Distribution:
    label: str
    people: int
    shown: bool
    counts: list[dict] = field(default_factory=list)  # rank, name, people, share
    levels: list[dict] = field(default_factory=list)  # rank, name: the columns


def _current_staff():
    return Staff.objects.filter(active=True, left_at__isnull=True)


def plan_share() -> dict:
    """The share of current staff with an agreed, open development plan."""
    staff = _current_staff()
    totals = staff.aggregate(
        people=Count("pk"),
        with_plan=Count("pk", filter=Q(pk__in=Plan.objects.filter(
            closed_at__isnull=True, person_agreed_at__isnull=False,
            manager_agreed_at__isnull=False).values("subject_id"))))
    people, with_plan = totals["people"], totals["with_plan"]
    shown = enough_answers(people)
    return {"people": people, "with_plan": with_plan if shown else None, "shown": shown,
            "share": round(100 * with_plan / people) if shown and people else None}


def level_distributions(competency_code: str = "service-orientation") -> list[Distribution]:
    """How many current staff stand at each level of a competency by their
    manager's latest assessment: for the institution, then per department;
    a group of fewer than MIN_ANSWERS_SHOWN people is not broken down."""
    version = current_version()
    if version is None:
        return []
    competency = version.competencies.filter(code=competency_code).prefetch_related("levels").first()
    if competency is None:
        return []
    latest = (AssessmentRating.objects
              .filter(assessment__subject=OuterRef("pk"), assessment__kind=AssessmentKind.MANAGER,
                      competency__code=competency_code)
              .order_by("-assessment__assessed_on", "-assessment_id").values("level__rank")[:1])
    rows = (_current_staff().annotate(rank=Subquery(latest)).filter(rank__isnull=False)
            .values("department__name", "rank").annotate(n=Count("pk")))
    levels = list(competency.levels.all())
    groups: dict[str, dict[int, int]] = {}
    for row in rows:
        name = row["department__name"] or ""
        groups.setdefault(name, {})
        groups[name][row["rank"]] = groups[name].get(row["rank"], 0) + row["n"]
    overall: dict[int, int] = {}
    for counts in groups.values():
        for rank, n in counts.items():
            overall[rank] = overall.get(rank, 0) + n

    def build(label, counts):
        people = sum(counts.values())
        shown = enough_answers(people)
        columns = [{"rank": level.rank, "name": level.name} for level in levels]
        return Distribution(label=label, people=people, shown=shown, levels=columns, counts=[
            {"rank": level.rank, "name": level.name, "people": counts.get(level.rank, 0),
             "share": round(100 * counts.get(level.rank, 0) / people) if people else 0}
            for level in levels] if shown else [])

    from django.utils.translation import gettext as _

    result = [build(_("Whole institution"), overall)]
    result += [build(name or _("No department"), counts) for name, counts in sorted(groups.items())]
    return result
