"""Import ward boundaries from a GeoJSON FeatureCollection, all-or-nothing."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .errors import GeoError
from .models import Region, Ward
from .services import ward_save

# Names GeoJSON files use for WGS84 longitude/latitude in the (2008) "crs" member.
_WGS84_NAMES = {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:epsg::4326", "epsg:4326",
                "urn:ogc:def:crs:ogc::crs84"}


@dataclass(frozen=True)
class WardImportSummary:
    created: int
    updated: int
    regions: int
    file: str

    def __str__(self) -> str:
        return _("Imported %(n)d wards (%(c)d created, %(u)d updated) in %(r)d regions from %(f)s") % {
            "n": self.created + self.updated, "c": self.created, "u": self.updated,
            "r": self.regions, "f": self.file}


class FileProblem(Exception):
    """An error in an imported file, before the file name is added (the ward and
    the place importers both raise it)."""


def _max_length(name: str) -> int:
    return Ward._meta.get_field(name).max_length


def _property_text(properties: dict, name: str) -> str:
    """A property as text; missing, null and blank are empty; 12.0 reads as '12'."""
    value = properties.get(name)
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _missing(where: str, name: str, what: str, properties: dict) -> FileProblem:
    present = ", ".join(sorted(properties)) or _("none")
    return FileProblem(_("%(where)s: property '%(p)s' (%(what)s) is missing; the feature has: %(present)s")
                    % {"where": where, "p": name, "what": what, "present": present})


def _population(properties: dict, name: str, where: str) -> int | None:
    raw = properties.get(name)
    if raw is None or raw == "":
        return None
    text = _property_text(properties, name)
    if isinstance(raw, bool) or not text.isdigit():
        raise FileProblem(_("%(where)s: '%(p)s' (the population) must be a whole number of 0 or more, "
                         "not '%(v)s'") % {"where": where, "p": name, "v": raw})
    return int(text)


def _crs_check(document: dict) -> None:
    crs = document.get("crs")
    if not crs:
        return
    name = str(((crs.get("properties") or {}).get("name") if isinstance(crs, dict) else crs) or "")
    if name.lower() not in _WGS84_NAMES:
        raise FileProblem(_("the coordinates are in %(crs)s; convert the file to WGS84 longitude, "
                         "latitude (EPSG:4326) first, e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.shp")
                       % {"crs": name or _("an unnamed reference system")})


def features_read(path: Path) -> list:
    """The features of the GeoJSON FeatureCollection in `path` (WGS84), or FileProblem."""
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise FileProblem(_("cannot be read (%(error)s)") % {"error": exc.strerror}) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise FileProblem(_("not valid JSON (%(error)s)") % {"error": exc}) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise FileProblem(_("not a GeoJSON FeatureCollection"))
    _crs_check(document)
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise FileProblem(_("the collection has no features"))
    return features


class _Regions:
    """Regions by the value of the region property: an existing region whose code or
    name is that value (ignoring case), else a new one named by it."""

    def __init__(self) -> None:
        self.by_id = Region.objects.in_bulk()
        self._known = {}
        for region in self.by_id.values():
            self._known.setdefault(region.code.lower(), region)
            self._known.setdefault(region.name.lower(), region)

    def get(self, value: str) -> Region:
        region = self._known.get(value.lower())
        if region is None:
            base = slugify(value)[:24] or "region"
            code, n = base, 1
            while Region.objects.filter(code=code).exists():
                n += 1
                code = f"{base}-{n}"
            region = Region.objects.create(code=code, name=value[:120])
            self._known[value.lower()] = region
        return region


def wards_import(
    path: Path | str, *, code_property: str, name_property: str,
    population_property: str | None = None, region_property: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WardImportSummary:
    """Create or update a ward for every feature, by code, in one transaction.

    Each feature's boundary is checked by `ward_save` (Polygon or MultiPolygon,
    valid, WGS84). Any error rolls everything back and names the file, the
    feature (index and code) and what is wrong. Without `population_property`
    or `region_property`, existing wards keep their population or region.
    `progress(done, total)` is called per feature.
    """
    path = Path(path)
    try:
        return _import(path, code_property=code_property, name_property=name_property,
                       population_property=population_property, region_property=region_property,
                       progress=progress)
    except FileProblem as problem:
        raise DomainError(GeoError.IMPORT_INVALID, f"{path.name}: {problem}") from problem


@transaction.atomic
def _import(path: Path, *, code_property, name_property, population_property, region_property,
            progress) -> WardImportSummary:
    features = features_read(path)
    # Boundaries can be megabytes each; only what a partial update keeps is read.
    existing = {code: (population, region_id) for code, population, region_id
                in Ward.objects.values_list("code", "population", "region_id")}
    regions = _Regions()
    seen: dict[str, int] = {}
    regions_used: set[int] = set()
    created = updated = 0
    for index, feature in enumerate(features, start=1):
        where = _("feature #%(n)d") % {"n": index}
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise FileProblem(_("%(where)s: not a GeoJSON Feature with properties") % {"where": where})
        properties = feature.get("properties") or {}
        code = _property_text(properties, code_property)
        if not code:
            raise _missing(where, code_property, _("the ward code"), properties)
        where = _("feature #%(n)d (code '%(code)s')") % {"n": index, "code": code}
        if len(code) > _max_length("code"):
            raise FileProblem(_("%(where)s: the code is longer than %(n)d characters")
                           % {"where": where, "n": _max_length("code")})
        if code in seen:
            raise FileProblem(_("%(where)s: the code was already used by feature #%(first)d")
                           % {"where": where, "first": seen[code]})
        seen[code] = index
        name = _property_text(properties, name_property)
        if not name:
            raise _missing(where, name_property, _("the ward name"), properties)
        if len(name) > _max_length("name"):
            raise FileProblem(_("%(where)s: the name is longer than %(n)d characters")
                           % {"where": where, "n": _max_length("name")})
        kept_population, kept_region_id = existing.get(code, (None, None))
        population = (_population(properties, population_property, where) if population_property
                      else kept_population)
        if region_property:
            value = _property_text(properties, region_property)
            region = regions.get(value) if value else None
        else:
            region = regions.by_id.get(kept_region_id)
        try:
            ward_save(code=code, name=name, boundary=feature.get("geometry"), region=region,
                      population=population)
        except DomainError as exc:
            reason = exc.message[:1].lower() + exc.message[1:]
            raise FileProblem(f"{where}: {reason}") from exc
        if region:
            regions_used.add(region.pk)
        if code in existing:
            updated += 1
        else:
            created += 1
        if progress:
            progress(index, len(features))
    return WardImportSummary(created=created, updated=updated, regions=len(regions_used),
                             file=path.name)
