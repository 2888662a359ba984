"""Alert subscriptions are personal data: in a citizen's export and erasure."""

import json

import pytest

from imbizo.org.models import Role
from imbizo.outreach.alert_models import Subscription
from imbizo.privacy.models import AccessPurpose, PersonalDataAccess
from tests.factories import StaffFactory, WardFactory
from tests.outreach.factories import subscription_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, institution):
    staff = StaffFactory(role=Role.ADMINISTRATOR)
    client.force_login(staff.user)
    return staff


def test_a_subscriber_without_cases_gets_their_subscriptions_in_the_export(client,
                                                                          administrator):
    ward = WardFactory(name="West 1")
    subscription_make(address="+27821234567", ward_ids=[ward.pk])
    subscription_make(address="+27829999999", ward_ids=[ward.pk])

    page = client.get("/staff/privacy/?phone=082+123+4567").content.decode()
    assert "Download their data" in page
    response = client.post("/staff/privacy/export/", {"phone": "082 123 4567"})

    document = json.loads(response.content)
    assert [(s["address"], s["wards"], s["status"]) for s in document["alert_subscriptions"]] == [
        ("+27821234567", ["West 1"], "confirmed")]
    assert "alerts about service interruptions" in document["alert_subscriptions"][0][
        "consent"]["wording"]
    assert PersonalDataAccess.objects.filter(purpose=AccessPurpose.EXPORT).count() == 1


def test_erasure_deletes_the_subscriptions_of_that_address_only(client, administrator):
    ward = WardFactory()
    subscription_make(address="a@example.org", channel="email", ward_ids=[ward.pk])
    kept = subscription_make(address="b@example.org", channel="email", ward_ids=[ward.pk])

    response = client.post("/staff/privacy/erase/", {"email": "A@example.org",
                                                     "note": "letter 12", "confirm": "on"})

    assert response.status_code == 302
    assert list(Subscription.objects.values_list("pk", flat=True)) == [kept.pk]
