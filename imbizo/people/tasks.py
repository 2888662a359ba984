"""Background work for people, run by `imbizo worker`."""

import logging

from django_tasks import task

from imbizo.core.periodic import periodic

from .export import apply_retention

logger = logging.getLogger("imbizo.people")


@periodic(every_seconds=24 * 3600)
@task()
def people_retention_task() -> int:
    """Delete the development records of people who left longer ago than
    PEOPLE_RECORDS_KEEP_MONTHS."""
    deleted = apply_retention()
    if deleted:
        logger.info("people retention: %d rows deleted", deleted)
    return deleted
