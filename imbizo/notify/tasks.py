"""Background sending of the outbox, run by `imbizo worker` (see notify.delivery)."""

from django_tasks import task

from imbizo.core.periodic import periodic

from .delivery import message_send, outbox_send_due


@task()
def outbox_deliver(message_id: int) -> bool:
    """Send one message, enqueued when the transaction that wrote it committed.
    False when it was not sent now (already sent, held elsewhere, or failed)."""
    return message_send(message_id=message_id)


@periodic(every_seconds=15)
@task()
def outbox_sweep() -> int:
    """Send every message that is due: bulk-written ones, retries, lost enqueues."""
    return outbox_send_due()
