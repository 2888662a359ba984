"""Household needs on the public needs map, the ward pages and the war room,
from the field rollups, with the evidence minimum respected."""

import json

import pytest
from django.urls import reverse

from imbizo.field.services import record_receive
from imbizo.geo.models import Region
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.field.factories import household, ward_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def visited(survey, settings):
    """West (ward WW1): 6 households, all lacking water, 2 also housing.
    East (ward EE1): 5 households, 4 lacking electricity. Ward EE2: 2 households."""
    settings.MIN_ANSWERS_SHOWN = 5
    west = Region.objects.create(code="west", name="West")
    east = Region.objects.create(code="east", name="East")
    ward_at("WW1", 40.0, region=west)
    ward_at("EE1", 40.01, region=east)
    ward_at("EE2", 40.02, region=east)
    n = 0

    def visit(lon, needs):
        nonlocal n
        n += 1
        record_receive(form_code="household-needs", form_version="1", instance_id=f"uuid:{n}",
                       answers=household(location=f"-26.195 {lon}", needs=needs))

    for i in range(6):
        visit(40.005, "water housing" if i < 2 else "water")
    for i in range(5):
        visit(40.015, "electricity" if i < 4 else "roads")
    visit(40.025, "water")
    visit(40.025, "jobs")


def test_the_needs_map_shows_the_share_of_visited_households_per_ward(client, visited):
    response = client.get(reverse("insights:needs"), {"need": "water"})

    values = json.loads(response.context["households"]["map_values"] and
                        json.dumps(response.context["households"]["map_values"]))
    assert values["WW1"]["value"] == 100.0
    assert values["EE1"]["value"] == 0.0
    assert values["EE2"]["value"] is None  # 2 visits: below the evidence minimum
    rows = {r["code"]: r for r in response.context["tables"]["households"].rows}
    assert (rows["EE2"]["visited"], rows["EE2"]["households"]) == (2, 1)


def test_each_region_names_the_need_most_of_its_households_report(client, visited):
    page = client.get(reverse("insights:needs")).content.decode()

    assert "West needs Water" in page
    assert "East needs Electricity" in page


def test_choosing_a_kind_of_service_picks_its_household_need(client, visited):
    response = client.get(reverse("insights:needs"), {"group": "Electricity"})

    assert response.context["households"]["need"].code == "electricity"


def test_the_household_layer_downloads_as_csv(client, visited):
    response = client.get(reverse("insights:needs"),
                          {"export": "household_regions", "format": "csv"})

    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Region,Households visited,Water")
    assert any(line.startswith("West,6,100.0") for line in lines)


def test_the_ward_page_gives_counts_and_shares(client, visited):
    page = client.get(reverse("insights:ward", args=["WW1"]))
    small = client.get(reverse("insights:ward", args=["EE2"])).content.decode()

    rows = {r["need"]: r for r in page.context["tables"]["households"].rows}
    assert (rows["Water"]["households"], rows["Water"]["share"]) == (6, 100.0)
    assert (rows["Housing"]["households"], rows["Housing"]["share"]) == (2, 33.3)
    assert "Shares are shown once at least 5 households are visited." in small


def test_the_war_room_shows_needs_by_region(client, visited):
    client.force_login(StaffFactory(role=Role.MANAGER).user)

    page = client.get(reverse("insights:warroom")).content.decode()

    assert "Door to door: what households need, by region" in page
    assert "Water: 100%" in page and "Electricity: 57%" in page  # 4 of the 7 in East


def test_no_personal_data_reaches_the_public_pages(client, visited):
    record_receive(form_code="household-needs", form_version="1", instance_id="uuid:phone",
                   answers=household(location="-26.195 40.005", contact_phone="0821234567",
                                     consent="yes", notes="Ask for Mrs Dlamini"))

    for page in (client.get(reverse("insights:needs")),
                 client.get(reverse("insights:ward", args=["WW1"])),
                 client.get(reverse("insights:ward", args=["WW1"]), {"format": "json"})):
        text = page.content.decode()
        assert "0821234567" not in text and "Dlamini" not in text and "uuid:" not in text


def test_the_needs_map_costs_the_same_queries_for_more_wards(client, visited,
                                                            django_assert_max_num_queries):
    for i in range(10):
        ward_at(f"XX{i}", 41.0 + i * 0.01)
    client.get(reverse("insights:needs"))  # warm the per-process snapshots

    with django_assert_max_num_queries(9):
        assert client.get(reverse("insights:needs")).status_code == 200


def test_the_map_first_shows_the_need_that_stands_out_most_in_a_region(client, visited):
    response = client.get(reverse("insights:needs"))

    assert response.context["households"]["need"].code == "water"  # 100% of the West
