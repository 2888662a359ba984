"""`imbizo rollups-fold`: fold waiting deltas into the rollups now (the worker does it
every few seconds)."""

from django.core.management.base import BaseCommand

from imbizo.insights.rollups import rollups_fold


class Command(BaseCommand):
    help = "Fold recorded changes into the dashboard figures now."

    def handle(self, *args, **options):
        self.stdout.write(f"{rollups_fold():,} changes folded")
