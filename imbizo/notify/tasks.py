"""Background sending of the outbox, run by `imbizo worker` (see notify.delivery)."""

from django.conf import settings
from django_tasks import task

from imbizo.core.periodic import periodic

from .delivery import message_send, outbox_send_due


@task()
def outbox_deliver(message_id: int) -> bool:
    """Send one message, enqueued when the transaction that wrote it committed.
    False when it was not sent now (already sent, held elsewhere, or failed)."""
    return message_send(message_id=message_id)


@periodic(every_seconds=settings.OUTBOX_SWEEP_SECONDS)
@task()
def outbox_sweep() -> int:
    """Send every message that is due: bulk-written ones (among them the
    acknowledgement that opening a case on PostgreSQL writes in its one
    statement), retries, lost enqueues."""
    return outbox_send_due()
