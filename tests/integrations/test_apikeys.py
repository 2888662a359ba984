import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from imbizo.core.errors import DomainError
from imbizo.integrations.errors import IntegrationError
from imbizo.integrations.models import ApiKey
from imbizo.integrations.services import apikey_authenticate, apikey_create, apikey_revoke
from tests.factories import DepartmentFactory, UserFactory
from tests.support import sast

pytestmark = pytest.mark.django_db


def test_a_created_key_authenticates_for_its_scopes_and_is_stored_only_as_a_digest():
    key, raw_key = apikey_create(name="Contoso CRM", scopes="open311, read")

    assert apikey_authenticate(raw_key=raw_key, scope="open311") == key
    assert apikey_authenticate(raw_key=raw_key, scope="read") == key
    stored = ApiKey.objects.get()
    assert stored.scopes == ["open311", "read"]
    assert raw_key.startswith(f"imb_{stored.prefix}_")
    assert stored.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert raw_key not in str(ApiKey.objects.values().get())


def test_a_key_without_the_scope_is_refused():
    _key, raw_key = apikey_create(name="Citizen app", scopes=["open311"])

    with pytest.raises(DomainError) as error:
        apikey_authenticate(raw_key=raw_key, scope="write")

    assert error.value.code == IntegrationError.SCOPE_MISSING


@pytest.mark.parametrize("raw_key", ["", "   ", None, "nonsense", "imb_00000000_" + "a" * 43])
def test_missing_malformed_and_unknown_keys_are_refused(raw_key):
    apikey_create(name="Citizen app", scopes=["open311"])

    with pytest.raises(DomainError) as error:
        apikey_authenticate(raw_key=raw_key, scope="open311")

    expected = IntegrationError.KEY_MISSING if not (raw_key or "").strip() else IntegrationError.KEY_INVALID
    assert error.value.code == expected


def test_a_right_prefix_with_a_wrong_secret_is_refused_like_an_unknown_key():
    _key, raw_key = apikey_create(name="Citizen app", scopes=["open311"])
    forged = raw_key[:-4] + ("aaaa" if not raw_key.endswith("aaaa") else "bbbb")

    with pytest.raises(DomainError) as error:
        apikey_authenticate(raw_key=forged, scope="open311")

    assert error.value.code == IntegrationError.KEY_INVALID


def test_a_revoked_key_stops_working():
    key, raw_key = apikey_create(name="Old CRM", scopes=["read"])

    apikey_revoke(key=key)

    with pytest.raises(DomainError) as error:
        apikey_authenticate(raw_key=raw_key, scope="read")
    assert error.value.code == IntegrationError.KEY_REVOKED


def test_unknown_scopes_and_duplicate_names_are_refused_naming_the_problem():
    apikey_create(name="CRM", scopes=["read"])

    with pytest.raises(DomainError, match="Unknown scope admin"):
        apikey_create(name="Other", scopes="read,admin")
    with pytest.raises(DomainError, match="already exists"):
        apikey_create(name="CRM", scopes=["read"])
    assert ApiKey.objects.count() == 1


def test_last_used_is_written_at_most_once_a_minute(django_assert_num_queries):
    _key, raw_key = apikey_create(name="CRM", scopes=["read"])
    with time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False):
        apikey_authenticate(raw_key=raw_key, scope="read")
        with django_assert_num_queries(1):  # the look-up only, no UPDATE
            apikey_authenticate(raw_key=raw_key, scope="read")
    with time_machine.travel(sast(2026, 3, 2, 9, 2), tick=False):
        apikey_authenticate(raw_key=raw_key, scope="read")
    assert ApiKey.objects.get().last_used_at == sast(2026, 3, 2, 9, 2)


def test_the_command_prints_the_key_as_its_last_word_and_limits_it_to_a_department():
    DepartmentFactory(code="water")
    out = StringIO()

    call_command("apikey", "create", "Water CRM", "--scopes", "open311,read",
                 "--department", "water", stdout=out)

    raw_key = out.getvalue().split()[-1]
    key = apikey_authenticate(raw_key=raw_key, scope="open311")
    assert key.department.code == "water"


def test_the_command_names_an_unknown_department_and_creates_nothing():
    with pytest.raises(CommandError, match="No department has the code roads"):
        call_command("apikey", "create", "Roads CRM", "--scopes", "read", "--department", "roads")
    assert not ApiKey.objects.exists()


def test_the_command_lists_prefixes_and_revokes_by_prefix():
    key, raw_key = apikey_create(name="CRM", scopes=["read"])
    out = StringIO()

    call_command("apikey", "list", stdout=out)
    call_command("apikey", "revoke", key.prefix, stdout=StringIO())

    assert key.prefix in out.getvalue() and raw_key not in out.getvalue()
    assert ApiKey.objects.get().revoked_at is not None


def test_the_admin_shows_a_new_key_once_and_never_stores_it(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.post(reverse("admin:integrations_apikey_add"),
                           {"name": "Call centre", "scopes": ["read", "write"]})

    assert response.status_code == 200
    raw_key = response.context["raw_key"]
    assert raw_key in response.content.decode()
    assert apikey_authenticate(raw_key=raw_key, scope="write").name == "Call centre"
    change = client.get(reverse("admin:integrations_apikey_change", args=[ApiKey.objects.get().pk]))
    assert raw_key not in change.content.decode()
    assert raw_key not in str(dict(client.session))


def test_the_admin_refuses_a_key_without_scopes(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.post(reverse("admin:integrations_apikey_add"), {"name": "Call centre"})

    assert response.status_code == 200
    assert "scopes" in response.context["adminform"].form.errors
    assert not ApiKey.objects.exists()
