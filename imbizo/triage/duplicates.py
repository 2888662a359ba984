"""Find open cases that may be the same problem as a new report.

Candidates come from one set-based query: open, unmerged cases of the same
service or a service of the same group, opened within the service's time
window, inside a bounding box around the point (or in the same ward, for a
service whose window is the whole ward). The query is led by the indexes
case_service_opened (service, opened_at) and case_ward_opened (ward,
opened_at); at most CANDIDATES_MAX rows come back, newest first. Only those
are re-ranked here, by place, time, service and the words (character
trigrams), so the cost does not grow with the table. See docs/duplicates.md.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from imbizo.cases.disclosure import PUBLIC_CASES
from imbizo.cases.models import Case
from imbizo.cases.selectors import case_scope
from imbizo.cases.transitions import OPEN_STATUSES
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.geo.selectors import ward_id_at

from .duplicates_models import DuplicateScope
from .duplicates_windows import Window, window_of

CANDIDATES_MAX = 200
# A hit scores at least this (0..1); below it the reports are too different.
SCORE_MIN = 0.5
# How much each kind of evidence weighs in the score (they add up to 1).
WEIGHT_TEXT, WEIGHT_PLACE, WEIGHT_TIME, WEIGHT_SERVICE = 0.40, 0.25, 0.15, 0.20
METRES_PER_DEGREE = 111_320.0
SUMMARY_MAX = 160


@dataclass(frozen=True)
class DuplicateHit:
    case_id: int
    reference: str
    score: float  # 0..1, higher = more likely the same problem
    distance_m: float | None
    opened_at: datetime
    service_code: str = ""
    # The candidate's words (its public text when the search is public_only),
    # cut to SUMMARY_MAX; callers mask contact details as their page requires.
    summary: str = ""


def duplicates_find(*, service, description: str, lat=None, lon=None, ward=None,
                    exclude_case_id: int | None = None, public_only: bool = False,
                    limit: int = 5, viewer=None, now: datetime | None = None,
                    ) -> list[DuplicateHit]:
    """Open cases that may report the same problem as a new report of `service`
    at the point (lat, lon) or in `ward` (a Ward or its id), best first, at most `limit`.

    `public_only`: only cases the public may see (cases.disclosure), compared
    by their public text, never a case its reporter kept private. `viewer`
    (a Staff): only cases in their scope. Two queries at most: the window and
    the candidates (a third to find the ward of a point, for ward windows).
    """
    window = window_of(service.pk)
    if window.off:
        return []
    now = now or clock.now()
    has_point = lat is not None and lon is not None
    ward_id = getattr(ward, "pk", ward)  # a Ward or its id
    if ward_id is None and has_point and window.scope == DuplicateScope.WARD:
        ward_id = ward_id_at(lat=lat, lon=lon)
    rows = _candidates(service=service, window=window, now=now, lat=lat, lon=lon,
                       has_point=has_point, ward_id=ward_id, exclude_case_id=exclude_case_id,
                       public_only=public_only, viewer=viewer)
    if rows is None:
        return []
    grams = trigrams(description)
    hits = []
    for case_id, reference, service_id, c_lat, c_lon, opened_at, text in rows:
        distance = (distance_m(lat, lon, c_lat, c_lon)
                    if has_point and c_lat is not None and c_lon is not None else None)
        if window.scope == DuplicateScope.DISTANCE and has_point and (
                distance is None or distance > window.distance_m):
            continue  # the corner of the box, outside the circle
        score = _score(window=window, distance=distance, age=now - opened_at,
                       same_service=service_id == service.pk,
                       text=similarity(grams, trigrams(text)))
        if score >= SCORE_MIN:
            hits.append(DuplicateHit(
                case_id=case_id, reference=reference, score=round(score, 3),
                distance_m=None if distance is None else round(distance, 1),
                opened_at=opened_at, service_code=_code_of(service_id),
                summary=_summary(text)))
    hits.sort(key=lambda h: (-h.score, -h.opened_at.timestamp()))
    return hits[:limit]


def _candidates(*, service, window: Window, now, lat, lon, has_point, ward_id,
                exclude_case_id, public_only, viewer):
    """The candidate rows, or None when the report has no place to compare."""
    cases = Case.objects.filter(
        service_id__in=related_service_ids(service),
        opened_at__gte=now - timedelta(hours=window.hours), opened_at__lte=now,
        status__in=sorted(map(str, OPEN_STATUSES)), parent__isnull=True,
    )
    if window.scope == DuplicateScope.DISTANCE and has_point:
        dlat = window.distance_m / METRES_PER_DEGREE
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        cases = cases.filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
    elif ward_id is not None:
        # A ward window, or a report without a point: the same ward.
        cases = cases.filter(ward_id=ward_id)
    else:
        return None
    if exclude_case_id is not None:
        cases = cases.exclude(pk=exclude_case_id)
    text_field = "description"
    if public_only:
        cases = cases.filter(PUBLIC_CASES).exclude(public_description="")
        text_field = "public_description"
    if viewer is not None:
        cases = cases.filter(case_scope(viewer))
    return list(cases.order_by("-opened_at").values_list(
        "id", "reference", "service_id", "lat", "lon", "opened_at", text_field,
    )[:CANDIDATES_MAX])


def related_service_ids(service) -> list[int]:
    """The service and the active services of its group (from the catalogue snapshot)."""
    if not service.group:
        return [service.pk]
    ids = {s.pk for s in catalogue_snapshot().services.values() if s.group == service.group}
    return sorted(ids | {service.pk})


def _code_of(service_id: int) -> str:
    for s in catalogue_snapshot().services.values():
        if s.pk == service_id:
            return s.code
    return ""


def _score(*, window: Window, distance: float | None, age: timedelta, same_service: bool,
           text: float) -> float:
    """Weighted evidence, 0..1 (a pure function: tests pin its shape)."""
    if window.scope == DuplicateScope.DISTANCE and distance is not None:
        place = 1.0 - distance / max(window.distance_m, 1)
    elif window.scope == DuplicateScope.WARD:
        place = 1.0  # the window says: anywhere in the ward is the same place
    else:
        place = 0.5  # only the ward is known: near, perhaps
    hours = max(age.total_seconds() / 3600, 0.0)
    when = max(0.0, 1.0 - hours / max(window.hours, 1))
    return (WEIGHT_TEXT * text + WEIGHT_PLACE * place + WEIGHT_TIME * when
            + WEIGHT_SERVICE * (1.0 if same_service else 0.5))


_NOT_WORD = re.compile(r"[\W_]+")


def trigrams(text: str) -> frozenset[str]:
    """The character trigrams of `text`, lower-cased, accents and punctuation
    dropped, each word padded (as PostgreSQL's pg_trgm does): robust to typos
    and to words shared across languages."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    grams = set()
    for word in _NOT_WORD.sub(" ", folded).split():
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two trigram sets, 0..1."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(h)))


def _summary(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX - 1].rstrip() + "…"
