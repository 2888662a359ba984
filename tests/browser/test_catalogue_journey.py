"""A citizen finds a service and reads what is promised."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.factories import (
    DepartmentFactory,
    InstitutionFactory,
    ServiceFactory,
    ServiceStandardFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REDRESS = ("If we miss this date, the office supervisor calls you within 1 working day to apologise, "
           "explain and agree a new date. You can also ask for the customer care manager.")


@pytest.fixture
def catalogue():
    """A municipality with a handful of services, as a citizen would meet them."""
    InstitutionFactory(
        name="Ubuntu Bay Metropolitan Municipality", short_name="Ubuntu Bay", phone="0800 000 311",
        email="service@ubuntubay.example",
        complaints_route="Not happy with how we handled your matter? Call 0800 000 311, email "
                         "complaints@ubuntubay.example or ask for the customer care manager at any "
                         "customer care centre. We answer every complaint within 10 working days.")
    roads = DepartmentFactory(code="roads", name="Roads and Stormwater")
    water = DepartmentFactory(code="water", name="Water and Sanitation")
    waste = DepartmentFactory(code="waste", name="Waste Management")
    everywhere = ["web", "hotline", "walk_in", "sms", "field", "email"]
    pothole = ServiceFactory(code="pothole", name="Pothole", group="Roads", department=roads,
                             keywords="pothole, road damage, tar", channels=everywhere,
                             description="Holes in a tarred road or pavement that the municipality "
                                         "maintains.")
    ServiceStandardFactory(service=pothole, version=1, resolve_amount=5, compliance_target=85,
                           pledge="We fill a pothole within 5 working days of your report.",
                           redress=REDRESS, effective_from=datetime.date(2025, 1, 1))
    ServiceStandardFactory(service=pothole, version=2, ack_amount=1, update_amount=2,
                           resolve_amount=3, compliance_target=85, redress=REDRESS,
                           pledge="We fill a pothole within 3 working days of your report.",
                           description="Our road teams inspect the spot, make it safe and fill "
                                       "the hole with hot asphalt.",
                           effective_from=datetime.date(2025, 7, 1))
    signal = ServiceFactory(code="traffic-signal", name="Traffic light not working", group="Roads",
                            department=roads, keywords="robot, traffic light, signal",
                            description="A traffic light that is dark, flashing or stuck.")
    ServiceStandardFactory(service=signal, ack_amount=2, ack_unit="working_hours", update_amount=1,
                           resolve_amount=1, pledge="We repair a traffic light within 1 working day.")
    leak = ServiceFactory(code="water-leak", name="Water leak or burst pipe", group="Water",
                          department=water, keywords="leak, burst, pipe, flooding",
                          description="Water running from a pipe, hydrant or meter in the street.")
    ServiceStandardFactory(service=leak, ack_amount=2, ack_unit="working_hours", update_amount=1,
                           resolve_amount=2, pledge="We stop a burst pipe within 2 working days.")
    bin_ = ServiceFactory(code="missed-bin", name="Refuse not collected", group="Waste",
                          department=waste, keywords="bin, refuse, rubbish, collection",
                          description="Your bin was not emptied on your collection day.")
    ServiceStandardFactory(service=bin_, resolve_amount=1,
                           pledge="If we miss your collection day, we collect the next working day.")
    ServiceFactory(code="dumping", name="Illegal dumping", group="Waste", department=waste,
                   keywords="dumping, rubble", description="Rubble or refuse dumped on open land.")


def test_a_citizen_searches_the_catalogue_and_reads_a_charter(page, catalogue):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ubuntu Bay Metropolitan Municipality")
    axe_check(page)
    snap(page, "catalogue-1-home")

    page.get_by_label("Search our services").fill("tar")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/services/\?q=tar"))
    expect(page.get_by_role("status")).to_have_text("1 service matching “tar”")
    expect(page.get_by_role("link", name="Pothole")).to_be_visible()
    expect(page.get_by_text("Refuse not collected")).to_have_count(0)
    axe_check(page)
    snap(page, "catalogue-2-search")

    page.get_by_role("link", name="Pothole").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pothole")
    targets = page.locator("#targets")
    expect(targets).to_contain_text("We acknowledge your request within 1 working day.")
    expect(targets).to_contain_text("We keep you informed at least every 2 working days.")
    expect(targets).to_contain_text("We resolve it within 3 working days.")
    expect(targets).to_contain_text("Our aim: 85% of requests resolved within that time.")
    expect(page.get_by_text("We fill a pothole within 3 working days of your report.")).to_be_visible()
    expect(page.get_by_text("Since 1 July 2025 (version 2)")).to_be_visible()
    axe_check(page)
    assert_no_console_errors(page)
    snap(page, "catalogue-3-charter")


def test_the_catalogue_narrows_as_the_citizen_types(page, catalogue):
    page.goto("/services/")
    expect(page.get_by_role("status")).to_have_text("5 services")

    page.get_by_label("Search", exact=True).press_sequentially("burst")

    # htmx swaps the results in place: no button pressed, the address follows.
    expect(page.get_by_role("status")).to_have_text("1 service matching “burst”")
    expect(page.get_by_role("link", name="Water leak or burst pipe")).to_be_visible()
    expect(page.get_by_role("link", name="Pothole")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/services/\?q=burst"))
    expect(page.get_by_label("Search", exact=True)).to_be_focused()
    axe_check(page)
    snap(page, "catalogue-4-live-search")

    page.get_by_label("Search", exact=True).fill("")
    page.get_by_label("Group").select_option("Waste")
    expect(page.get_by_role("status")).to_have_text("2 services in Waste")
    expect(page.get_by_role("link", name="Illegal dumping")).to_be_visible()
    expect(page.get_by_text("Service standard being prepared")).to_be_visible()
    axe_check(page)
    assert_no_console_errors(page)
    snap(page, "catalogue-5-group")


def test_the_catalogue_works_without_javascript(page_without_javascript, catalogue):
    page = page_without_javascript
    page.goto("/services/")

    page.get_by_label("Group").select_option("Roads")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"/services/\?q=&group=Roads"))
    expect(page.get_by_role("status")).to_have_text("2 services in Roads")
    expect(page.get_by_role("link", name="Traffic light not working")).to_be_visible()
    snap(page, "catalogue-6-without-javascript")


def test_a_service_without_a_standard_says_so_plainly(page, catalogue):
    page.goto("/services/dumping/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Illegal dumping")
    expect(page.get_by_role("heading", name="The service standard is being prepared")).to_be_visible()
    expect(page.locator("#targets")).to_have_count(0)
    axe_check(page)
    snap(page, "catalogue-7-no-standard")

