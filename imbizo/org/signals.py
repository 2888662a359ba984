from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Institution
from .selectors import institution_country_reset


@receiver([post_save, post_delete], sender=Institution)
def _institution_changed(**kwargs) -> None:
    # Now, for this transaction's own reads, and again after commit, so that no
    # other thread keeps a copy rebuilt from a row that was not yet committed.
    institution_country_reset()
    transaction.on_commit(institution_country_reset)
