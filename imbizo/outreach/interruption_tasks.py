"""The interruptions' periodic task (registered through outreach.tasks)."""

import logging
from dataclasses import asdict

from django_tasks import task

from imbizo.core.periodic import periodic

from .interruptions import interruptions_tick

logger = logging.getLogger("imbizo.outreach")


@periodic(every_seconds=60)
@task()
def interruptions_tick_task() -> dict:
    """Announce and start planned interruptions when due; keep running ones' hours."""
    result = interruptions_tick()
    if result.announced or result.started:
        logger.info("interruptions: %s", result)
    return asdict(result)
