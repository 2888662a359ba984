"""A standard's new version carries its translations (catalogue.services.standard_revise
saves each version as a new row; the catalogue knows nothing of translations)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from imbizo.catalogue.models import ServiceStandard

from .services import translations_carry_forward


@receiver(post_save, sender=ServiceStandard)
def _standard_saved(sender, instance: ServiceStandard, created: bool, raw: bool = False,
                    **kwargs) -> None:
    if not created or raw or instance.version <= 1:
        return
    previous = (ServiceStandard.objects.filter(service_id=instance.service_id,
                                               version__lt=instance.version)
                .order_by("-version").first())
    if previous is not None:
        translations_carry_forward(previous=previous, current=instance)
