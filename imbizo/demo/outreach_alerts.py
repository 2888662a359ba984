"""Demo ward alert subscribers: residents of the West region who asked for
SMS or email alerts, most confirmed, some still waiting for confirmation.

Rows are written directly (as the demo history is), with their consent
wording and instants in the past; numbers are in the 082 555 range and
addresses at example.org, so no real person is reached.
"""

import datetime
import random
import secrets

from django.db import transaction

from imbizo.catalogue.models import Service
from imbizo.core import clock
from imbizo.core.bulk import bulk_insert
from imbizo.core.pseudonyms import citizen_key
from imbizo.geo.models import Ward
from imbizo.outreach.alert_models import (
    Subscription,
    SubscriptionService,
    SubscriptionStatus,
    SubscriptionWard,
)
from imbizo.privacy.consent import ALERTS, ALERTS_WORDING
from imbizo.privacy.services import consent_wording

SUBSCRIBERS = 240
CONFIRMED_SHARE = 0.8
SMS_SHARE = 0.65


@transaction.atomic
def alerts_build(*, seed: int) -> dict[str, int]:
    """Subscribers across the West wards; returns counts by kind."""
    rng = random.Random(seed * 16 + 4)
    wards = list(Ward.objects.filter(region__code="west").order_by("code").values_list(
        "pk", flat=True))
    if not wards:
        return {}
    water = list(Service.objects.filter(department__code="water").values_list("pk", flat=True))
    wording = consent_wording(purpose=ALERTS, text=ALERTS_WORDING, language="en")
    now = clock.now()
    rows, ward_links, service_links = [], [], []
    for n in range(SUBSCRIBERS):
        sms = rng.random() < SMS_SHARE
        address = f"+2782555{n:04d}" if sms else f"resident{n}@example.org"
        asked = now - datetime.timedelta(days=rng.uniform(0, 120))
        confirmed = rng.random() < CONFIRMED_SHARE
        if not confirmed:  # unconfirmed ones are recent: older ones the retention sweep drops
            asked = now - datetime.timedelta(hours=rng.uniform(1, 100))
        rows.append({
            "channel": "sms" if sms else "email", "address": address,
            "address_key": citizen_key(address), "language": "en",
            "status": SubscriptionStatus.CONFIRMED if confirmed else SubscriptionStatus.PENDING,
            "all_services": not (water and rng.random() < 0.3),
            "confirm_token": secrets.token_urlsafe(32),
            "unsubscribe_token": secrets.token_urlsafe(16), "consent_wording_id": wording.pk,
            "created_at": asked,
            "confirmed_at": asked + datetime.timedelta(minutes=rng.uniform(1, 60))
            if confirmed else None,
        })
    bulk_insert(Subscription, rows)
    made = Subscription.objects.filter(address_key__in=[r["address_key"] for r in rows])
    for subscription in made.only("pk", "all_services"):
        for ward in rng.sample(wards, k=min(len(wards), rng.choice((1, 1, 1, 2)))):
            ward_links.append({"subscription_id": subscription.pk, "ward_id": ward})
        if not subscription.all_services:
            service_links += [{"subscription_id": subscription.pk, "service_id": pk}
                              for pk in water]
    bulk_insert(SubscriptionWard, ward_links)
    bulk_insert(SubscriptionService, service_links)
    confirmed = sum(1 for r in rows if r["status"] == SubscriptionStatus.CONFIRMED)
    return {"alert subscribers": len(rows), "confirmed": confirmed,
            "waiting for confirmation": len(rows) - confirmed}
