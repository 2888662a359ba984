"""`imbizo import-services FILE [FILE ...]`: Open311 services lists and definitions."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imbizo.catalogue.importers import services_import
from imbizo.core.errors import DomainError
from imbizo.core.progress import progress_bar


class Command(BaseCommand):
    help = ("Import Open311 GeoReport v2 documents (services.xml/json and service "
            "definitions) into the catalogue, all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        try:
            with progress_bar(self.stdout._out, "services") as progress:
                summary = services_import(files, progress=progress)
        except DomainError as exc:
            raise CommandError(f"Nothing was imported. {exc.message}") from exc
        self.stdout.write(str(summary))
