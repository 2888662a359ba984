"""Reads about places: which ward a point falls in."""

from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely import STRtree
from shapely.geometry import Point, shape

from imbizo.core.snapshots import ProcessSnapshot

from .models import Ward

# Ward boundaries change rarely (after an election); each process keeps an
# STRtree of them and rebuilds it when wards change here (signals) or, for
# changes made by other processes, after this many seconds.
INDEX_TTL_SECONDS = 300


@dataclass(frozen=True)
class _WardIndex:
    tree: STRtree
    geometries: tuple
    ward_ids: tuple[int, ...]


def _build_index() -> _WardIndex:
    rows = list(Ward.objects.values_list("id", "boundary"))
    geometries = tuple(shape(boundary) for _, boundary in rows)
    return _WardIndex(tree=STRtree(geometries), geometries=geometries,
                      ward_ids=tuple(ward_id for ward_id, _ in rows))


_index = ProcessSnapshot(_build_index, ttl=INDEX_TTL_SECONDS)


def ward_index_reset() -> None:
    """Forget the cached index; the next lookup rebuilds it."""
    _index.reset()


def _ward_index() -> _WardIndex:
    return _index.get()


def ward_id_at(*, lat: float, lon: float) -> int | None:
    """The id of the ward containing the point, or None when it is in no ward.

    A point on a shared border belongs to the ward with the lowest id, so the
    answer is stable.
    """
    index = _ward_index()
    if not index.ward_ids:
        return None
    point = Point(lon, lat)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits) == 0:
        return None
    return min(index.ward_ids[i] for i in hits)


def ward_ids_at_many(points: Sequence[tuple[float, float]]) -> list[int | None]:
    """For each (lat, lon), what `ward_id_at` answers, in one query of the index."""
    index = _ward_index()
    found: list[int | None] = [None] * len(points)
    if not points or not index.ward_ids:
        return found
    geometries = shapely.points([(lon, lat) for lat, lon in points])
    point_hits, ward_hits = index.tree.query(geometries, predicate="intersects")
    ward_ids = index.ward_ids
    for point, hit in zip(point_hits.tolist(), ward_hits.tolist(), strict=True):
        ward_id = ward_ids[hit]
        if found[point] is None or ward_id < found[point]:
            found[point] = ward_id
    return found


def ward_at(*, lat: float, lon: float) -> Ward | None:
    ward_id = ward_id_at(lat=lat, lon=lon)
    return Ward.objects.select_related("region").get(pk=ward_id) if ward_id else None


def wards_geojson() -> dict:
    """All wards as a GeoJSON FeatureCollection (code, name, region, population)."""
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": name, "region": region or "",
                           "population": population},
            "geometry": boundary,
        }
        for code, name, region, population, boundary in Ward.objects.order_by("code").values_list(
            "code", "name", "region__name", "population", "boundary"
        )
    ]
    return {"type": "FeatureCollection", "features": features}
