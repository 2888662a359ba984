"""Assessments: services that record one, and selectors for the person's
picture over time and the gap between how they see themselves and how
others see them.

Who may record which kind:
- self: the person;
- manager: the person's manager;
- peer: a colleague (any active staff member other than the person), or the
  manager writing down what a colleague said;
- client evidence: the manager, reading the person's contacts and ratings.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.org.models import Staff

from .assessment_models import Assessment, AssessmentEvidence, AssessmentKind, AssessmentRating
from .errors import PeopleError
from .evidence import evidence_resolve
from .framework import competencies_of, current_version_or_error
from .framework_models import FrameworkVersion, Level

# How far back an assessment may be dated.
MAX_BACKDATE_DAYS = 366


def may_assess(author: Staff, subject: Staff, kind: str) -> bool:
    if not author.active or subject.left_at is not None:
        return False
    is_manager = subject.manager_id == author.pk
    if kind == AssessmentKind.SELF:
        return author.pk == subject.pk
    if kind == AssessmentKind.MANAGER:
        return is_manager
    if kind == AssessmentKind.PEER:
        return author.pk != subject.pk
    if kind == AssessmentKind.CLIENT:
        return is_manager
    return False


def kinds_for(author: Staff, subject: Staff) -> list[str]:
    return [k for k in AssessmentKind.values if may_assess(author, subject, k)]


@transaction.atomic
def assessment_create(*, author: Staff, subject: Staff, kind: str, levels: dict[str, int],
                      evidence: list[str] = (), note: str = "",
                      assessed_on: date | None = None) -> Assessment:
    """Record an assessment of `subject` against the current framework: a
    level (its rank) for each competency code in `levels`. Everything is
    checked before anything is stored."""
    if kind not in AssessmentKind.values:
        raise DomainError(PeopleError.NOT_ALLOWED, _("Unknown kind of assessment."), field="kind")
    if kind == AssessmentKind.PEER and author.pk == subject.pk:
        raise DomainError(PeopleError.SELF_AS_PEER,
                          _("A colleague's view must come from someone else: use a self-assessment."),
                          field="kind")
    if not may_assess(author, subject, kind):
        raise DomainError(PeopleError.NOT_ALLOWED,
                          _("Only the person assesses themself, and only their manager records "
                            "a manager's or the clients' view."), field="kind")
    today = timezone.localdate()
    assessed_on = assessed_on or today
    if assessed_on > today:
        raise DomainError(PeopleError.INVALID_DATE, _("An assessment cannot be dated in the future."),
                          field="assessed_on")
    if (today - assessed_on).days > MAX_BACKDATE_DAYS:
        raise DomainError(PeopleError.INVALID_DATE,
                          _("An assessment may be dated at most a year back."), field="assessed_on")
    version = current_version_or_error()
    chosen = _checked_levels(version, levels)
    links = evidence_resolve(subject, evidence)
    assessment = Assessment.objects.create(subject=subject, author=author, kind=kind,
                                           version=version, assessed_on=assessed_on,
                                           note=note.strip())
    AssessmentRating.objects.bulk_create(
        AssessmentRating(assessment=assessment, competency=competency, level=level)
        for competency, level in chosen)
    AssessmentEvidence.objects.bulk_create(
        AssessmentEvidence(assessment=assessment, **link) for link in links)
    return assessment


def _checked_levels(version: FrameworkVersion, levels: dict[str, int]) -> list[tuple]:
    competencies = {c.code: c for c in competencies_of(version)}
    if not levels:
        raise DomainError(PeopleError.MISSING_LEVEL,
                          _("Choose a level for at least one competency."), field="levels")
    chosen = []
    for code, rank in levels.items():
        competency = competencies.get(code)
        if competency is None:
            raise DomainError(PeopleError.NOT_IN_FRAMEWORK,
                              _("“%(code)s” is not a competency of the framework (version "
                                "%(version)s).") % {"code": str(code)[:40],
                                                    "version": version.number},
                              field="levels")
        by_rank = {level.rank: level for level in competency.levels.all()}
        try:
            level = by_rank[int(rank)]
        except (KeyError, TypeError, ValueError):
            ranks = sorted(by_rank)
            raise DomainError(
                PeopleError.LEVEL_OUTSIDE_FRAMEWORK,
                _("Level %(rank)s is outside the framework for %(name)s: its levels run from "
                  "%(low)s to %(high)s.") % {"rank": str(rank)[:10], "name": competency.name,
                                             "low": ranks[0] if ranks else "-",
                                             "high": ranks[-1] if ranks else "-"},
                field=f"level_{code}") from None
        chosen.append((competency, level))
    return chosen


# --- selectors -----------------------------------------------------------------------------


def assessments_of(subject: Staff, *, limit: int | None = None) -> list[Assessment]:
    """The subject's assessments, newest first, with their ratings (levels,
    competencies), evidence and authors: four queries."""
    queryset = (Assessment.objects.filter(subject=subject)
                .select_related("author__user", "version")
                .prefetch_related(
                    Prefetch("ratings", AssessmentRating.objects.select_related(
                        "competency", "level").order_by("competency__order", "competency_id")),
                    "evidence")
                .order_by("-assessed_on", "-id"))
    return list(queryset[:limit] if limit else queryset)


@dataclass
class GapRow:
    code: str
    name: str
    top: int
    self_rank: int | None = None
    others: dict[str, int] = field(default_factory=dict)  # kind -> rank (latest of each)

    @property
    def others_mean(self) -> float | None:
        return round(sum(self.others.values()) / len(self.others), 1) if self.others else None

    @property
    def gap(self) -> float | None:
        """Self minus others' mean: above zero, the person rates themself higher."""
        if self.self_rank is None or self.others_mean is None:
            return None
        return round(self.self_rank - self.others_mean, 1)

    def share(self, rank: int | float | None) -> int:
        return round(100 * (rank or 0) / self.top) if self.top else 0

    @property
    def bars(self) -> list[dict]:
        rows = [{"kind": AssessmentKind.SELF.label, "rank": self.self_rank,
                 "share": self.share(self.self_rank), "self": True}]
        rows += [{"kind": AssessmentKind(k).label, "rank": r, "share": self.share(r), "self": False}
                 for k, r in self.others.items()]
        return rows


