"""Gateways are configured in the admin: the adapter's own checks, the secret kept hashed."""

import pytest

from imbizo.channels.models import Gateway
from imbizo.org.models import Role
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    user = UserFactory(is_staff=True, is_superuser=True)
    StaffFactory(user=user, role=Role.ADMINISTRATOR, office=world.office)
    client.force_login(user)
    return client


def test_an_administrator_adds_a_gateway_and_only_the_secrets_hash_is_kept(admin_client):
    response = admin_client.post("/admin/channels/gateway/add/", {
        "kind": "sms", "slug": "bulk", "adapter": "generic", "new_secret": "a-long-secret",
        "settings": '{"format": "json", "fields": {"sender": "msisdn"}}', "active": "on"})
    assert response.status_code == 302
    gateway = Gateway.objects.get()
    assert gateway.secret_matches("a-long-secret") and "a-long-secret" not in gateway.secret_hash
    page = admin_client.get("/admin/channels/gateway/")
    assert b"/channels/sms/bulk/&lt;secret&gt;/" in page.content


def test_the_adapter_names_what_is_wrong_with_its_settings(admin_client):
    response = admin_client.post("/admin/channels/gateway/add/", {
        "kind": "sms", "slug": "bulk", "adapter": "generic", "new_secret": "a-long-secret",
        "settings": '{"format": "xml"}', "active": "on"})
    assert response.status_code == 200
    assert '"format" must be "form" or "json".' in response.content.decode().replace("&quot;", '"')
    assert not Gateway.objects.exists()


def test_an_adapter_of_another_kind_is_refused(admin_client):
    response = admin_client.post("/admin/channels/gateway/add/", {
        "kind": "email", "slug": "x", "adapter": "generic", "new_secret": "a-long-secret",
        "settings": "{}", "active": "on"})
    assert response.status_code == 200 and b"There is no email adapter named generic" \
        in response.content
