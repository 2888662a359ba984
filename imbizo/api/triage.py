"""Triage: the services, urgency, Batho Pele principles and language a
description suggests, and the open cases it may duplicate (docs/duplicates.md,
docs/triage.md)."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.errors import DomainError
from imbizo.geo.selectors import ward_id_at
from imbizo.triage.duplicates import duplicates_find
from imbizo.triage.suggest import MAX_DESCRIPTION, clean_description, suggest

from .errors import READ_ERRORS, error_body
from .security import read_key

router = Router(tags=["triage"])

DUPLICATES_MAX = 5


class TriageIn(Schema):
    description: str = Field(description=f"The citizen's words, 1 to {MAX_DESCRIPTION} characters.")
    lat: float | None = Field(None, description="Latitude (WGS84) of the problem, if known.")
    long: float | None = Field(None, description="Longitude (WGS84); give it with lat.")
    service_code: str | None = Field(
        None, description="The service already chosen, if any: duplicates are looked for "
                          "in it rather than in the first suggestion.")


class ServiceGuessOut(Schema):
    code: str
    name: str
    confidence: float = Field(description="0 to 1.")


class DuplicateOut(Schema):
    reference: str
    score: float = Field(description="0 to 1: how likely the same problem.")
    distance_m: float | None = Field(description="Metres from the point given; null "
                                                 "without a point.")
    opened_at: datetime


class TriageOut(Schema):
    services: list[ServiceGuessOut] = Field(description="Best first, at most 3; empty below "
                                                        "the confidence threshold.")
    urgency: str = Field(description="A priority code: urgent, high, normal or low.")
    principles: list[str] = Field(description="Batho Pele principle codes.")
    language: str = Field(description="Official language code, or empty when unsure.")
    duplicates: list[DuplicateOut] = Field(description="Open cases that may report the same "
                                                       "problem, best first.")
    model: str = Field(description="Version of the model used; empty when none.")
    reason: str = Field(description="Why no service is suggested; empty when some are.")


def _bad(code: str, field: str, message: str):
    return Status(400, error_body((code, field, message)))


@router.post("/triage", response={200: TriageOut, **READ_ERRORS}, auth=read_key,
             summary="Suggest the service and find duplicates", operation_id="triage")
def triage(request, payload: TriageIn):
    try:
        description = clean_description(payload.description)
    except DomainError as exc:
        return _bad(exc.code, "description", exc.message)
    if (payload.lat is None) != (payload.long is None):
        return _bad("point_incomplete", "lat" if payload.lat is None else "long",
                    _("Give both lat and long, or neither."))
    services = catalogue_snapshot().services
    chosen = None
    if payload.service_code:
        chosen = services.get(payload.service_code)
        if chosen is None:
            return _bad("unknown_service", "service_code",
                        _("No active service has the code %(code)s.")
                        % {"code": payload.service_code[:64]})
    ward_id = None
    if payload.lat is not None:
        ward_id = ward_id_at(lat=payload.lat, lon=payload.long)
        if ward_id is None:
            return _bad("outside_wards", "lat",
                        _("The point is outside every ward of the institution."))
    try:
        suggestion = suggest(description=description, lat=payload.lat, lon=payload.long,
                             service_code=payload.service_code)
    except DomainError as exc:
        return _bad(exc.code, exc.field or "description", exc.message)
    service = chosen or (services.get(suggestion.services[0].code)
                         if suggestion.services else None)
    hits = []
    if service is not None:
        hits = duplicates_find(service=service, description=description, lat=payload.lat,
                               lon=payload.long, ward=ward_id,
                               viewer=request.auth, limit=DUPLICATES_MAX)
    return {
        "services": [{"code": g.code, "name": g.name, "confidence": round(g.confidence, 3)}
                     for g in suggestion.services[:3]],
        "urgency": suggestion.urgency,
        "principles": list(suggestion.principles),
        "language": suggestion.language,
        "duplicates": [{"reference": h.reference, "score": h.score, "distance_m": h.distance_m,
                        "opened_at": h.opened_at} for h in hits],
        "model": suggestion.model,
        "reason": suggestion.reason,
    }

