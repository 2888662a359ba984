"""Places in a real browser (issue 13 point 5): finding a place by name on the
report form and on the agent intake (choosing it sets the pin and the ward),
"use my location", a search with no match, the case page's map for the crew,
and the plain form without JavaScript. Screenshots at desktop and phone size."""

import re

import pytest
from playwright.sync_api import expect

from imbizo.cases.models import Case
from imbizo.geo.models import Place, PlaceKind
from imbizo.geo.services import places_locate
from imbizo.org.models import Role
from tests.browser.conftest import _open, assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def gazetteer(world):
    ward = world.ward
    made = [
        Place(code="g1", name="Vilakazi Street", kind=PlaceKind.STREET, area="Orlando West",
              lat=ward.centroid_lat + 0.002, lon=ward.centroid_lon - 0.002),
        Place(code="g2", name="Vilakazi Lane", kind=PlaceKind.STREET, area="Dube",
              lat=ward.centroid_lat - 0.002, lon=ward.centroid_lon + 0.002),
        Place(code="g3", name="Orlando West Clinic", kind=PlaceKind.FACILITY, area="Orlando West",
              lat=ward.centroid_lat, lon=ward.centroid_lon),
    ]
    places_locate(made)
    Place.objects.bulk_create(made)
    return made


def wait_for_map(page):
    expect(page.locator("[data-place-picker]")).to_have_attribute("data-ready", "1")


def find_and_choose(page, typed: str, name: str):
    page.get_by_label("Address or place").fill(typed)
    choice = page.get_by_role("button", name=re.compile(name))
    expect(choice).to_be_visible()
    return choice


def test_a_citizen_finds_a_street_by_name_and_the_pin_and_ward_follow(page, world, gazetteer):
    page.goto("/report/")
    wait_for_map(page)
    page.get_by_label("Which service is it about?").select_option("water-leak")
    page.get_by_label("Tell us what happened").fill("Water pouring from the pavement.")

    choice = find_and_choose(page, "12 vilakazy", "Vilakazi Street")
    snap(page, "places-1-report-suggestions-desktop")
    choice.click()

    expect(page.get_by_label("Address or place")).to_have_value("12 Vilakazi Street, Orlando West")
    expect(page.get_by_label("Ward", exact=True)).to_have_value(world.ward.code)
    expect(page.locator("[data-place-status]")).to_contain_text("Pin placed at Vilakazi Street")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    axe_check(page)
    snap(page, "places-2-report-chosen-desktop")
    page.get_by_label("Stay anonymous").check()
    page.get_by_role("button", name="Send the report").click()

    expect(page.get_by_text("Thank you. We received your report.")).to_be_visible()
    case = Case.objects.get()
    assert case.ward == world.ward
    assert case.address == "12 Vilakazi Street, Orlando West"
    assert case.lat == pytest.approx(gazetteer[0].lat, abs=1e-6)
    assert_no_console_errors(page)


def test_on_a_phone_the_search_and_map_fit_the_screen(browser, live_server, world, gazetteer):
    context, page = _open(browser, live_server)
    page.set_viewport_size(PHONE)
    page.goto("/report/")
    wait_for_map(page)
    find_and_choose(page, "vilak", "Vilakazi Lane")
    snap(page, "places-3-report-suggestions-phone")
    page.get_by_role("button", name=re.compile("Vilakazi Lane")).click()
    expect(page.get_by_label("Ward", exact=True)).to_have_value(world.ward.code)
    width = page.evaluate("document.documentElement.scrollWidth")
    snap(page, "places-4-report-chosen-phone")
    context.close()

    assert width <= PHONE["width"]


def test_a_search_with_no_match_says_so_and_keeps_what_was_typed(page, world, gazetteer):
    page.goto("/report/")
    wait_for_map(page)
    address = page.get_by_label("Address or place")
    address.fill("7 Nowhere Lane")
    address.press("Enter")

    expect(page.locator("[data-place-status]")).to_contain_text("No place matches “7 Nowhere Lane”")
    expect(address).to_have_value("7 Nowhere Lane")
    assert page.url.endswith("/report/")  # Enter searched; it did not send the form
    snap(page, "places-5-report-no-match")


