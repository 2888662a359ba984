"""Reads about places: which ward a point falls in."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
import shapely.affinity
from django.db import connection
from shapely import STRtree
from shapely.geometry import Point, shape

from imbizo.core.snapshots import ProcessSnapshot

from . import search
from .models import PlaceKind, Ward

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


def ward_ids_touching(geometry) -> list[int]:
    """Ids of the wards a shapely geometry (an area drawn on a map) overlaps, in
    id order; a ward it only grazes along a border is not counted."""
    index = _ward_index()
    if not index.ward_ids or geometry.is_empty:
        return []
    hits = index.tree.query(geometry, predicate="intersects")
    return sorted(index.ward_ids[i] for i in hits
                  if not index.geometries[i].touches(geometry))


def ward_id_for_code(code: str) -> int | None:
    """The id of the ward with `code`, or None."""
    return Ward.objects.filter(code=code).values_list("id", flat=True).first()


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


# --- the gazetteer -------------------------------------------------------------

SEARCH_LIMIT_MAX = 20
# Rows the database hands over for the final ranking (search.score).
_CANDIDATES = 60


@dataclass(frozen=True)
class PlaceHit:
    """One answer of `place_search`: what the forms, the API and the map need."""

    id: int
    name: str
    kind: str
    area: str
    lat: float
    lon: float
    ward_code: str | None
    ward_name: str | None
    region_name: str | None
    also: str = ""  # the other name that matched, when the name itself did not

    @property
    def kind_label(self) -> str:
        return str(PlaceKind(self.kind).label) if self.kind in PlaceKind.values else self.kind

    @property
    def label(self) -> str:
        """The place as it reads in an address box: "Vilakazi Street, Orlando West"."""
        return ", ".join(part for part in (self.name, self.area or self.ward_name) if part)

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "kind_label": self.kind_label,
                "area": self.area, "label": self.label, "lat": self.lat, "lon": self.lon,
                "ward": self.ward_code, "ward_name": self.ward_name, "region": self.region_name,
                "also": self.also}


# Only constants are joined into these statements; what was typed is a parameter.
_COLUMNS = ("p.id, p.name, p.kind, p.area, p.lat, p.lon, w.code, w.name, r.name, p.search_text,"
            " p.alt_names")
_JOINS = " LEFT JOIN geo_ward w ON w.id = p.ward_id LEFT JOIN geo_region r ON r.id = p.region_id"
_SELECT = "SELECT " + _COLUMNS + " FROM geo_place p" + _JOINS  # noqa: S608
# `<%` (word similarity above pg_trgm's threshold, which a prefix passes too)
# is answered by the GIN trigram index; the database orders the matches and
# place_search's final rank only reorders the few it hands over. The wards
# and regions are joined to those few only.
_POSTGRESQL = ("SELECT " + _COLUMNS + " FROM (SELECT * FROM geo_place"  # noqa: S608
               " WHERE %s <%% search_text"
               " ORDER BY word_similarity(%s, search_text) DESC, length(search_text), id"
               " LIMIT %s) p" + _JOINS)
# Texts that start with what was typed, in the byte order of the btree on
# search_text COLLATE "C": a range scan that stops at the LIMIT.
_POSTGRESQL_PREFIX = ("SELECT " + _COLUMNS + " FROM (SELECT * FROM geo_place"  # noqa: S608
                      ' WHERE (search_text COLLATE "C") LIKE %s'
                      ' ORDER BY (search_text COLLATE "C") LIMIT %s) p' + _JOINS)
_SQLITE_MATCH = (_SELECT + " JOIN geo_place_fts f ON f.rowid = p.id"
                 " WHERE geo_place_fts MATCH %s ORDER BY bm25(geo_place_fts), p.id LIMIT %s")
_SQLITE_SHORT = (_SELECT + " WHERE p.search_text LIKE %s OR p.search_text LIKE %s"
                 " ORDER BY length(p.search_text), p.id LIMIT %s")


def _candidates_postgresql(key: str, limit: int) -> list[tuple]:
    """What is typed is most often the start of a name: those come from the
    btree at once, and when they fill the page, or match several typed words,
    the trigram search (whose cost grows with the number of similar texts) is
    not needed. At most two queries."""
    with connection.cursor() as cursor:
        # The key holds only letters, digits and spaces: no LIKE escapes needed.
        cursor.execute(_POSTGRESQL_PREFIX, [key + "%", _CANDIDATES])
        rows = cursor.fetchall()
        # Enough starts of names, or one that matches several typed words
        # ("kerkstraat thanda"): the trigram search would add nothing better.
        if len(rows) >= limit or len(key) < 3 or (rows and " " in key):
            return rows
        cursor.execute(_POSTGRESQL, [key, key, _CANDIDATES])
        seen = {row[0] for row in rows}
        return rows + [row for row in cursor.fetchall() if row[0] not in seen]


def _candidates_sqlite(key: str) -> list[tuple]:
    grams = search.plain_trigrams(key)
    with connection.cursor() as cursor:
        if grams:
            match = " OR ".join(f'"{gram}"' for gram in grams[:32])
            cursor.execute(_SQLITE_MATCH, [match, _CANDIDATES * 4])
        else:
            cursor.execute(_SQLITE_SHORT, [f"{key}%", f"% {key}%", _CANDIDATES])
        return cursor.fetchall()


def place_search(q: str, limit: int = 8) -> list[PlaceHit]:
    """Places whose name, other names or area match what was typed, best first.

    Tolerates a missing end ("vilak"), a typo ("vilakazy"), case, accents,
    punctuation, a house number and the usual abbreviations ("st", "rd").
    Empty below two characters. One query on SQLite; on PostgreSQL one when
    enough names start with what was typed, else two.
    """
    key = search.query_key(q)
    limit = max(1, min(int(limit), SEARCH_LIMIT_MAX))
    if len(key) < search.MIN_QUERY:
        return []
    rows = (_candidates_postgresql(key, limit) if connection.vendor == "postgresql"
            else _candidates_sqlite(key))
    ranked = []
    for row in rows:
        value = search.score(key, row[9])
        if search.score_matches(value):
            ranked.append((value, row))
    ranked.sort(key=lambda item: (-item[0][0], not item[0][1], -item[0][2], len(item[1][1]),
                                  item[1][0]))
    return [PlaceHit(*row[:9], also=_also(key, row[1], row[10])) for _value, row in ranked[:limit]]


def _also(key: str, name: str, alt_names: str) -> str:
    """The other name that explains a hit whose own name does not match."""
    if not alt_names or search.score_matches(search.score(key, search.search_key(name))):
        return ""
    for alt in alt_names.splitlines():
        if search.score_matches(search.score(key, search.search_key(alt))):
            return alt
    return ""


def ward_ids_near(*, lat: float, lon: float, radius_m: float) -> list[int]:
    """Ids of the wards within `radius_m` metres of the point, sorted.

    The circle is drawn in degrees scaled for the latitude (an ellipse in
    longitude): within a metre or two of the true distance at the scale of a
    ward, and no projection library needed.
    """
    index = _ward_index()
    if not index.ward_ids:
        return []
    metres_per_degree = 111_320.0
    circle = shapely.affinity.scale(
        Point(lon, lat).buffer(radius_m / metres_per_degree, quad_segs=16),
        xfact=1 / max(math.cos(math.radians(lat)), 0.01), yfact=1.0)
    hits = index.tree.query(circle, predicate="intersects")
    return sorted({index.ward_ids[i] for i in hits.tolist()})
