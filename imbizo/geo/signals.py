from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Ward
from .selectors import ward_index_reset


@receiver([post_save, post_delete], sender=Ward)
def _ward_changed(**kwargs) -> None:
    ward_index_reset()
