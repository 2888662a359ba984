"""Background work for cases, run by `imbizo worker`."""

import logging

from django_tasks import task

from imbizo.core.periodic import periodic

from .sweep import clocks_sweep

logger = logging.getLogger("imbizo.cases")


@periodic(every_seconds=30)
@task()
def clocks_sweep_task() -> dict:
    """Fire warnings, breaches and escalations that have fallen due."""
    result = clocks_sweep()
    if result.cases:
        logger.info("clock sweep: %s", result)
    return {"cases": result.cases, "fired": dict(result.fired)}
