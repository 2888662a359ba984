"""The retention sweep, run by `imbizo worker` (settings in docs/operations.md)."""

import logging

from django_tasks import task

from imbizo.core.periodic import periodic

from .services import retention_sweep

logger = logging.getLogger("imbizo.privacy")


@periodic(every_seconds=6 * 3600)
@task()
def retention_sweep_task() -> dict:
    """Remove personal data kept past the retention period."""
    result = retention_sweep()
    if any((result.cases, result.contacts, result.messages, result.access_entries,
            result.sign_ins, *result.others.values())):
        logger.info("retention sweep: %s", result)
    return {"cases": result.cases, "contacts": result.contacts, "messages": result.messages,
            "access_entries": result.access_entries, "sign_ins": result.sign_ins, **result.others}
