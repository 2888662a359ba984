"""Import the gazetteer (streets, landmarks, facilities, areas with a point)
from GeoJSON or CSV, all or nothing.

GeoJSON: a FeatureCollection of Point features whose properties hold `name`
and optionally `kind`, `area`, `alt_names` (a list, or names separated by
";") and `id`. CSV (UTF-8, a header row): columns `name`, `lat`, `lon` and
optionally `kind`, `area`, `alt_names` (";"-separated) and `id`. A place
with an `id` is updated on a later import with the same id; without one, its
code is derived from its kind, name and point, so importing a file twice
adds nothing. See docs/places.md.
"""

import csv
import hashlib
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .errors import GeoError
from .importers import FileProblem, features_read
from .models import Place, PlaceKind, Ward
from .services import places_locate

BATCH = 2000
_FIELDS = ("name", "kind", "area", "alt_names", "lat", "lon", "ward", "region", "search_text")
# Names a file may use for the kinds, beside the codes themselves.
_KIND_WORDS = {"road": PlaceKind.STREET, "avenue": PlaceKind.STREET, "poi": PlaceKind.LANDMARK,
               "building": PlaceKind.LANDMARK, "suburb": PlaceKind.AREA,
               "township": PlaceKind.AREA, "school": PlaceKind.FACILITY,
               "clinic": PlaceKind.FACILITY}


@dataclass(frozen=True)
class PlaceImportSummary:
    created: int
    updated: int
    removed: int
    outside: int
    file: str

    def __str__(self) -> str:
        text = _("Imported %(n)d places (%(c)d created, %(u)d updated) from %(f)s") % {
            "n": self.created + self.updated, "c": self.created, "u": self.updated,
            "f": self.file}
        if self.removed:
            text += "; " + _("%(n)d places not in the file removed") % {"n": self.removed}
        if self.outside:
            text += "; " + _("%(n)d outside every ward (no ward)") % {"n": self.outside}
        return text


@dataclass(frozen=True)
class _Row:
    where: str
    values: dict  # name, kind, area, alt_names, lat, lon, id as read


def _text(value) -> str:
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value if v is not None)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_geojson(path: Path) -> Iterator[_Row]:
    features = features_read(path)
    for index, feature in enumerate(features, start=1):
        where = _("feature #%(n)d") % {"n": index}
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise FileProblem(_("%(where)s: not a GeoJSON Feature with properties") % {"where": where})
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            kind = geometry.get("type") if isinstance(geometry, dict) else _("none")
            raise FileProblem(_("%(where)s: the geometry must be a Point (a place is one spot), "
                             "not %(kind)s") % {"where": where, "kind": kind})
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            raise FileProblem(_("%(where)s: the Point needs [longitude, latitude]") % {"where": where})
        values = {name: _text(properties.get(name))
                  for name in ("name", "kind", "area", "alt_names", "id")}
        values["lon"], values["lat"] = coordinates[0], coordinates[1]
        yield _Row(where=where, values=values)


def _read_csv(path: Path) -> Iterator[_Row]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FileProblem(_("cannot be read (%(error)s)") % {"error": exc.strerror}) from exc
    except UnicodeDecodeError as exc:
        raise FileProblem(_("is not UTF-8 text (%(error)s)") % {"error": exc}) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("name", "lat", "lon") if c not in header]
    if missing:
        raise FileProblem(_("the header row lacks the column(s) %(missing)s; it has: %(present)s")
                       % {"missing": ", ".join(missing), "present": ", ".join(header) or _("none")})
    reader.fieldnames = header
    count = 0
    for row in reader:
        count += 1
        where = _("line %(n)d") % {"n": reader.line_num}
        values = {name: (row.get(name) or "").strip()
                  for name in ("name", "kind", "area", "alt_names", "id", "lat", "lon")}
        yield _Row(where=where, values=values)
    if not count:
        raise FileProblem(_("the file has a header row and no places"))


def _coordinate(row: _Row, name: str, low: float, high: float) -> float:
    raw = row.values[name]
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = math.nan
    if isinstance(raw, bool) or not math.isfinite(value) or not low <= value <= high:
        what = _("latitude") if name == "lat" else _("longitude")
        raise FileProblem(_("%(where)s: the %(what)s must be a number from %(low)s to %(high)s, "
                         "not '%(v)s'") % {"where": row.where, "what": what, "low": low,
                                           "high": high, "v": raw})
    return value


def _max(name: str) -> int:
    return Place._meta.get_field(name).max_length


