"""The place at the agent's intake: ward from the pin or the select, and the
rule that a service needing a place has one unless the caller cannot say."""

import pytest
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.org.models import Role
from tests.factories import StaffFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client, world):
    world.service.needs_place = True
    world.service.save()
    client.force_login(StaffFactory(office=world.office, role=Role.AGENT).user)
    return client


def intake(**changes) -> dict:
    return {"channel": "walk_in", "kind": "request", "service": "water-leak",
            "description": "Walk-in: water running in the street", "address": "Long Street",
            "priority": "normal", **changes}


def test_the_intake_page_shows_the_place_picker_and_the_ward_select(agent_client):
    page = agent_client.get(reverse("backoffice:intake")).content.decode()

    assert "data-place-picker" in page
    assert 'name="ward"' in page
    assert 'name="place_unknown"' in page
    assert page.count('name="lat"') == 1


def test_a_walk_in_without_a_ward_is_refused_and_the_form_keeps_what_was_typed(agent_client):
    response = agent_client.post(reverse("backoffice:intake"), intake())

    assert response.status_code == 200
    assert "needs a place" in " ".join(response.context["form"].errors["ward"])
    assert 'value="Long Street"' in response.content.decode()
    assert not Case.objects.exists()


def test_a_walk_in_with_the_ward_chosen_gets_that_ward(agent_client, world):
    other = WardFactory(code="W777")

    response = agent_client.post(reverse("backoffice:intake"), intake(ward="W777"))

    assert response.status_code == 302
    assert Case.objects.get().ward == other


def test_a_pin_gives_the_ward(agent_client, world):
    response = agent_client.post(reverse("backoffice:intake"), intake(
        lat=str(world.ward.centroid_lat), lon=str(world.ward.centroid_lon)))

    assert response.status_code == 302
    assert Case.objects.get().ward == world.ward


def test_the_agent_may_say_the_place_is_unknown(agent_client):
    response = agent_client.post(reverse("backoffice:intake"), intake(place_unknown="on"))

    assert response.status_code == 302
    assert Case.objects.get().ward is None


def test_an_enquiry_needs_no_place(agent_client):
    response = agent_client.post(reverse("backoffice:intake"), intake(kind="enquiry", address=""))

    assert response.status_code == 302


def test_the_case_page_shows_the_crew_the_map_of_the_place(agent_client, world):
    agent_client.post(reverse("backoffice:intake"), intake(
        lat=str(world.ward.centroid_lat), lon=str(world.ward.centroid_lon)))
    case = Case.objects.get()
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    agent_client.force_login(officer.user)

    page = agent_client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert "data-case-map" in page
    assert f'data-ward="{world.ward.code}"' in page
    assert f"geo:{world.ward.centroid_lat:f}" in page
