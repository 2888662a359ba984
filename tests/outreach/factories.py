"""Factories for alert subscriptions: confirmed ones straight into the tables,
as the fan-out and bench need many."""

import secrets

from imbizo.core import clock
from imbizo.core.pseudonyms import citizen_key
from imbizo.outreach.alert_models import (
    Subscription,
    SubscriptionService,
    SubscriptionStatus,
    SubscriptionWard,
)
from imbizo.privacy.consent import ALERTS, ALERTS_WORDING
from imbizo.privacy.services import consent_wording


def subscription_make(*, address: str, ward_ids, channel: str = "sms", service_ids=(),
                      status: str = SubscriptionStatus.CONFIRMED, language: str = "en",
                      created_at=None) -> Subscription:
    now = created_at or clock.now()
    subscription = Subscription.objects.create(
        channel=channel, address=address, address_key=citizen_key(address), language=language,
        status=status, all_services=not service_ids, confirm_token=secrets.token_urlsafe(32),
        unsubscribe_token=secrets.token_urlsafe(16),
        consent_wording=consent_wording(purpose=ALERTS, text=ALERTS_WORDING, language="en"),
        created_at=now, confirmed_at=now if status == SubscriptionStatus.CONFIRMED else None)
    SubscriptionWard.objects.bulk_create(
        [SubscriptionWard(subscription=subscription, ward_id=pk) for pk in ward_ids])
    SubscriptionService.objects.bulk_create(
        [SubscriptionService(subscription=subscription, service_id=pk) for pk in service_ids])
    return subscription