def test_use_my_location_puts_the_pin_where_the_phone_is(browser, live_server, world):
    context, page = _open(
        browser, live_server, permissions=["geolocation"],
        geolocation={"latitude": world.ward.centroid_lat, "longitude": world.ward.centroid_lon})
    page.set_viewport_size(PHONE)
    page.goto("/report/")
    wait_for_map(page)

    page.get_by_role("button", name="Use my location").click()

    expect(page.locator("[data-place-status]")).to_contain_text("Pin placed at your location")
    expect(page.get_by_label("Ward", exact=True)).to_have_value(world.ward.code)
    assert float(page.locator("input[name=lat]").input_value()) == pytest.approx(
        world.ward.centroid_lat, abs=1e-5)
    snap(page, "places-6-use-my-location-phone")
    context.close()


def test_an_agent_finds_a_place_at_intake_and_the_crew_sees_it_on_the_case_page(
        page, world, gazetteer):
    world.service.needs_place = True
    world.service.save()
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    sign_in(page, agent.user)
    page.goto("/staff/intake/")
    wait_for_map(page)
    page.get_by_label("Channel").select_option("walk_in")
    page.get_by_label("Service").select_option("water-leak")
    page.get_by_label("What the caller says").fill("Walk-in: a pipe burst outside the clinic.")

    find_and_choose(page, "orlando clin", "Orlando West Clinic").click()

    expect(page.get_by_label("Ward", exact=True)).to_have_value(world.ward.code)
    axe_check(page)
    snap(page, "places-7-intake-chosen-desktop")
    page.get_by_role("button", name="Open the case").click()

    expect(page.get_by_text(re.compile(r"Case .{9} opened"))).to_be_visible()
    case = Case.objects.get()
    assert case.ward == world.ward
    assert case.address == "Orlando West Clinic, Orlando West"
    expect(page.locator("[data-case-map]")).to_have_attribute("data-ready", "1")
    expect(page.locator("[data-case-map] .leaflet-marker-icon")).to_have_count(1)
    axe_check(page)
    snap(page, "places-8-case-page-map-desktop")
    page.set_viewport_size(PHONE)
    snap(page, "places-9-case-page-map-phone")
    assert_no_console_errors(page)


def test_at_intake_a_place_is_required_unless_the_caller_cannot_say(page, world):
    world.service.needs_place = True
    world.service.save()
    sign_in(page, StaffFactory(office=world.office, role=Role.AGENT).user)
    page.goto("/staff/intake/")
    page.get_by_label("Service").select_option("water-leak")
    page.get_by_label("What the caller says").fill("Leak somewhere in town.")
    page.get_by_role("button", name="Open the case").click()

    expect(page.locator("#id_ward_error")).to_contain_text("needs a place")
    snap(page, "places-10-intake-place-needed")
    page.get_by_label("The caller cannot say where it is").check()
    page.get_by_role("button", name="Open the case").click()

    expect(page.get_by_text(re.compile(r"Case .{9} opened"))).to_be_visible()
    assert Case.objects.get().ward is None


def test_without_javascript_the_address_and_ward_select_are_the_form(page_without_javascript,
                                                                     world):
    page = page_without_javascript
    page.goto("/report/")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    expect(page.locator("[data-place-map]")).to_be_hidden()
    page.get_by_label("Which service is it about?").select_option("water-leak")
    page.get_by_label("Tell us what happened").fill("Dripping tap at the community hall.")
    page.get_by_label("Address or place").fill("The community hall")
    page.get_by_label("Ward", exact=True).select_option(world.ward.code)
    page.get_by_label("Stay anonymous").check()
    snap(page, "places-11-report-without-javascript")
    page.get_by_role("button", name="Send the report").click()

    expect(page.get_by_text("Thank you. We received your report.")).to_be_visible()
    case = Case.objects.get()
    assert (case.ward, case.address, case.lat) == (world.ward, "The community hall", None)


def test_the_staff_intake_works_without_javascript_too(page_without_javascript, world):
    page = page_without_javascript
    user = UserFactory()
    StaffFactory(office=world.office, role=Role.AGENT, user=user)
    sign_in(page, user)
    page.goto("/staff/intake/")
    page.get_by_label("Service").select_option("water-leak")
    page.get_by_label("What the caller says").fill("Walk-in about a leak.")
    page.get_by_label("Ward", exact=True).select_option(world.ward.code)
    page.get_by_role("button", name="Open the case").click()

    expect(page.get_by_text(re.compile(r"Case .{9} opened"))).to_be_visible()
    assert Case.objects.get().ward == world.ward
