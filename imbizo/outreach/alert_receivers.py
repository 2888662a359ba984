"""Alerts hear of service interruptions (outreach.hooks) and tell the subscribers."""

from django.dispatch import receiver

from imbizo.privacy.hooks import citizen_erasing, citizen_exporting, retention_sweeping

from .alerts import (
    INTERRUPTION_TEMPLATE,
    alerts_fanout,
    subscriptions_erase,
    subscriptions_expire,
    subscriptions_export,
)
from .hooks import interruption_changed


@receiver(interruption_changed)
def interruption_alert(sender, *, interruption, change: str, update=None, **kwargs) -> int:
    """One message per subscriber of the interruption's wards and service, in
    the transaction of the change; its words are written when sent, from the
    interruption as it then is."""
    update_id = getattr(update, "pk", None) or 0
    return alerts_fanout(
        ward_ids=list(interruption.wards.values_list("pk", flat=True)),
        service_id=interruption.service_id, change=change, template=INTERRUPTION_TEMPLATE,
        deferred_context={"interruption_id": interruption.pk},
        dedupe_prefix=f"interruption:{interruption.pk}:{change}:{update_id}")


@receiver(citizen_exporting)
def subscriptions_in_export(sender, *, match, document: dict, **kwargs) -> None:
    document["alert_subscriptions"] = subscriptions_export(keys=match.keys)


@receiver(citizen_erasing)
def subscriptions_in_erasure(sender, *, match, **kwargs) -> int:
    return subscriptions_erase(keys=match.keys)


@receiver(retention_sweeping)
def subscriptions_retention(sender, *, now, **kwargs) -> dict[str, int]:
    return subscriptions_expire(now=now)
