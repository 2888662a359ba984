"""Service interruptions: list, read, record, update, restore (docs/api.md).

Interruptions are public facts (no personal data): any read key sees them
all; a write key with a department records only its department's services.
"""

from datetime import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from imbizo.catalogue.models import Priority, Service
from imbizo.core.errors import DomainError
from imbizo.core.limits import LINE_MAX, MESSAGE_MAX
from imbizo.integrations.errors import IntegrationError
from imbizo.outreach import interruption_selectors as selectors
from imbizo.outreach import interruptions as services
from imbizo.outreach.interruption_models import (
    Interruption,
    InterruptionKind,
    InterruptionStatus,
)

from .errors import READ_ERRORS, WRITE_ERRORS, error_body
from .pagination import Page, PageParams, page
from .security import read_key, write_key
from .types import Instant, query_checked

router = Router(tags=["interruptions"])

KindCode = Literal[tuple(InterruptionKind.values)]
PriorityCode = Literal[tuple(Priority.values)]


class UpdateOut(Schema):
    change: str = Field(description="announced, started, updated, restored or cancelled.")
    text: str
    at: datetime


class InterruptionOut(Schema):
    id: int
    service: str = Field(description="Service code.")
    wards: list[str] = Field(description="Ward codes.")
    kind: str
    status: str = Field(description="announced, in_progress, restored or cancelled.")
    title: str
    public_text: str = Field(description="What citizens are told.")
    starts_at: datetime
    expected_restoration_at: datetime
    restored_at: datetime | None
    announced_at: datetime | None = Field(
        description="When the wards were told (planned ones: the service's lead time "
                    "before the start).")
    restoration_target_at: datetime | None = Field(
        description="When the service standard in force says it must be back.")
    updated_at: datetime
    url: str = Field(description="The public page.")


class InterruptionDetailOut(InterruptionOut):
    updates: list[UpdateOut] = Field(description="What citizens were told, oldest first.")


def interruption_out(interruption: Interruption) -> dict:
    return {
        "id": interruption.pk, "service": interruption.service.code,
        "wards": [w.code for w in interruption.wards.all()],
        "kind": interruption.kind, "status": interruption.status,
        "title": interruption.title, "public_text": interruption.public_text,
        "starts_at": interruption.starts_at,
        "expected_restoration_at": interruption.expected_restoration_at,
        "restored_at": interruption.restored_at, "announced_at": interruption.announced_at,
        "restoration_target_at": services.restoration_target(interruption),
        "updated_at": interruption.updated_at,
        "url": services.interruption_link(interruption),
    }


def _detail(pk: int) -> dict:
    interruption = selectors.interruption_get(pk=pk)
    if interruption is None:
        raise DomainError("not_found", _("There is no interruption %(id)s.") % {"id": pk})
    return {**interruption_out(interruption),
            "updates": [{"change": u.change, "text": u.text, "at": u.at}
                        for u in selectors.interruption_updates(interruption)]}


class InterruptionQuery(Schema):
    status: Literal[tuple(InterruptionStatus.values)] | None = None
    service: str = Field("", max_length=64, description="Service code.")
    ward: str = Field("", max_length=32, description="Ward code.")


@router.get("/interruptions", response={200: Page[InterruptionOut], **READ_ERRORS},
            auth=read_key, summary="List service interruptions",
            operation_id="interruption_list")
@query_checked
def interruption_list(request, filters: Query[InterruptionQuery], paging: Query[PageParams]):
    """Newest first."""
    rows, next_cursor = page(selectors.interruption_list_api(
        status=filters.status or "", service_code=filters.service, ward_code=filters.ward),
        paging)
    return {"items": [interruption_out(i) for i in rows], "next_cursor": next_cursor}


@router.get("/interruptions/{interruption_id}",
            response={200: InterruptionDetailOut, **READ_ERRORS}, auth=read_key,
            summary="Read a service interruption", operation_id="interruption_get")
@query_checked
def interruption_get(request, interruption_id: int = Path(..., ge=1, le=2**62)):
    return _detail(interruption_id)


class InterruptionIn(Schema):
    service_code: str = Field(max_length=64)
    wards: list[str] = Field([], max_length=500, description="Ward codes; at least one, "
                             "unless `area` is given.")
    area: dict | None = Field(None, description="A GeoJSON Polygon or MultiPolygon geometry: "
                              "the wards it touches are added to `wards`.")
    kind: KindCode
    title: str = Field(max_length=LINE_MAX)
    public_text: str = Field(max_length=MESSAGE_MAX, description="What citizens are told.")
    starts_at: Instant
    expected_restoration_at: Instant
    priority: PriorityCode = Field(Priority.URGENT.value, description=(
        "Which of the standard's targets applies to the restoration."))
    idempotency_key: str | None = Field(
        None, min_length=1, max_length=64,
        description="Send the same key again and the first interruption comes back.")


