"""Background sending of the outbox, run by `imbizo worker`."""

from django_tasks import task

from imbizo.core.periodic import periodic

from .delivery import outbox_send_due


@periodic(every_seconds=5)
@task()
def outbox_sweep() -> int:
    """Send every message that is due (new ones and retries)."""
    return outbox_send_due()
