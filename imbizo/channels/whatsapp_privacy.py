"""WhatsApp photos waiting for their report take part in privacy's erasure
and retention sweep (privacy/hooks.py), like every other personal record."""

from django.dispatch import receiver

from imbizo.privacy.hooks import citizen_erasing, retention_sweeping

from .whatsapp_media import photos_expire, photos_forget


@receiver(citizen_erasing, dispatch_uid="channels.whatsapp_photos_erasing")
def waiting_photos_in_erasure(sender, *, match, **kwargs) -> int:
    return photos_forget(keys=match.keys)


@receiver(retention_sweeping, dispatch_uid="channels.whatsapp_photos_retention")
def waiting_photos_retention(sender, *, now, **kwargs) -> dict[str, int]:
    return {"whatsapp photos never reported": photos_expire(now=now)}
