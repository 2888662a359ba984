"""How channels answer the hooks of apps below it (privacy: docs/adr/0016-how-apps-talk.md)."""

from django.dispatch import receiver

from imbizo.privacy.hooks import (
    citizen_erasing,
    citizen_exporting,
    personal_data_expiring,
    retention_sweeping,
)

from . import personal_data


@receiver(citizen_exporting)
def messages_in_export(*, match, document, **kwargs) -> None:
    """The messages the citizen sent by SMS, USSD, WhatsApp or email, and their STOPs."""
    document["channel_messages"] = personal_data.messages_export(identifiers=match.identifiers)
    document["opt_outs"] = personal_data.opt_outs_export(identifiers=match.identifiers)


@receiver(citizen_erasing)
def messages_in_erasure(*, match, **kwargs) -> int:
    return personal_data.messages_erase(identifiers=match.identifiers)


@receiver(personal_data_expiring)
def messages_expiring(*, cutoff, **kwargs) -> None:
    personal_data.messages_expire(before=cutoff)


@receiver(retention_sweeping)
def conversations_retention(*, now, **kwargs) -> dict[str, int]:
    removed = personal_data.conversations_expire(now=now)
    return {"channel_conversations": removed} if removed else {}
