"""Wards and offices: the codes cases refer to."""

from ninja import Field, Path, Query, Router, Schema

from imbizo.integrations.selectors import office_list, ward_get, ward_list

from .errors import READ_ERRORS
from .pagination import Page, PageParams, page
from .security import read_key
from .types import query_checked

router = Router(tags=["places"])


class WardOut(Schema):
    code: str
    name: str
    region: str | None = Field(description="Region code.")
    population: int | None
    centroid_lat: float
    centroid_lon: float


class WardDetailOut(WardOut):
    boundary: dict = Field(description="GeoJSON geometry (WGS84).")


class OfficeOut(Schema):
    code: str
    name: str
    department: str = Field(description="Department code.")
    region: str | None
    address: str
    lat: float | None
    lon: float | None
    phone: str
    opening_hours: str
    is_public: bool


def ward_out(ward) -> dict:
    return {"code": ward.code, "name": ward.name,
            "region": ward.region.code if ward.region_id else None,
            "population": ward.population, "centroid_lat": ward.centroid_lat,
            "centroid_lon": ward.centroid_lon}


def office_out(office) -> dict:
    return {"code": office.code, "name": office.name, "department": office.department.code,
            "region": office.region.code if office.region_id else None,
            "address": office.address, "lat": office.lat, "lon": office.lon,
            "phone": office.phone, "opening_hours": office.opening_hours,
            "is_public": office.is_public}


@router.get("/wards", response={200: Page[WardOut], **READ_ERRORS}, auth=read_key,
            summary="List wards", operation_id="ward_list")
@query_checked
def wards(request, paging: Query[PageParams]):
    rows, next_cursor = page(ward_list().order_by("-id"), paging)
    return {"items": [ward_out(w) for w in rows], "next_cursor": next_cursor}


@router.get("/wards/{code}", response={200: WardDetailOut, **READ_ERRORS}, auth=read_key,
            summary="Read a ward with its boundary", operation_id="ward_get")
@query_checked
def ward(request, code: str = Path(..., max_length=32)):
    found = ward_get(code=code)
    return {**ward_out(found), "boundary": found.boundary}


@router.get("/offices", response={200: Page[OfficeOut], **READ_ERRORS}, auth=read_key,
            summary="List offices", operation_id="office_list")
@query_checked
def offices(request, paging: Query[PageParams]):
    rows, next_cursor = page(office_list().order_by("-id"), paging)
    return {"items": [office_out(o) for o in rows], "next_cursor": next_cursor}
