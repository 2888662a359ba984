"""Cases: list (filtered, paginated), read, open, change status, update the citizen."""

from datetime import datetime
from typing import Literal

from ninja import Field, Path, Query, Router, Schema, Status

from imbizo.cases import selectors as case_selectors
from imbizo.cases import services as case_services
from imbizo.cases.disclosure import public_text
from imbizo.cases.intake import CaseDraft
from imbizo.cases.links import track_link
from imbizo.cases.models import Case, ClientType, Kind, Outcome, Principle, Priority, StatusChoice
from imbizo.cases.selectors import CaseFilter, Span, case_get_for, case_public_events
from imbizo.catalogue.models import Channel
from imbizo.core.limits import ADDRESS_MAX, LINE_MAX, MESSAGE_MAX, NAME_MAX, TEXT_MAX
from imbizo.integrations.selectors import key_may_use_service, key_sees_personal_data

from .errors import READ_ERRORS, WRITE_ERRORS
from .pagination import Page, PageParams, page
from .security import read_key, write_key
from .types import Instant, query_checked

router = Router(tags=["cases"])

KindCode = Literal[tuple(Kind.values)]
ChannelCode = Literal[tuple(Channel.values)]
StatusCode = Literal[tuple(StatusChoice.values)]
PriorityCode = Literal[tuple(Priority.values)]
ClientTypeCode = Literal[tuple(ClientType.values)]
PrincipleCode = Literal[tuple(Principle.values)]
OutcomeCode = Literal[tuple(Outcome.values)]


class CasePersonal(Schema):
    """What the citizen told us. Only for keys with the `personal` scope."""

    description: str = Field(description="What was said, as typed; may be staff's private "
                                         "intake note.")
    public_description: str | None = Field(
        description="What the public reads (Open311, the tracking page), contact details "
                    "masked; null when the case publishes no text (docs/adr/0017).")
    attributes: dict
    address: str
    lat: float | None
    lon: float | None
    citizen_name: str
    citizen_phone: str
    citizen_email: str
    contact_consent: bool


class CaseOut(Schema):
    reference: str
    kind: str
    channel: str
    service: str = Field(description="Service code.")
    status: str
    outcome: str | None
    priority: str
    client_type: str
    ward: str | None = Field(description="Ward code, when the case has a location.")
    office: str | None = Field(description="Code of the office handling the case.")
    parent: str | None = Field(description="Reference of the incident it was merged into.")
    principles: list[str]
    anonymous: bool
    kept_private: bool = Field(description="The citizen asked that nothing be published.")
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    ack_due_at: datetime | None
    update_due_at: datetime | None
    resolve_due_at: datetime | None
    overdue: bool = Field(description="The resolution deadline passed before it was resolved.")
    escalation_level: int
    track_url: str = Field(description="The citizen's tracking page.")
    personal: CasePersonal | None = Field(
        description="Null unless the key has the `personal` scope.")


class EventOut(Schema):
    kind: str
    at: datetime
    from_status: str
    to_status: str
    note: str = Field(description="Text the citizen was shown (public events only).")


class CaseDetailOut(CaseOut):
    events: list[EventOut] = Field(description="The public history, oldest first.")


def case_out(case: Case, *, personal: bool) -> dict:
    return {
        "reference": case.reference, "kind": case.kind, "channel": case.channel,
        "service": case.service.code, "status": case.status, "outcome": case.outcome or None,
        "priority": case.priority, "client_type": case.client_type,
        "ward": case.ward.code if case.ward_id else None,
        "office": case.office.code if case.office_id else None,
        "parent": case.parent.reference if case.parent_id else None,
        "principles": list(case.principles or ()), "anonymous": case.anonymous,
        "kept_private": case.kept_private,
        "opened_at": case.opened_at, "acknowledged_at": case.acknowledged_at,
        "resolved_at": case.resolved_at, "closed_at": case.closed_at,
        "updated_at": case.updated_at, "ack_due_at": case.ack_due_at,
        "update_due_at": case.update_due_at, "resolve_due_at": case.resolve_due_at,
        "overdue": case.resolve_breached_at is not None, "escalation_level": case.escalation_level,
        "track_url": track_link(case.reference),
        "personal": {
            "description": case.description, "public_description": public_text(case),
            "attributes": case.attributes or {},
            "address": case.address, "lat": case.lat, "lon": case.lon,
            "citizen_name": case.citizen_name, "citizen_phone": case.citizen_phone,
            "citizen_email": case.citizen_email, "contact_consent": case.contact_consent,
        } if personal else None,
    }


