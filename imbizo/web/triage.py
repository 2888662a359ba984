"""What triage shows beside a form being filled in (the agent intake and the
public report form): the services the words suggest and the open cases that
may be the same problem. Both doors read the form's own fields, so a form
sent back without JavaScript ("check for similar reports") shows the same.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from imbizo.cases.disclosure import contact_details_masked
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.errors import DomainError
from imbizo.geo.selectors import ward_id_for_code
from imbizo.triage.duplicates import duplicates_find
from imbizo.triage.suggest import ServiceGuess, Suggestion, suggest

# Fewer words than this and the panel says nothing: a guess from two words is noise.
DESCRIPTION_MIN = 8
SHOWN_DUPLICATES_STAFF = 5
SHOWN_DUPLICATES_PUBLIC = 3


@dataclass(frozen=True)
class ShownDuplicate:
    reference: str
    service_name: str
    summary: str
    opened_at: datetime
    distance_m: float | None
    score: float


@dataclass(frozen=True)
class TriageView:
    chosen: str  # the service code chosen on the form, "" when none
    guesses: list[ServiceGuess] = field(default_factory=list)
    duplicates: list[ShownDuplicate] = field(default_factory=list)
    model: str = ""
    reason: str = ""
    urgency: str = ""
    urgency_reasons: list[str] = field(default_factory=list)
    looked: bool = False  # there were enough words to look

    @property
    def suggested_codes(self) -> list[str]:
        return [g.code for g in self.guesses]

    @property
    def other_guesses(self) -> list[ServiceGuess]:
        """The guesses that are not the service already chosen ("did you mean")."""
        return [g for g in self.guesses if g.code != self.chosen]


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def form_triage(data, *, viewer=None, public: bool = False) -> TriageView:
    """Triage of a form's data (a QueryDict or dict holding description,
    service, lat, lon, ward). `public`: only public cases, by their public
    text; otherwise the cases `viewer` (a Staff) may see. Contact details in
    another case's words are always masked: the agent is serving someone else."""
    services = catalogue_snapshot().services
    chosen = str(data.get("service") or "")[:64]
    chosen = chosen if chosen in services else ""
    description = str(data.get("description") or "").strip()
    if len(description) < DESCRIPTION_MIN:
        return TriageView(chosen=chosen)
    suggestion = suggestion_for(description, service_code=chosen or None)
    service = services.get(chosen) or (services.get(suggestion.services[0].code)
                                       if suggestion.services else None)
    lat, lon = _float(data.get("lat")), _float(data.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    ward_code = str(data.get("ward") or "")[:32]
    ward_id = ward_id_for_code(ward_code) if ward_code and lat is None else None
    hits = []
    if service is not None and (lat is not None or ward_id is not None):
        hits = duplicates_find(
            service=service, description=description, lat=lat, lon=lon, ward=ward_id,
            public_only=public, viewer=None if public else viewer,
            limit=SHOWN_DUPLICATES_PUBLIC if public else SHOWN_DUPLICATES_STAFF)
    return TriageView(
        chosen=chosen, guesses=list(suggestion.services[:3]), model=suggestion.model,
        reason=suggestion.reason, urgency=suggestion.urgency,
        urgency_reasons=list(suggestion.urgency_reasons), looked=True,
        duplicates=shown_duplicates(hits))


def shown_duplicates(hits) -> list[ShownDuplicate]:
    """DuplicateHits as a page shows them: the service's name, and the words
    with contact details masked."""
    names = {s.code: s.name for s in catalogue_snapshot().services.values()}
    return [ShownDuplicate(reference=h.reference, service_name=names.get(h.service_code, ""),
                           summary=contact_details_masked(h.summary), opened_at=h.opened_at,
                           distance_m=h.distance_m, score=h.score) for h in hits]


def suggestion_for(description: str, *, service_code: str | None = None) -> Suggestion:
    """suggest(), or an empty suggestion when the text cannot be read (too long:
    the form says so itself)."""
    try:
        return suggest(description=description, service_code=service_code)
    except DomainError as exc:
        return Suggestion(services=[], urgency="", reason=exc.message)


PICK = "pick_service"  # a suggestion button ("did you mean ...?"): the service it names


def picked(data):
    """The form data with the service a suggestion button named, and the form
    sent back unchecked (to its questions step); None when no suggestion
    button was pressed. Shared by the report form and the agent intake."""
    code = str(data.get(PICK) or "")[:64]
    if not code:
        return None
    data = data.copy()
    data["service"] = code
    data["step"] = "questions"
    return data
