"""The institution's mailbox, read by IMAP: citizens' email replies.

This gateway is polled, not called: the worker reads its mailbox every
EMAIL_POLL_SECONDS (channels.email_tasks, channels.email_imap). Its
callback address answers 404, whatever the secret. Settings: see
channels.email_imap and docs/channels-email.md.
"""

from django.http import HttpResponse

from imbizo.channels import email_tasks  # noqa: F401 - the periodic poll of these mailboxes
from imbizo.channels.email_imap import mailbox_settings
from imbizo.channels.models import GatewayKind

from . import Adapter, register


@register
class ImapMailbox(Adapter):
    kind = GatewayKind.EMAIL
    name = "imap"

    def settings_check(self, settings: dict) -> list[str]:
        return mailbox_settings(settings)[1]

    def handle(self, request, gateway) -> HttpResponse:
        return HttpResponse("This gateway reads a mailbox; it takes no callbacks.\n", status=404,
                            content_type="text/plain")
