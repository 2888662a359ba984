"""What every SMS adapter does with a message once it is read: store it once,
run the dialogue, queue the replies through the outbox."""

from django.db import transaction

from imbizo.catalogue.models import Channel

from .dialogue import converse
from .inbound import Inbound
from .models import Gateway, InboundMessage
from .services import inbound_receive, reply_send


def sms_receive(*, gateway: Gateway, inbound: Inbound) -> tuple[InboundMessage, list[str]]:
    """Handle one inbound SMS; (the stored message, the replies queued). A
    provider id seen before is answered with nothing (handled once)."""
    with transaction.atomic():
        message, created = inbound_receive(gateway=gateway, inbound=inbound)
        if not created:
            return message, []
        replies = converse(channel=Channel.SMS, address=message.sender, text=message.text,
                           message=message)
        reply_send(channel=Channel.SMS, address=message.sender, texts=replies,
                   case=message.case)
    return message, replies
