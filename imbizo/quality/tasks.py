"""Background work of the quality programme, run by `imbizo worker`."""

from django_tasks import task

from imbizo.core.periodic import periodic

from .digest import recognition_digest_send


@periodic(every_seconds=3600)
@task()
def recognition_digest_task() -> int:
    """Last month's recognition digest to each manager (once: see the dedupe keys)."""
    return recognition_digest_send()