def _place(row: _Row, seen: dict[str, str]) -> Place:
    values = row.values
    name = values["name"]
    if not name:
        raise FileProblem(_("%(where)s: the name is missing") % {"where": row.where})
    where = _("%(where)s (name '%(name)s')") % {"where": row.where, "name": name[:60]}
    if len(name) > _max("name"):
        raise FileProblem(_("%(where)s: the name is longer than %(n)d characters")
                       % {"where": where, "n": _max("name")})
    raw_kind = values["kind"].lower()
    kind = PlaceKind.STREET if not raw_kind else _KIND_WORDS.get(raw_kind, raw_kind)
    if kind not in PlaceKind.values:
        raise FileProblem(_("%(where)s: the kind '%(kind)s' is not one of: %(allowed)s")
                       % {"where": where, "kind": values["kind"],
                          "allowed": ", ".join(PlaceKind.values)})
    if len(values["area"]) > _max("area"):
        raise FileProblem(_("%(where)s: the area is longer than %(n)d characters")
                       % {"where": where, "n": _max("area")})
    lat = _coordinate(_Row(where, values), "lat", -90, 90)
    lon = _coordinate(_Row(where, values), "lon", -180, 180)
    alt_names = "\n".join(n.strip() for n in values["alt_names"].split(";") if n.strip())
    code = values["id"] or hashlib.sha256(
        f"{kind}|{name.lower()}|{lat:.5f}|{lon:.5f}".encode()).hexdigest()[:20]
    if len(code) > _max("code"):
        raise FileProblem(_("%(where)s: the id is longer than %(n)d characters")
                       % {"where": where, "n": _max("code")})
    if code in seen:
        raise FileProblem(_("%(where)s: the same place (id '%(code)s') is already at %(first)s")
                       % {"where": where, "code": code, "first": seen[code]})
    seen[code] = row.where
    return Place(code=code, name=name, kind=kind, area=values["area"], alt_names=alt_names,
                 lat=lat, lon=lon)


def places_import(path: Path | str, *, replace: bool = False,
                  allow_outside: bool = False) -> PlaceImportSummary:
    """Create or update every place in the file (.geojson/.json or .csv), in
    one transaction; each place's ward and region come from its point.

    Any error stores nothing and names the file, the row or feature, and what
    is wrong. A point outside every ward is an error (often latitude and
    longitude swapped) unless `allow_outside`. With `replace`, places not in
    the file are removed.
    """
    path = Path(path)
    try:
        return _import(path, replace=replace, allow_outside=allow_outside)
    except FileProblem as problem:
        raise DomainError(GeoError.IMPORT_INVALID, f"{path.name}: {problem}") from problem


@transaction.atomic
def _import(path: Path, *, replace: bool, allow_outside: bool) -> PlaceImportSummary:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        rows = _read_geojson(path)
    elif suffix == ".csv":
        rows = _read_csv(path)
    else:
        raise FileProblem(_("the file must end in .geojson, .json or .csv"))
    seen: dict[str, str] = {}
    places = [_place(row, seen) for row in rows]
    places_locate(places)
    outside = [place for place in places if place.ward_id is None]
    if outside and not allow_outside:
        first = outside[0]
        hint = (_("no wards are loaded yet: import the wards first (imbizo import-wards)")
                if not Ward.objects.exists() else
                _("check that latitude and longitude are not swapped, or import with "
                  "--allow-outside to keep such places without a ward"))
        raise FileProblem(_("%(where)s: the point %(lat)s, %(lon)s lies outside every ward "
                         "(%(n)d places do); %(hint)s")
                       % {"where": f"{seen[first.code]} (name '{first.name[:60]}')",
                          "lat": first.lat, "lon": first.lon, "n": len(outside), "hint": hint})
    # Read whole, not with code__in: a file of 100,000 places passes SQLite's
    # limit on parameters.
    stored = dict(Place.objects.values_list("code", "id"))
    existing = stored.keys() & seen.keys()
    Place.objects.bulk_create(places, batch_size=BATCH, update_conflicts=True,
                              unique_fields=["code"], update_fields=list(_FIELDS))
    removed = 0
    if replace:
        stale = [pk for code, pk in stored.items() if code not in seen]
        for start in range(0, len(stale), BATCH):
            removed += Place.objects.filter(pk__in=stale[start:start + BATCH]).delete()[0]
    return PlaceImportSummary(created=len(places) - len(existing), updated=len(existing),
                              removed=removed, outside=len(outside), file=path.name)
