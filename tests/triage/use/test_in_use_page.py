"""The administrators' page of triage in use."""

import pytest
import time_machine
from django.urls import reverse

from imbizo.org.models import Role
from imbizo.triage.usage import suggestion_record
from tests.factories import StaffFactory
from tests.triage.use.conftest import MONDAY_10, report

URL = "/staff/triage/in-use/"


@pytest.fixture
def recorded(world, services, here):
    with time_machine.travel(MONDAY_10, tick=False):
        cases = [report(services.leak, f"Burst pipe {n}", point=here) for n in range(3)]
    suggestion_record(case=cases[0], door="intake", suggested=["water-leak"], model="5")
    suggestion_record(case=cases[1], door="report", suggested=["pothole"], model="5")
    suggestion_record(case=cases[2], door="report", suggested=[], model="")
    return cases


def test_the_url():
    assert reverse("backoffice:triage_in_use") == URL


def test_administrators_see_accuracy_in_use_by_door_and_model(client, world, recorded):
    client.force_login(StaffFactory(office=world.office, role=Role.ADMINISTRATOR).user)

    with time_machine.travel(MONDAY_10, tick=False):
        response = client.get(URL)

    assert response.status_code == 200
    [(label, doors), *_] = response.context["rows"]
    figures = dict(doors)
    assert figures["All doors"].cases == 3 and figures["All doors"].accuracy_in_use == 0.5
    assert figures["Public report form"].cases == 2
    versions = [version for version, _model, _f in response.context["models"]]
    assert versions == ["5", ""]
    assert "Accuracy in use" in response.content.decode()


@pytest.mark.parametrize("role", [Role.AGENT, Role.OFFICER, Role.SUPERVISOR, Role.ANALYST])
def test_other_roles_are_refused(client, world, role):
    client.force_login(StaffFactory(office=world.office, role=role).user)
    assert client.get(URL).status_code == 403


def test_the_page_takes_a_fixed_number_of_queries(client, world, recorded,
                                                  django_assert_max_num_queries):
    client.force_login(StaffFactory(office=world.office, role=Role.ADMINISTRATOR).user)
    client.get(URL)
    with django_assert_max_num_queries(20):
        client.get(URL)
