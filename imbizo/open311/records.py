"""Our services, cases and events as GeoReport v2 records (plain dicts in the
specification's field order), with what the public may see decided by
cases.disclosure and nothing personal in them."""

from datetime import datetime
from zoneinfo import ZoneInfo

from imbizo.cases.disclosure import case_disclosure, contact_details_masked, public_text
from imbizo.cases.links import track_link
from imbizo.cases.models import Case, CaseEvent, EventKind, StatusChoice
from imbizo.catalogue.models import Service

from .statuses import extended_status, open311_status


def instant(value: datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 with the institution's offset, to the second."""
    return value.astimezone(tz).isoformat(timespec="seconds") if value else None


def _or_none(text: str | None) -> str | None:
    return text if text else None


def service_record(service: Service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": _or_none(service.description),
        "metadata": bool(service.metadata or getattr(service, "has_attributes", False)),
        "type": service.open311_type,
        "keywords": _or_none(service.keywords),
        "group": _or_none(service.group),
    }


def definition_record(service: Service) -> dict:
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": _or_none(attribute.datatype_description),
                "order": attribute.order,
                "description": attribute.description,
                "values": [{"key": str(v["key"]), "name": str(v.get("name") or v["key"])}
                           for v in attribute.values or []],
            }
            for attribute in service.definition
        ],
    }


def _ward_centre(case: Case) -> tuple[float | None, float | None]:
    if case.ward is None:
        return None, None
    return case.ward.centroid_lat, case.ward.centroid_lon


def _agency(case: Case) -> str | None:
    department = case.office.department if case.office else case.service.department
    return department.name if department else None


def _status_words(case: Case) -> str:
    words = str(StatusChoice(case.status).label)
    if case.outcome:
        words += f" ({case.get_outcome_display()})"
    return words


def request_record(case: Case, *, tz: ZoneInfo, extensions: bool = False) -> dict:
    """`case` as a service request. Needs the selector's select_related and
    `latest_public_note`; with `extensions`, its prefetched `public_events`."""
    disclosure = case_disclosure(case)
    if disclosure.exact_location:
        lat, lon, address = case.lat, case.lon, contact_details_masked(case.address)
    else:
        (lat, lon), address = _ward_centre(case), None
    note = getattr(case, "latest_public_note", None)
    record = {
        "service_request_id": case.reference,
        "status": open311_status(case.status).value,
        "status_notes": contact_details_masked(note) if note else _status_words(case),
        "service_name": case.service.name,
        "service_code": case.service.code,
        "description": public_text(case),
        "agency_responsible": _agency(case),
        "service_notice": case.standard.pledge if case.standard_id else None,
        "requested_datetime": instant(case.opened_at, tz),
        "updated_datetime": instant(case.updated_at, tz),
        "expected_datetime": instant(case.resolve_due_at, tz) if case.is_open else None,
        "address": _or_none(address),
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": case.media_urls[0] if disclosure.media and case.media_urls else None,
    }
    if extensions:
        record.update({
            "extended_status": extended_status(case.status, case.outcome).value,
            "status_words": _status_words(case),
            "channel": case.channel,
            "ward_code": case.ward.code if case.ward else None,
            "ward_name": case.ward.name if case.ward else None,
            "duplicate_of": case.parent.reference if case.parent_id else None,
            "tracking_url": tracking_url(case),
            "notes": [_note_record(event, tz) for event in case.public_events],
        })
    return record


def tracking_url(case: Case) -> str:
    return track_link(case.reference)


def _event_words(event: CaseEvent) -> str:
    if event.to_status:
        return str(StatusChoice(event.to_status).label)
    return str(EventKind(event.kind).label)


def _note_record(event: CaseEvent, tz: ZoneInfo) -> dict:
    return {
        "datetime": instant(event.at, tz),
        "kind": event.kind,
        "status": event.to_status or None,
        "description": contact_details_masked(event.note) if event.note else _event_words(event),
    }


def update_record(event: CaseEvent, *, tz: ZoneInfo) -> dict:
    """A public event as a FixMyStreet service request update. Needs the
    selector's `status_then` (the case's status after the event)."""
    status = event.status_then or event.case.status
    if event.kind == EventKind.MERGED:
        state = "DUPLICATE"
    else:
        outcome = (event.details or {}).get("outcome") or event.case.outcome
        state = extended_status(status, outcome).value
    return {
        "update_id": str(event.pk),
        "service_request_id": event.case.reference,
        "status": state,
        "updated_datetime": instant(event.at, tz),
        "description": contact_details_masked(event.note) if event.note else _event_words(event),
        "media_url": None,
    }
