from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from imbizo.org.models import Institution

from .models import (
    Closure,
    PriorityTarget,
    Service,
    ServiceAttribute,
    ServiceStandard,
    WorkingHours,
)
from .snapshot import snapshot_reset


@receiver([post_save, post_delete], sender=Service)
@receiver([post_save, post_delete], sender=ServiceAttribute)
@receiver([post_save, post_delete], sender=ServiceStandard)
@receiver([post_save, post_delete], sender=PriorityTarget)
@receiver([post_save, post_delete], sender=WorkingHours)
@receiver([post_save, post_delete], sender=Closure)
@receiver([post_save, post_delete], sender=Institution)
def _catalogue_changed(**kwargs) -> None:
    # Now, for this transaction's own reads, and again after commit, so that no
    # other thread keeps a copy rebuilt from rows that were not yet committed.
    snapshot_reset()
    transaction.on_commit(snapshot_reset)
