"""REST API: the gazetteer search."""

import pytest

from imbizo.geo.models import Place
from imbizo.geo.services import places_locate
from tests.api.conftest import Api, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(world):
    place = Place(code="s1", name="Moshoeshoe Road", area="Thabong",
                  lat=world.ward.centroid_lat, lon=world.ward.centroid_lon)
    places_locate([place])
    place.save()
    return place


def test_a_read_key_searches_places_and_gets_the_point_and_ward(client, world, street):
    response = Api(client, key_for("read")).get("places?q=moshoshoe")

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["label"] == "Moshoeshoe Road, Thabong"
    assert item["ward"] == world.ward.code
    assert item["lat"] == world.ward.centroid_lat


def test_no_match_is_an_empty_list(client, world, street):
    response = Api(client, key_for("read")).get("places?q=nowhere")

    assert response.json() == {"items": []}


def test_the_search_needs_a_key_and_a_query(client, world):
    assert Api(client, None).get("places?q=moshoeshoe").status_code == 401
    assert Api(client, key_for("read")).get("places").status_code == 422


def test_services_say_whether_they_need_a_place(client, world):
    world.service.needs_place = True
    world.service.save()

    items = Api(client, key_for("read")).get("services").json()["items"]

    assert [s["needs_place"] for s in items if s["code"] == "water-leak"] == [True]
