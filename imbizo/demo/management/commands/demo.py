"""`imbizo demo`: create the demo municipality in an empty database."""

import time

from django.core.management.base import BaseCommand, CommandError

from imbizo.demo.municipality import INSTITUTION, demo_build
from imbizo.org.models import Institution


class Command(BaseCommand):
    help = "Create the demo municipality (deterministic for a given --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed: int, **options):
        if Institution.objects.exists():
            raise CommandError(
                "This database already has an institution; the demo only fills an empty "
                "database. Start from a new one (for SQLite: delete var/imbizo.sqlite3)."
            )
        started = time.monotonic()
        summary = demo_build(seed=seed)
        counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
        self.stdout.write(
            f"{INSTITUTION}: {counts} (seed {seed}, {time.monotonic() - started:.1f} s)"
        )
