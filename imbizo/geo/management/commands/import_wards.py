"""`imbizo import-wards FILE.geojson --code-property P --name-property Q
[--population-property R] [--region-property S]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.core.progress import progress_bar
from imbizo.geo.importers import wards_import


class Command(BaseCommand):
    help = ("Import ward boundaries from a GeoJSON FeatureCollection (WGS84 Polygons or "
            "MultiPolygons), creating or updating wards by code, all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE.geojson")
        parser.add_argument("--code-property", required=True, metavar="P",
                            help="feature property holding the ward code")
        parser.add_argument("--name-property", required=True, metavar="Q",
                            help="feature property holding the ward name")
        parser.add_argument("--population-property", metavar="R",
                            help="feature property holding the population (else kept as it is)")
        parser.add_argument("--region-property", metavar="S",
                            help="feature property holding the region's code or name; regions "
                                 "not yet known are created (else kept as they are)")

    def handle(self, *args, file: Path, code_property: str, name_property: str,
               population_property: str | None, region_property: str | None, **options) -> None:
        try:
            with progress_bar(self.stdout, _("wards")) as progress:
                summary = wards_import(
                    file, code_property=code_property, name_property=name_property,
                    population_property=population_property, region_property=region_property,
                    progress=progress,
                )
        except DomainError as exc:
            raise CommandError(_("Nothing was imported. %(reason)s") % {"reason": exc.message}) from exc
        self.stdout.write(self.style.SUCCESS(str(summary)))
