"""Writes about places: wards and their boundaries, the gazetteer's places."""

from django.db import transaction
from shapely.geometry import shape
from shapely.validation import explain_validity

from imbizo.core.errors import DomainError

from .errors import GeoError
from .models import Place, Region, Ward
from .search import search_key
from .selectors import ward_ids_at_many


def boundary_check(geometry: dict) -> tuple[float, float]:
    """Validate a GeoJSON ward boundary and return its centroid (lat, lon).

    Raises DomainError naming what is wrong with the geometry.
    """
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise DomainError(
            GeoError.INVALID_GEOMETRY, "The boundary must be a GeoJSON Polygon or MultiPolygon."
        )
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise DomainError(GeoError.INVALID_GEOMETRY, f"The boundary cannot be read: {exc}") from exc
    if polygon.is_empty:
        raise DomainError(GeoError.INVALID_GEOMETRY, "The boundary is empty.")
    if not polygon.is_valid:
        raise DomainError(
            GeoError.INVALID_GEOMETRY, f"The boundary is not a valid shape: {explain_validity(polygon)}."
        )
    minx, miny, maxx, maxy = polygon.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise DomainError(
            GeoError.INVALID_GEOMETRY,
            "The boundary lies outside longitude -180..180 / latitude -90..90; "
            "coordinates must be WGS84 longitude, latitude.",
        )
    centroid = polygon.representative_point()
    return centroid.y, centroid.x


@transaction.atomic
def ward_save(
    *, code: str, name: str, boundary: dict, region: Region | None = None,
    population: int | None = None,
) -> Ward:
    """Create or update the ward with `code`."""
    lat, lon = boundary_check(boundary)
    ward, _ = Ward.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "boundary": boundary,
            "region": region,
            "population": population,
            "centroid_lat": lat,
            "centroid_lon": lon,
        },
    )
    return ward


def place_search_text(*, name: str, alt_names: str = "", area: str = "") -> str:
    """What the search index holds for a place: its names and area, folded."""
    # The area right after the name, so that "Kerkstraat Thanda" is the
    # start of the text too.
    return search_key(" ".join([name, area, *alt_names.splitlines()]))


def places_locate(places: list[Place]) -> None:
    """Fill in each unsaved place's ward, region and search text, set-based:
    one pass of the ward index and one query for the wards' regions."""
    ward_ids = ward_ids_at_many([(place.lat, place.lon) for place in places])
    region_of = dict(Ward.objects.values_list("id", "region_id"))
    for place, ward_id in zip(places, ward_ids, strict=True):
        place.ward_id = ward_id
        place.region_id = region_of.get(ward_id)
        place.search_text = place_search_text(name=place.name, alt_names=place.alt_names,
                                              area=place.area)
