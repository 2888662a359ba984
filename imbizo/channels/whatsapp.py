"""What a WhatsApp message does once its webhook is read (docs/channels-whatsapp.md).

The same dialogue as SMS (dialogue.converse): a text, a location pin (the
ward comes from the point) or a photo (fetched, checked, kept on the case)
from the citizen, the replies back through the outbox on channel whatsapp
(notify sends them as free text inside Meta's 24-hour window, as the
gateway's template outside it: whatsapp_outbox). Each message is stored once
per WhatsApp message id (wamid): a second delivery does nothing.

Message types we cannot read (voice notes, stickers, videos, documents...)
are stored as refused and answered with a short note of what we can read.
"""

import logging

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.catalogue.models import Channel
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.notify.whatsapp import message_failed_report

from . import whatsapp_media
from .dialogue import converse
from .inbound import Inbound, Media
from .models import Conversation, Gateway, InboundMessage
from .services import (
    case_message_add,
    inbound_receive,
    open_case_of,
    outcome_set,
    reply_send,
)
from .whatsapp_webhook import WhatsAppMessage, WhatsAppStatus

logger = logging.getLogger("imbizo.channels")


def unsupported_reply() -> str:
    return _("Sorry, we cannot read this kind of message. Send text, a location pin or a "
             "photo, or type MENU.")


def whatsapp_receive(*, gateway: Gateway, item: WhatsAppMessage) -> list[str]:
    """Handle one citizen message; the replies queued (none for a repeat)."""
    if InboundMessage.objects.filter(gateway=gateway, provider_id=item.wamid[:200]).exists():
        return []  # a second delivery of the same wamid: handled once
    photo, refusal = None, ""
    if item.kind == "image":
        # Fetched before the transaction: no database lock across the network.
        try:
            photo = whatsapp_media.photo_fetch(
                whatsapp_media.graph_client(gateway,
                                            graph_url=django_settings.WHATSAPP_GRAPH_URL),
                media_id=item.media_id)
        except whatsapp_media.PhotoRefused as exc:
            refusal = str(exc)
    with transaction.atomic():
        message, created = inbound_receive(gateway=gateway, inbound=_inbound(item))
        if not created:
            return []
        replies = _answer(item, message, photo=photo, refusal=refusal)
        reply_send(channel=Channel.WHATSAPP, address=message.sender, texts=replies,
                   case=message.case)
    return replies


def _inbound(item: WhatsAppMessage) -> Inbound:
    media = ([Media(url_or_id=item.media_id, content_type=item.mime_type)]
             if item.media_id else [])
    extra = {"type": item.kind}
    if item.place_name or item.place_address:
        extra["place"] = ", ".join(p for p in (item.place_name, item.place_address) if p)
    return Inbound(provider_id=item.wamid, sender=item.sender, text=item.text,
                   received_at=item.sent_at, lat=item.lat, lon=item.lon, media=media,
                   extra=extra)


def _answer(item: WhatsAppMessage, message: InboundMessage, *, photo: ContentFile | None,
            refusal: str) -> list[str]:
    if not item.supported:
        outcome_set(message, InboundMessage.Outcome.REFUSED)
        return [unsupported_reply()]
    if refusal:
        outcome_set(message, InboundMessage.Outcome.REFUSED)
        return [refusal]
    address = message.sender
    if photo is not None and not item.text.strip():
        return _photo_alone(address, message, photo)
    # The photo is ours to place (below), so the dialogue is not given it.
    try:
        replies = converse(channel=Channel.WHATSAPP, address=address, text=item.text,
                           lat=item.lat, lon=item.lon, message=message)
    except DomainError as exc:
        # The intake refused what the dialogue gathered: the citizen hears why.
        outcome_set(message, InboundMessage.Outcome.REFUSED)
        return [exc.message]
    notes = _photos_place(address, message, photo)
    return [*notes, *replies]


def _photo_alone(address: str, message: InboundMessage, photo: ContentFile) -> list[str]:
    """A photo without a caption: it joins the sender's open case, or waits for
    the report being made. Not a step of the dialogue (it answers no question)."""
    case = open_case_of(channel=Channel.WHATSAPP, address=address)
    if case is not None:
        try:
            whatsapp_media.photo_attach(case=case, photo=photo)
        except whatsapp_media.PhotoRefused as exc:
            outcome_set(message, InboundMessage.Outcome.REFUSED)
            return [str(exc)]
        # A contact and a timeline entry like any message; its words say what came.
        message.text = _("(a photo, added to the case's photos)")
        case_message_add(case=case, message=message, channel=Channel.WHATSAPP)
        return [_("Thank you: your photo was added to report %(ref)s.") % {"ref": case.reference}]
    try:
        whatsapp_media.photo_hold(address=address, photo=photo)
    except whatsapp_media.PhotoRefused as exc:
        outcome_set(message, InboundMessage.Outcome.REFUSED)
        return [str(exc)]
    kept = _("Thank you for the photo: it will go with your report.")
    if Conversation.objects.filter(channel=Channel.WHATSAPP, address=address,
                                   expires_at__gt=clock.now()).exists():
        outcome_set(message, InboundMessage.Outcome.DIALOGUE)
        return [kept]
    # No report under way: the photo starts one (the menu of services).
    return [kept, *converse(channel=Channel.WHATSAPP, address=address, text="",
                            message=message)]


def _photos_place(address: str, message: InboundMessage, photo: ContentFile | None) -> list[str]:
    """After the dialogue: this message's photo and any waiting ones join the
    case it ended on; without a case yet, this one waits."""
    case = message.case
    notes = []
    if photo is not None:
        try:
            if case is not None:
                whatsapp_media.photo_attach(case=case, photo=photo)
            else:
                whatsapp_media.photo_hold(address=address, photo=photo)
        except (whatsapp_media.PhotoRefused, DomainError) as exc:
            notes.append(str(getattr(exc, "message", exc)))
    if case is not None:
        whatsapp_media.photos_join(address=address, case=case)
    return notes


def status_report(*, item: WhatsAppStatus) -> None:
    """WhatsApp's report on a message we sent; only failures are kept (notify)."""
    if item.status != "failed":
        return
    reason = "WhatsApp reported it failed"
    if item.error_code is not None:
        reason += f": error {item.error_code}"
    if item.error_title:
        reason += f" ({item.error_title})"
    message_failed_report(provider_id=item.wamid, reason=reason)
