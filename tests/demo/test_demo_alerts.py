"""The demo's ward alert subscribers: West wards, both channels, some unconfirmed,
and a fan-out to the West reaches the confirmed ones only."""

import pytest

from imbizo.demo.municipality import demo_build
from imbizo.demo.outreach_alerts import alerts_build
from imbizo.geo.models import Ward
from imbizo.outreach.alert_models import Subscription, SubscriptionStatus
from imbizo.outreach.alerts import alerts_preview

pytestmark = pytest.mark.django_db


def test_demo_subscribers_live_in_the_west_and_some_await_confirmation():
    demo_build(seed=2026)

    counts = alerts_build(seed=2026)

    subscriptions = Subscription.objects.all()
    assert counts["alert subscribers"] == subscriptions.count() == 240
    assert set(subscriptions.values_list("channel", flat=True)) == {"sms", "email"}
    statuses = set(subscriptions.values_list("status", flat=True))
    assert statuses == {SubscriptionStatus.CONFIRMED, SubscriptionStatus.PENDING}
    regions = set(Ward.objects.filter(pk__in=subscriptions.values("wards")).values_list(
        "region__code", flat=True))
    assert regions == {"west"}
    west = list(Ward.objects.filter(region__code="west").values_list("pk", flat=True))
    recipients, _segments = alerts_preview(west, None, "Water off.")
    assert recipients == counts["confirmed"]
