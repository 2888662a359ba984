"""Reads of the field app: progress against targets, devices, the supervisor's
queues, and needs figures for the public map and ward pages (from rollups)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from imbizo.core.evidence import min_answers_shown
from imbizo.geo.models import Ward

from .models import (
    FieldAssignment,
    FieldConflict,
    FieldDevice,
    FieldNeedDaily,
    FieldRecord,
    FieldVisitDaily,
    NeedCategory,
)


@dataclass(frozen=True)
class WardProgress:
    ward_id: int
    code: str
    name: str
    region: str
    target: int
    visited: int
    workers: int

    @property
    def percent(self) -> int | None:
        """Households visited as a whole percentage of the target (None without a target)."""
        if not self.target:
            return None
        return min(100, round(100 * self.visited / self.target))


def ward_progress(*, since: datetime.date | None = None) -> list[WardProgress]:
    """Every ward with an assignment: its target (summed over assignments), the
    households visited (from the rollup, since `since` when given) and how
    many workers are assigned. Three queries, whatever the number of wards."""
    targets = {row["ward_id"]: row for row in FieldAssignment.objects.values("ward_id").annotate(
        target=Sum("target_households"), workers=Count("worker_id", distinct=True))}
    visits = FieldVisitDaily.objects.filter(ward_id__in=list(targets))
    if since is not None:
        visits = visits.filter(day__gte=since)
    visited = dict(visits.values("ward_id").annotate(n=Sum("households"))
                   .values_list("ward_id", "n"))
    wards = Ward.objects.filter(pk__in=list(targets)).select_related("region").order_by("code")
    return [WardProgress(ward_id=w.pk, code=w.code, name=w.name,
                         region=w.region.name if w.region else "",
                         target=targets[w.pk]["target"] or 0, visited=visited.get(w.pk) or 0,
                         workers=targets[w.pk]["workers"]) for w in wards]


def assignments_list():
    """Every assignment with its worker and ward, by ward."""
    return (FieldAssignment.objects.select_related("worker", "ward")
            .order_by("ward__code", "street", "worker__username"))


def devices_list():
    """Live devices, the longest unseen first, with their worker."""
    return (FieldDevice.objects.filter(revoked_at__isnull=True).select_related("worker")
            .order_by("last_seen_at", "id"))


def conflicts_open():
    """Conflicts waiting for a supervisor, oldest first, with their record."""
    return (FieldConflict.objects.filter(resolved_at__isnull=True)
            .select_related("record", "record__form", "record__ward", "worker")
            .order_by("received_at", "id"))


def records_outside_wards():
    """Records whose point is in no ward (or that have no ward), newest first."""
    return (FieldRecord.objects.filter(outside_wards=True)
            .select_related("worker", "ward", "form").order_by("-received_at", "-id"))


def counts_waiting() -> dict[str, int]:
    """How many conflicts and outside-ward records wait, in one query each."""
    return {"conflicts": FieldConflict.objects.filter(resolved_at__isnull=True).count(),
            "outside": FieldRecord.objects.filter(outside_wards=True).count()}


# Needs figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class NeedShare:
    code: str
    label: str
    service_group: str
    households: int
    share: float | None  # of the visited households; None below the evidence minimum


@dataclass(frozen=True)
class AreaNeeds:
    key: str  # ward code or region code
    name: str
    visited: int
    needs: tuple[NeedShare, ...]
    shown: bool  # enough visits to show shares (the evidence minimum)

    def top(self, n: int = 3) -> tuple[NeedShare, ...]:
        ranked = sorted((s for s in self.needs if s.households), key=lambda s: -s.households)
        return tuple(ranked[:n])


def need_categories() -> list[NeedCategory]:
    """The need categories in their order, with the service group of each."""
    return list(NeedCategory.objects.order_by("position", "code"))


def _period(qs, since, until):
    if since is not None:
        qs = qs.filter(day__gte=since)
    if until is not None:
        qs = qs.filter(day__lt=until)
    return qs


@dataclass(frozen=True)
class NeedsFigures:
    categories: tuple[NeedCategory, ...]
    wards: tuple[AreaNeeds, ...]  # by ward code
    regions: tuple[AreaNeeds, ...]  # by region name

    def top_need(self) -> str:
        """The code of the need with the highest share in any region (shown
        first: where a need stands out, not the need every region shares);
        "" when no region has enough visits."""
        best = max(((s.share, -i, s.code) for area in self.regions if area.shown
                    for i, s in enumerate(area.needs) if s.share), default=None)
        return best[2] if best else (self.categories[0].code if self.categories else "")


def _area(key, name, visited, reported, categories, minimum) -> AreaNeeds:
    shown = visited >= minimum
    return AreaNeeds(key=key, name=name, visited=visited, shown=shown, needs=tuple(
        NeedShare(code=c.code, label=c.label, service_group=c.service_group,
                  households=reported.get(c.code, 0),
                  share=(reported.get(c.code, 0) / visited) if shown and visited else None)
        for c in categories))


def needs_figures(*, since: datetime.date | None = None, until: datetime.date | None = None,
                  ward_ids: list[int] | None = None, minimum: int | None = None) -> NeedsFigures:
    """Visited households and the share reporting each need, by ward and by
    region, from the rollups, for days in [since, until). Areas with fewer
    than `minimum` (MIN_ANSWERS_SHOWN) visits keep their count but show no
    shares. Three queries, whatever the number of wards."""
    minimum = min_answers_shown() if minimum is None else minimum
    visits = _period(FieldVisitDaily.objects.all(), since, until)
    needs = _period(FieldNeedDaily.objects.all(), since, until)
    if ward_ids is not None:
        visits, needs = visits.filter(ward_id__in=ward_ids), needs.filter(ward_id__in=ward_ids)
    wards = {}
    for ward_id, code, name, region_code, region_name, n in (
            visits.values("ward_id").annotate(n=Sum("households"))
            .values_list("ward_id", "ward__code", "ward__name", "ward__region__code",
                         "ward__region__name", "n")):
        if n:
            wards[ward_id] = (code, name, region_code or "", region_name or "", n)
    reported: dict[int, dict[str, int]] = {}
    for ward_id, need, n in (needs.values("ward_id", "need").annotate(n=Sum("households"))
                             .values_list("ward_id", "need", "n")):
        reported.setdefault(ward_id, {})[need] = n or 0
    categories = tuple(need_categories())
    ward_areas, region_visits, region_reported, region_names = [], {}, {}, {}
    for ward_id, (code, name, region_code, region_name, n) in wards.items():
        ward_areas.append(_area(code, name, n, reported.get(ward_id, {}), categories, minimum))
        if region_code:
            region_names[region_code] = region_name
            region_visits[region_code] = region_visits.get(region_code, 0) + n
            into = region_reported.setdefault(region_code, {})
            for need, count in reported.get(ward_id, {}).items():
                into[need] = into.get(need, 0) + count
    region_areas = [_area(code, region_names[code], region_visits[code],
                          region_reported.get(code, {}), categories, minimum)
                    for code in region_visits]
    return NeedsFigures(categories=categories,
                        wards=tuple(sorted(ward_areas, key=lambda a: a.key)),
                        regions=tuple(sorted(region_areas, key=lambda a: a.name)))


def ward_needs(*, ward: Ward, minimum: int | None = None, since: datetime.date | None = None,
               until: datetime.date | None = None) -> AreaNeeds | None:
    """The needs figures of one ward, or None when no household there was visited."""
    found = needs_figures(ward_ids=[ward.pk], since=since, until=until, minimum=minimum).wards
    return found[0] if found else None


def visited_outside_wards() -> int:
    """Household visits that count in no ward (shown as a footnote, never lost)."""
    return FieldRecord.objects.filter(Q(ward__isnull=True), household=True).count()
