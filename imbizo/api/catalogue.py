"""Services, the questions they ask, and their published standards."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Path, Query, Router, Schema

from imbizo.integrations.selectors import service_get, service_list, standard_versions

from .errors import READ_ERRORS
from .pagination import Page, PageParams, page
from .security import read_key
from .types import query_checked

router = Router(tags=["services"])


class AttributeOut(Schema):
    code: str
    variable: bool = Field(description="False: information only, not a question.")
    datatype: str
    required: bool
    order: int
    description: str
    values: list[dict] = Field(description='For list types: [{"key": ..., "name": ...}].')


class StandardOut(Schema):
    version: int
    pledge: str
    description: str
    ack_amount: int
    ack_unit: str
    update_amount: int
    update_unit: str
    resolve_amount: int
    resolve_unit: str
    warn_before_hours: int
    compliance_target: Decimal = Field(description="Share of cases to meet the target, in %.")
    redress: str
    effective_from: date
    created_at: datetime


class ServiceOut(Schema):
    code: str
    name: str
    description: str
    group: str
    department: str | None = Field(description="Owning department's code.")
    channels: list[str]
    needs_place: bool = Field(description=(
        "A request or complaint needs a point, a ward or place_unknown when opened here."))
    attributes: list[AttributeOut]
    standard: StandardOut | None = Field(description="The published standard in force today.")


def attribute_out(a) -> dict:
    return {"code": a.code, "variable": a.variable, "datatype": a.datatype,
            "required": a.required, "order": a.order, "description": a.description,
            "values": list(a.values or [])}


def standard_out(s) -> dict:
    return {name: getattr(s, name) for name in StandardOut.model_fields}


def service_out(service) -> dict:
    current = service.current_standards[0] if service.current_standards else None
    return {
        "code": service.code, "name": service.name, "description": service.description,
        "group": service.group, "needs_place": service.needs_place,
        "department": service.department.code if service.department_id else None,
        "channels": list(service.channels or []),
        "attributes": [attribute_out(a) for a in service.questions],
        "standard": standard_out(current) if current else None,
    }


@router.get("/services", response={200: Page[ServiceOut], **READ_ERRORS}, auth=read_key,
            summary="List services", operation_id="service_list")
@query_checked
def services(request, paging: Query[PageParams]):
    """Active services, each with its questions and the standard in force."""
    rows, next_cursor = page(service_list(key=request.auth).order_by("-id"), paging)
    return {"items": [service_out(s) for s in rows], "next_cursor": next_cursor}


@router.get("/services/{code}", response={200: ServiceOut, **READ_ERRORS}, auth=read_key,
            summary="Read a service", operation_id="service_get")
@query_checked
def service(request, code: str = Path(..., max_length=64)):
    return service_out(service_get(key=request.auth, code=code))


@router.get("/services/{code}/standards", response={200: list[StandardOut], **READ_ERRORS},
            auth=read_key, summary="Every published version of a service's standard",
            operation_id="service_standards")
@query_checked
def standards(request, code: str = Path(..., max_length=64)):
    service = service_get(key=request.auth, code=code)
    return [standard_out(s) for s in standard_versions(service=service)]