def case_detail_out(case: Case, *, personal: bool) -> dict:
    events = [{"kind": e.kind, "at": e.at, "from_status": e.from_status,
               "to_status": e.to_status, "note": e.note}
              for e in case_public_events(case=case)]
    return {**case_out(case, personal=personal), "events": events}


def _codes(values: list[str]) -> tuple[str, ...]:
    """Repeated parameters and comma lists alike: ?status=a&status=b or ?status=a,b."""
    return tuple(dict.fromkeys(v.strip() for value in values for v in value.split(",")
                               if v.strip()))


class CaseQuery(Schema):
    status: list[str] = Field([], description="Status codes (repeat or comma list).")
    service: list[str] = Field([], description="Service codes.")
    ward: list[str] = Field([], description="Ward codes.")
    office: list[str] = Field([], description="Office codes.")
    kind: list[str] = Field([], description="Kinds: request, complaint, ...")
    opened_after: Instant | None = Field(None, description="Opened at or after (with offset).")
    opened_before: Instant | None = None
    updated_after: Instant | None = None
    updated_before: Instant | None = None


@router.get("/cases", response={200: Page[CaseOut], **READ_ERRORS}, auth=read_key,
            summary="List cases", operation_id="case_list")
@query_checked
def case_list(request, filters: Query[CaseQuery], paging: Query[PageParams]):
    """Cases this key may see, newest first. A key with a department sees that
    department's cases only."""
    cases = case_selectors.case_list(viewer=request.auth, filters=CaseFilter(
        status=_codes(filters.status), service=_codes(filters.service),
        ward=_codes(filters.ward), office=_codes(filters.office), kind=_codes(filters.kind),
        opened=Span(filters.opened_after, filters.opened_before),
        updated=Span(filters.updated_after, filters.updated_before),
    ))
    rows, next_cursor = page(cases, paging)
    personal = key_sees_personal_data(request.auth)
    return {"items": [case_out(c, personal=personal) for c in rows], "next_cursor": next_cursor}


@router.get("/cases/{reference}", response={200: CaseDetailOut, **READ_ERRORS},
            auth=read_key, summary="Read a case", operation_id="case_get")
@query_checked
def case_get(request, reference: str = Path(..., max_length=20)):
    case = case_get_for(viewer=request.auth, reference=reference)
    return case_detail_out(case, personal=key_sees_personal_data(request.auth))


class CaseIn(Schema):
    service_code: str = Field(max_length=64)
    description: str = Field(max_length=TEXT_MAX)
    kind: KindCode = Kind.REQUEST.value
    channel: ChannelCode = Channel.API.value
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", max_length=ADDRESS_MAX)
    ward: str = Field("", max_length=32, description=(
        "Ward code, when there is no point (a point's own ward wins). A request or complaint "
        "about a service with needs_place must have a point or a ward, or place_unknown."))
    place_unknown: bool = Field(False, description="The caller cannot say where it is.")
    citizen_name: str = Field("", max_length=NAME_MAX)
    citizen_phone: str = Field("", max_length=40)
    citizen_email: str = Field("", max_length=254)
    contact_consent: bool = False
    anonymous: bool = False
    public_description: str | None = Field(
        None, max_length=TEXT_MAX,
        description="What the public may read. Omitted: the description itself, except for "
                    "channels where staff write (hotline, walk_in, field, outreach), which "
                    "publish nothing unless given. Empty: publish no text.")
    kept_private: bool = Field(False, description="Publish nothing of this case.")
    client_type: ClientTypeCode = ClientType.EXTERNAL.value
    priority: PriorityCode = Priority.NORMAL.value
    attributes: dict[str, str | float | list[str]] = Field(
        {}, description="Answers to the service's questions, by attribute code.")
    principles: list[PrincipleCode] = Field([], max_length=len(Principle.values))
    idempotency_key: str | None = Field(
        None, min_length=1, max_length=64,
        description="Send the same key again and the first case comes back (no duplicate).")


