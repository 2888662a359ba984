"""Background work for insights, run by `imbizo worker`."""

from django_tasks import task

from imbizo.core.periodic import periodic

from .rollups import rollups_fold


@periodic(every_seconds=10)
@task()
def rollups_fold_task() -> dict:
    """Fold committed deltas into the rollups the dashboards read."""
    return {"folded": rollups_fold()}
