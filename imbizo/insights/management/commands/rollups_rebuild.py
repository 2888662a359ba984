"""`imbizo rollups-rebuild`: recompute the dashboard rollups from the raw tables."""

import time

from django.core.management.base import BaseCommand

from imbizo.field.rollups import field_rollups_rebuild
from imbizo.insights.rollups import rollups_rebuild


class Command(BaseCommand):
    help = ("Rebuild the dashboard figures (rollups) from cases, events and ratings, and the "
            "door-to-door figures from field records. "
            "Safe while Imbizo runs: changes made meanwhile are folded in afterwards.")

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rollups_rebuild()
        rows.update(field_rollups_rebuild())
        summary = ", ".join(f"{n:,} {name}" for name, n in rows.items())
        self.stdout.write(f"Rollups rebuilt in {time.monotonic() - started:.1f} s: {summary}")
