"""`imbizo import-services FILE [FILE ...]`: Open311 services lists and service definitions."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imbizo.catalogue.importers import services_import
from imbizo.core.errors import DomainError
from imbizo.core.progress import progress_bar


class Command(BaseCommand):
    help = ("Import Open311 GeoReport v2 documents (services lists and service definitions, "
            "XML or JSON) into the catalogue, all or nothing. Imported services have no "
            "standard until an administrator writes one.")

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", type=Path, metavar="FILE",
            help="services.xml/.json and services/{code}.xml/.json, in any order",
        )

    def handle(self, *args, files: list[Path], **options) -> None:
        try:
            with progress_bar(self.stdout, _("services")) as progress:
                summary = services_import(files, progress=progress)
        except DomainError as exc:
            raise CommandError(_("Nothing was imported. %(reason)s") % {"reason": exc.message}) from exc
        self.stdout.write(self.style.SUCCESS(str(summary)))
