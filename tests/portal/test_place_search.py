"""The place search the map widget calls, and the place on the report form."""

import pytest
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.geo.models import Place
from imbizo.geo.services import places_locate
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(world):
    place = Place(code="v1", name="Vilakazi Street", area="Orlando West",
                  lat=world.ward.centroid_lat, lon=world.ward.centroid_lon)
    places_locate([place])
    place.save()
    return place


def test_the_search_answers_json_with_the_place_its_point_and_ward(client, street, world):
    response = client.get(reverse("portal:place_search"), {"q": "vilakazy"})

    assert response.status_code == 200
    body = response.json()
    [hit] = body["places"]
    assert hit["label"] == "Vilakazi Street, Orlando West"
    assert (hit["lat"], hit["lon"]) == (world.ward.centroid_lat, world.ward.centroid_lon)
    assert hit["ward"] == world.ward.code
    assert body["message"] == ""


def test_no_match_says_so_and_gives_back_what_was_typed(client, street):
    body = client.get(reverse("portal:place_search"), {"q": "12 Nowhere Lane"}).json()

    assert body["places"] == []
    assert body["query"] == "12 Nowhere Lane"
    assert body["message"] == "No place matches “12 Nowhere Lane”."


def test_anonymous_searches_are_rate_limited_and_staff_are_not(client, street, world, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "place_search": "2/h"}
    url = reverse("portal:place_search")

    answers = [client.get(url, {"q": "vila"}, REMOTE_ADDR="10.9.9.9").status_code
               for _ in range(3)]
    client.force_login(StaffFactory(office=world.office).user)
    staff = [client.get(url, {"q": "vila"}, REMOTE_ADDR="10.9.9.9").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert staff == [200, 200, 200]


def test_the_report_form_has_no_latitude_or_longitude_boxes_but_hidden_inputs(client, world):
    page = client.get(reverse("portal:report")).content.decode()

    assert 'type="hidden" name="lat"' in page
    assert 'type="hidden" name="lon"' in page
    assert "Latitude" not in page
    assert 'name="ward"' in page
    assert "data-place-picker" in page


def test_a_report_with_a_ward_chosen_and_no_point_gets_that_ward(client, world):
    response = client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "description": "Burst pipe",
        "address": "Near the taxi rank", "ward": world.ward.code, "anonymous": "on"})

    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.ward, case.lat, case.address) == (world.ward, None, "Near the taxi rank")


def test_a_report_needs_an_address_a_pin_or_a_ward(client, world):
    response = client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "description": "Burst pipe", "anonymous": "on"})

    assert response.status_code == 200
    assert "address" in response.context["form"].errors
    assert not Case.objects.exists()