def gap_of(assessments: list[Assessment]) -> list[GapRow]:
    """For each competency (by code, across framework versions): the latest
    self level, the latest level of each other kind, and the gap between
    them. Reads the assessments already loaded (newest first)."""
    rows: dict[str, GapRow] = {}
    tops = _tops(assessments)
    for assessment in assessments:
        for rating in assessment.ratings.all():
            competency = rating.competency
            row = rows.get(competency.code)
            if row is None:
                row = rows[competency.code] = GapRow(code=competency.code, name=competency.name,
                                                     top=0)
            row.top = max(row.top, tops.get(competency.pk, 0))
            if assessment.kind == AssessmentKind.SELF:
                if row.self_rank is None:
                    row.self_rank = rating.level.rank
            elif assessment.kind not in row.others:
                row.others[assessment.kind] = rating.level.rank
    return list(rows.values())


def _tops(assessments: list[Assessment]) -> dict[int, int]:
    """The highest level of each competency the assessments rate, in one query."""
    ids = {r.competency_id for a in assessments for r in a.ratings.all()}
    return dict(Level.objects.filter(competency_id__in=ids).values("competency_id")
                .annotate(top=Max("rank")).values_list("competency_id", "top"))


def history_of(assessments: list[Assessment]) -> list[dict]:
    """The picture over time: per competency, one row per assessment (oldest
    first) with its kind, date and level."""
    by_code: dict[str, dict] = {}
    tops = _tops(assessments)
    for assessment in reversed(assessments):
        for rating in assessment.ratings.all():
            entry = by_code.setdefault(rating.competency.code,
                                       {"name": rating.competency.name, "top": 0, "points": []})
            entry["top"] = max(entry["top"], tops.get(rating.competency_id, 0))
            entry["points"].append({"on": assessment.assessed_on, "kind": assessment.kind,
                                    "kind_label": assessment.get_kind_display(),
                                    "rank": rating.level.rank, "level": rating.level.name})
    for entry in by_code.values():
        for point in entry["points"]:
            point["share"] = round(100 * point["rank"] / entry["top"]) if entry["top"] else 0
    return list(by_code.values())
