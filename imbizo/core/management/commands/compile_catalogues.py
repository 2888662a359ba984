"""`imbizo compile-catalogues`: build the `.mo` files Django reads from the
translators' `.po` files (Babel; no GNU gettext needed). Run by `make
install` and `imbizo run`; only stale catalogues are compiled unless --force."""

from django.core.management.base import BaseCommand

from imbizo.core.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) that are missing or stale."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args, force: bool, **options):
        done = compile_catalogues(force=force)
        for compiled in done:
            self.stdout.write(f"{compiled.code}: {compiled.entries} entries")
        if not done:
            self.stdout.write("Catalogues are up to date.")
