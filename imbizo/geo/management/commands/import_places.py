"""`imbizo import-places FILE.geojson|FILE.csv [--replace] [--allow-outside]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.geo.place_import import places_import


class Command(BaseCommand):
    help = ("Import the gazetteer (streets, landmarks, facilities and areas, each a point) "
            "from a GeoJSON FeatureCollection of Points or a CSV file with name, lat and lon "
            "columns, creating or updating places, all or nothing. See docs/places.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE.geojson|FILE.csv")
        parser.add_argument("--replace", action="store_true",
                            help="remove the places that are not in the file")
        parser.add_argument("--allow-outside", action="store_true",
                            help="keep places outside every ward (without a ward) instead of "
                                 "refusing the file")

    def handle(self, *args, file: Path, replace: bool, allow_outside: bool, **options) -> None:
        try:
            summary = places_import(file, replace=replace, allow_outside=allow_outside)
        except DomainError as exc:
            raise CommandError(_("Nothing was imported. %(reason)s") % {"reason": exc.message}) from exc
        self.stdout.write(self.style.SUCCESS(str(summary)))
