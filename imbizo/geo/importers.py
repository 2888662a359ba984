"""Import ward boundaries from a GeoJSON FeatureCollection, all-or-nothing."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .errors import GeoError
from .models import Region, Ward
from .selectors import ward_index_reset
from .services import boundary_check


@dataclass
class WardImportSummary:
    created: int
    updated: int
    regions: int
    file: str

    def __str__(self) -> str:
        return _("Imported %(n)d wards (%(c)d created, %(u)d updated) in %(r)d regions from %(f)s") % {
            "n": self.created + self.updated, "c": self.created, "u": self.updated,
            "r": self.regions, "f": self.file}


def _fail(file: str, message: str) -> DomainError:
    return DomainError(GeoError.IMPORT_INVALID, f"{file}: {message}")


def wards_import(
    path: Path, *, code_property: str, name_property: str,
    population_property: str | None = None, region_property: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WardImportSummary:
    """Check every feature first, then create or update the wards in one transaction."""
    name = Path(path).name
    try:
        document = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise _fail(name, _("cannot be read (%(error)s)") % {"error": exc.strerror}) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise _fail(name, _("not valid JSON (%(error)s)") % {"error": exc}) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise _fail(name, _("not a GeoJSON FeatureCollection"))
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise _fail(name, _("the collection has no features"))
    rows, seen = [], set()
    for index, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        code = str(properties.get(code_property) or "").strip()
        where = f"feature #{index}" + (f" (code '{code}')" if code else "")
        if not code:
            raise _fail(name, _("%(where)s: property '%(p)s' (the ward code) is missing")
                        % {"where": where, "p": code_property})
        if code in seen:
            raise _fail(name, _("%(where)s: the code appears twice") % {"where": where})
        seen.add(code)
        ward_name = str(properties.get(name_property) or "").strip()
        if not ward_name:
            raise _fail(name, _("%(where)s: property '%(p)s' (the ward name) is missing")
                        % {"where": where, "p": name_property})
        population = None
        if population_property:
            raw = properties.get(population_property)
            try:
                population = int(raw) if raw not in (None, "") else None
            except (TypeError, ValueError) as exc:
                raise _fail(name, _("%(where)s: '%(p)s' must be a whole number, not '%(v)s'")
                            % {"where": where, "p": population_property, "v": raw}) from exc
            if population is not None and population < 0:
                raise _fail(name, _("%(where)s: the population cannot be negative")
                            % {"where": where})
        region = str(properties.get(region_property) or "").strip() if region_property else ""
        try:
            lat, lon = boundary_check(feature.get("geometry"))
        except DomainError as exc:
            raise _fail(name, f"{where}: {exc.message[0].lower()}{exc.message[1:]}") from exc
        rows.append((code, ward_name[:120], population, region, feature["geometry"], lat, lon))

    created = updated = 0
    with transaction.atomic():
        regions = {}
        for region in sorted({r[3] for r in rows if r[3]}):
            regions[region], _created = Region.objects.get_or_create(
                code=region[:32].lower().replace(" ", "-"), defaults={"name": region})
        existing = {w.code: w for w in Ward.objects.filter(code__in=[r[0] for r in rows])}
        for done, (code, ward_name, population, region, geometry, lat, lon) in enumerate(rows, 1):
            values = {"name": ward_name, "population": population, "boundary": geometry,
                      "centroid_lat": lat, "centroid_lon": lon,
                      "region": regions.get(region) if region_property else None}
            if code in existing:
                for attr, value in values.items():
                    setattr(existing[code], attr, value)
                existing[code].save()
                updated += 1
            else:
                Ward.objects.create(code=code, **values)
                created += 1
            if progress:
                progress(done, len(rows))
    ward_index_reset()
    return WardImportSummary(created=created, updated=updated, regions=len(regions), file=name)
