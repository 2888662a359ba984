"""The text dialogue shared by SMS and WhatsApp (docs/channels.md)."""

import re

from django.utils.translation import gettext as _

from . import services
from .models import InboundMessage

STOP_WORDS = frozenset({"stop", "unsubscribe", "cancel", "end", "quit", "stopall"})
STATUS = re.compile(r"^\s*status\s*:?\s*([A-Za-z0-9-]*)\s*$", re.IGNORECASE)


def converse(*, channel: str, address: str, text: str = "", lat=None, lon=None, media=None,
             message: InboundMessage | None = None) -> list[str]:
    """The replies to one message from `address` on `channel`."""
    address = services.address_normalise(channel, address)
    words = (text or "").strip()
    if words.lower() in STOP_WORDS:
        services.opt_out(channel=channel, address=address)
        if message is not None:
            services.outcome_set(message, InboundMessage.Outcome.STOP)
        return []
    status = STATUS.match(words)
    if status:
        if message is not None:
            services.outcome_set(message, InboundMessage.Outcome.STATUS)
        return [services.status_text(reference=status.group(1), address=address)]
    case = services.open_case_of(channel=channel, address=address)
    if case is not None and message is not None:
        services.case_message_add(case=case, message=message, channel=channel)
        return [_("Thank you: your message was added to report %(ref)s.")
                % {"ref": case.reference}]
    if message is not None:
        services.outcome_set(message, InboundMessage.Outcome.MENU)
    return [_("Text STATUS and your reference to follow a report.")]
