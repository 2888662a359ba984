"""Contact persons are personal data: in a citizen's export, deleted by an
erasure, and gone at the retention sweep once they no longer speak for the
client."""

import pytest

from imbizo.clients.key_clients import contact_person_keys
from imbizo.clients.models import ContactPerson
from imbizo.org.models import Role
from imbizo.privacy.selectors import citizen_find
from imbizo.privacy.services import citizen_erase, citizen_export, retention_sweep
from tests.clients.key.conftest import CONTACT_EMAIL, CONTACT_PHONE
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return StaffFactory(office=None, role=Role.ADMINISTRATOR)


def test_a_contact_person_is_in_the_export_found_by_phone(key_client, admin):
    document = citizen_export(staff=admin, match=citizen_find(phone=CONTACT_PHONE))

    [person] = document["key_client_contact_persons"]
    assert (person["key_client"], person["name"], person["email"]) == (
        "Thuto High School", "Mrs Dlamini", CONTACT_EMAIL)


def test_an_erasure_by_email_deletes_the_contact_person(key_client, admin):
    citizen_erase(staff=admin, match=citizen_find(email=CONTACT_EMAIL.upper()), note="Asked")

    assert not ContactPerson.objects.exists()


def test_the_retention_sweep_removes_contact_persons_who_left(key_client):
    contact_person_keys(ContactPerson(key_client=key_client, name="Former bursar",
                                      phone="0835550000", active=False)).save()

    result = retention_sweep()

    assert list(ContactPerson.objects.values_list("name", flat=True)) == ["Mrs Dlamini"]
    assert "key_client_contact_persons" in str(result)
