from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from imbizo.geo.models import Ward
from imbizo.org.models import Office

from .models import RoutingRule
from .routing import routing_reset


@receiver([post_save, post_delete], sender=RoutingRule)
@receiver([post_save, post_delete], sender=Office)
@receiver([post_save, post_delete], sender=Ward)
def _routing_changed(**kwargs) -> None:
    # Now, for this transaction's own reads, and again after commit, so that no
    # other thread keeps a copy rebuilt from rows that were not yet committed.
    routing_reset()
    transaction.on_commit(routing_reset)
