"""`imbizo import-wards FILE.geojson --code-property P --name-property Q`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imbizo.core.errors import DomainError
from imbizo.core.progress import progress_bar
from imbizo.geo.importers import wards_import


class Command(BaseCommand):
    help = "Import ward boundaries from a GeoJSON FeatureCollection, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--code-property", required=True, help="Property with the ward code.")
        parser.add_argument("--name-property", required=True, help="Property with the ward name.")
        parser.add_argument("--population-property", help="Property with the population.")
        parser.add_argument("--region-property", help="Property with the region's name.")

    def handle(self, *args, file, code_property, name_property, population_property,
               region_property, **options):
        try:
            with progress_bar(self.stdout._out, "wards") as progress:
                summary = wards_import(
                    file, code_property=code_property, name_property=name_property,
                    population_property=population_property, region_property=region_property,
                    progress=progress,
                )
        except DomainError as exc:
            raise CommandError(f"Nothing was imported. {exc.message}") from exc
        self.stdout.write(str(summary))