def _service_for(key, code: str) -> Service | None:
    service = Service.objects.filter(code=code, active=True).first()
    if service is not None and key.department_id is not None \
            and service.department_id != key.department_id:
        raise DomainError(IntegrationError.OUTSIDE_DEPARTMENT, _(
            "This API key may only record interruptions of its own department's services."),
            field="service_code")
    return service


def _problems_response(problems: list[DomainError]):
    return Status(422, error_body(*((p.code, _api_field(p.field), p.message)
                                    for p in problems)))


def _api_field(field: str | None) -> str | None:
    return "service_code" if field == "service" else field


@router.post("/interruptions", response={201: InterruptionDetailOut, **WRITE_ERRORS},
             auth=write_key, summary="Record a service interruption",
             operation_id="interruption_create")
def interruption_create(request, payload: InterruptionIn):
    """Records it as staff would: an unplanned one that has started is in
    progress at once, and reports of the service from its wards are then
    linked to it; a planned one is announced at its service's lead time.
    Every problem with the body is listed at once (422)."""
    key = request.auth
    service = _service_for(key, payload.service_code)
    problems = []
    ward_ids = []
    try:
        ward_ids = services.ward_ids_for_codes(payload.wards)
        if payload.area is not None:
            ward_ids = sorted({*ward_ids, *services.ward_ids_for_area(payload.area)})
    except DomainError as exc:
        problems.append(exc)
    draft = services.InterruptionDraft(
        service=service, ward_ids=ward_ids, kind=payload.kind, title=payload.title,
        public_text=payload.public_text, starts_at=payload.starts_at,
        expected_restoration_at=payload.expected_restoration_at, priority=payload.priority,
        area=payload.area)
    problems += [p for p in services.draft_problems(draft)
                 if not (problems and p.field == "wards")]
    if problems:
        return _problems_response(problems)
    interruption = services.interruption_create(
        draft=draft, source="api",
        idempotency_key=f"api:{key.pk}:{payload.idempotency_key}"
        if payload.idempotency_key else None)
    return Status(201, _detail(interruption.pk))


class InterruptionChangeIn(Schema):
    text: str = Field(min_length=1, max_length=MESSAGE_MAX,
                      description="The update citizens read.")
    expected_restoration_at: Instant | None = None
    starts_at: Instant | None = None
    title: str | None = Field(None, max_length=LINE_MAX)
    public_text: str | None = Field(None, max_length=MESSAGE_MAX)
    wards: list[str] | None = Field(None, max_length=500)


def _writable(key, interruption_id: int) -> Interruption:
    interruption = Interruption.objects.select_related("service").filter(
        pk=interruption_id).first()
    if interruption is None:
        raise DomainError("not_found", _("There is no interruption %(id)s.")
                          % {"id": interruption_id})
    _service_for(key, interruption.service.code)
    return interruption


@router.post("/interruptions/{interruption_id}/updates",
             response={200: InterruptionDetailOut, **WRITE_ERRORS}, auth=write_key,
             summary="Update a service interruption", operation_id="interruption_update")
def interruption_update(request, payload: InterruptionChangeIn,
                        interruption_id: int = Path(..., ge=1, le=2**62)):
    """Tells citizens what is happening; moves the expected restoration (and
    with it the deadline of linked open reports), the start or the wards."""
    interruption = _writable(request.auth, interruption_id)
    ward_ids = services.ward_ids_for_codes(payload.wards) if payload.wards is not None else None
    services.interruption_update(
        interruption=interruption, actor=None, text=payload.text,
        expected_restoration_at=payload.expected_restoration_at, starts_at=payload.starts_at,
        title=payload.title, public_text=payload.public_text, ward_ids=ward_ids)
    return _detail(interruption.pk)


class RestoreIn(Schema):
    restored_at: Instant | None = Field(None, description="When it came back; default now.")
    text: str = Field("", max_length=MESSAGE_MAX, description="What citizens are told.")


@router.post("/interruptions/{interruption_id}/restore",
             response={200: InterruptionDetailOut, **WRITE_ERRORS}, auth=write_key,
             summary="Restore a service interruption", operation_id="interruption_restore")
def interruption_restore(request, payload: RestoreIn,
                         interruption_id: int = Path(..., ge=1, le=2**62)):
    """The service is back: every linked open report resolves, each with its
    own event and message to its citizen."""
    interruption = _writable(request.auth, interruption_id)
    services.interruption_restore(interruption=interruption, actor=None,
                                  restored_at=payload.restored_at, text=payload.text)
    return _detail(interruption.pk)
