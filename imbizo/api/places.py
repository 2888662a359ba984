"""Wards, offices and the gazetteer: the codes and places cases refer to."""

from ninja import Field, Path, Query, Router, Schema

from imbizo.geo.selectors import SEARCH_LIMIT_MAX, place_search
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


class PlaceQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200,
                   description="What was typed: part of a street or place name, typos allowed.")
    limit: int = Field(8, ge=1, le=SEARCH_LIMIT_MAX)


class PlaceOut(Schema):
    name: str
    kind: str = Field(description="street, landmark, facility or area.")
    area: str
    label: str = Field(description="The place as it reads in an address.")
    also: str = Field(description="The other name that matched, when the name did not.")
    lat: float
    lon: float
    ward: str | None = Field(description="Ward code.")
    ward_name: str | None
    region: str | None = Field(description="Region name.")


class PlaceSearchOut(Schema):
    items: list[PlaceOut] = Field(description="Best first; empty when nothing matches.")


@router.get("/places", response={200: PlaceSearchOut, **READ_ERRORS}, auth=read_key,
            summary="Search the gazetteer", operation_id="place_search")
@query_checked
def places(request, query: Query[PlaceQuery]):
    """Streets, landmarks, facilities and areas whose names match `q`, with
    their point and ward: put the point (or the ward) on a new case."""
    return {"items": [hit.as_json() for hit in place_search(query.q, query.limit)]}
