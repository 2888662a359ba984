"""Putting cases and responses in a group: the rules of clients.services."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from imbizo.cases.models import ClientType
from imbizo.clients.errors import ClientError
from imbizo.clients.models import CaseClient, ClientGroup, KeyClient, OrganisationKind
from imbizo.clients.services import (
    case_client_set,
    default_group,
    group_of_case,
    response_client_set,
)
from imbizo.core import clock
from tests.clients.factories import at, case, group, people, response

pytestmark = pytest.mark.django_db


def test_a_case_without_a_link_counts_in_its_types_default_group(world):
    households = group("households", default=True)
    group("departments", client_type=ClientType.INTERNAL, default=True)
    given = case(world, opened_at=at(2026, 2, 1))

    assert group_of_case(given) == households
    assert default_group(ClientType.EXTERNAL) == households


def test_a_link_puts_the_case_in_its_group_and_can_be_changed(world):
    group("households", default=True)
    schools = group("schools")
    businesses = group("businesses")
    given = case(world, opened_at=at(2026, 2, 1))

    case_client_set(case=given, group=schools, agreed="  Pipe moved to the back gate ")
    link = case_client_set(case=given, group=businesses)

    assert group_of_case(given) == businesses
    assert CaseClient.objects.filter(case=given).count() == 1
    assert link.agreed == ""


def test_a_key_clients_own_group_wins(world):
    schools = group("schools")
    businesses = group("businesses")
    manager = people(world)["manager"]
    school = KeyClient.objects.create(name="Ubuntu High", kind=OrganisationKind.SCHOOL,
                                      group=schools, account_manager=manager,
                                      created_at=clock.now())
    given = case(world, opened_at=at(2026, 2, 1))

    link = case_client_set(case=given, group=businesses, key_client=school)

    assert link.group == schools and link.key_client == school


def test_an_inactive_group_is_refused_by_name(world):
    closed = group("closed", name="Closed group", active=False)
    given = case(world, opened_at=at(2026, 2, 1))

    with pytest.raises(ClientError) as error:
        case_client_set(case=given, group=closed)

    assert "Closed group" in error.value.message and error.value.field == "group"
    assert isinstance(error.value, ValueError)


def test_a_response_is_put_in_a_group(world, instruments):
    schools = group("schools")
    answered = response(submitted_at=at(2026, 2, 2), answers={"overall": 4})

    link = response_client_set(response=answered, group=schools)

    assert link.group == schools and link.source == CaseClient.Source.SURVEY


def test_only_one_default_group_per_client_type(world):
    group("households", name="Households", default=True)
    second = ClientGroup(code="all", name="Everyone", default_for_type=True)

    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "Households" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
