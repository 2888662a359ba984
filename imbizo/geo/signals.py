from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Ward
from .selectors import ward_index_reset


@receiver([post_save, post_delete], sender=Ward)
def _ward_changed(**kwargs) -> None:
    # Now, for this transaction's own reads, and again after commit, so that no
    # other thread keeps a copy rebuilt from rows that were not yet committed.
    ward_index_reset()
    transaction.on_commit(ward_index_reset)
