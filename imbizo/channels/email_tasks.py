"""The worker's poll of the institution's mailboxes (channels.email_imap)."""

import logging

from django.conf import settings
from django_tasks import task

from imbizo.core.periodic import periodic

from .email_imap import MailboxError, mailbox_poll
from .models import Gateway, GatewayKind

logger = logging.getLogger("imbizo.channels")


def mailboxes_poll() -> int:
    """Poll every active IMAP gateway once; the number of messages handled. A
    mailbox that cannot be read is logged and does not stop the others."""
    handled = 0
    for gateway in Gateway.objects.filter(kind=GatewayKind.EMAIL, adapter="imap", active=True):
        try:
            handled += mailbox_poll(gateway=gateway).handled
        except (MailboxError, OSError) as problem:
            logger.warning("email gateway %s not polled: %s", gateway.pk, problem)
    return handled


@periodic(every_seconds=getattr(settings, "EMAIL_POLL_SECONDS", 60))
@task()
def email_poll_task() -> int:
    """Read citizens' email replies from every IMAP gateway's mailbox."""
    return mailboxes_poll()
