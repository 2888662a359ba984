"""Key clients for tests: a group, an account manager, one key client with a
contact person (the caller's phone and email are theirs)."""

from datetime import timedelta

import pytest

from imbizo.clients.key_clients import contact_person_keys
from imbizo.clients.models import ClientGroup, ContactPerson, KeyClient, OrganisationKind
from imbizo.core import clock
from imbizo.org.models import Role
from tests.factories import StaffFactory

CONTACT_PHONE = "082 555 0101"
CONTACT_EMAIL = "principal@school.example.org"


@pytest.fixture
def groups(db):
    households = ClientGroup.objects.create(code="households", name="Households",
                                            client_type="external", default_for_type=True)
    schools = ClientGroup.objects.create(code="schools", name="Schools",
                                         client_type="external")
    return type("Groups", (), {"households": households, "schools": schools})


@pytest.fixture
def account_manager(world):
    return StaffFactory(office=world.office, role=Role.OFFICER,
                        user__username="nomsa", user__first_name="Nomsa")


@pytest.fixture
def key_client(world, groups, account_manager):
    client = KeyClient.objects.create(
        name="Thuto High School", kind=OrganisationKind.SCHOOL, group=groups.schools,
        account_manager=account_manager, office=world.office, visit_every_days=60,
        created_at=clock.now() - timedelta(days=400))
    person = ContactPerson(key_client=client, name="Mrs Dlamini", role="Principal",
                           phone=CONTACT_PHONE, email=CONTACT_EMAIL, survey_consent=True)
    contact_person_keys(person).save()
    return client