@router.post("/cases", response={201: CaseDetailOut, **WRITE_ERRORS}, auth=write_key,
             summary="Open a case", operation_id="case_create")
def case_create(request, payload: CaseIn):
    """Opens a case as any channel would: ward from the location, office from
    the routing rules, deadlines from the service standard in force, and the
    citizen's acknowledgement queued."""
    key = request.auth
    key_may_use_service(key=key, service_code=payload.service_code)
    draft = CaseDraft(**payload.model_dump(exclude={"idempotency_key", "principles", "ward"}),
                      principles=tuple(payload.principles), ward_code=payload.ward,
                      place_asked=True)
    case = case_services.case_open(
        draft=draft,
        idempotency_key=f"api:{key.pk}:{payload.idempotency_key}" if payload.idempotency_key
        else None,
    )
    case = case_get_for(viewer=key, reference=case.reference)
    return Status(201, case_detail_out(case, personal=key_sees_personal_data(key)))


class StatusIn(Schema):
    status: Literal["acknowledged", "in_progress", "waiting_citizen", "waiting_third_party",
                    "resolved", "closed", "reopened"]
    note: str = Field("", max_length=TEXT_MAX,
                      description="Shown to the citizen; required for waiting and reopened.")
    outcome: OutcomeCode | None = Field(None, description="Required to resolve.")
    reason: str = Field("", max_length=TEXT_MAX, description="Why it was not fixed.")
    referred_to: str = Field("", max_length=LINE_MAX)
    root_cause: str = Field("", max_length=TEXT_MAX)
    redress: str = Field("", max_length=TEXT_MAX)


def _change_status(case: Case, change: StatusIn) -> Case:
    """The one status entry point of cases.services (its transition table decides)."""
    return case_services.case_status_change(
        case=case, to=change.status, actor=None, note=change.note,
        resolution=case_services.Resolution(
            outcome=change.outcome or "", reason=change.reason, referred_to=change.referred_to,
            root_cause=change.root_cause, redress=change.redress),
    )


@router.post("/cases/{reference}/status", response={200: CaseDetailOut, **WRITE_ERRORS},
             auth=write_key, summary="Change a case's status", operation_id="case_status")
def case_status(request, payload: StatusIn, reference: str = Path(..., max_length=20)):
    """Moves the case through the same life-cycle as the back office: a move
    the life-cycle forbids answers 409."""
    key = request.auth
    case = case_get_for(viewer=key, reference=reference)
    _change_status(case, payload)
    case = case_get_for(viewer=key, reference=reference)
    return case_detail_out(case, personal=key_sees_personal_data(key))


class UpdateIn(Schema):
    message: str = Field(min_length=1, max_length=MESSAGE_MAX,
                         description="Shown on the tracking page and sent to the citizen.")


@router.post("/cases/{reference}/updates", response={201: CaseDetailOut, **WRITE_ERRORS},
             auth=write_key, summary="Send the citizen an update", operation_id="case_update")
def case_update(request, payload: UpdateIn, reference: str = Path(..., max_length=20)):
    key = request.auth
    case = case_get_for(viewer=key, reference=reference)
    case_services.case_update_citizen(case=case, actor=None, message=payload.message)
    case = case_get_for(viewer=key, reference=reference)
    return Status(201, case_detail_out(case, personal=key_sees_personal_data(key)))

