"""A citizen finds a service and reads what is promised."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, snap
from tests.factories import InstitutionFactory, ServiceFactory, ServiceStandardFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    InstitutionFactory(name="Ubuntu Bay Metropolitan Municipality")
    pothole = ServiceFactory(code="pothole", name="Pothole", group="Roads",
                             keywords="road damage, tar", description="Holes in the road.")
    ServiceStandardFactory(service=pothole, pledge="We fill a pothole within 3 working days.",
                           ack_amount=1, update_amount=2, resolve_amount=3)
    ServiceStandardFactory(service=ServiceFactory(code="missed-bin", name="Refuse not collected",
                                                  group="Waste"))


def test_a_citizen_searches_the_catalogue_and_reads_a_charter(page, catalogue):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ubuntu Bay Metropolitan Municipality")
    axe_check(page)
    snap(page, "catalogue-1-home")

    page.get_by_label("Search our services").fill("tar")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/services/\?q=tar"))
    expect(page.get_by_role("link", name=re.compile("Pothole"))).to_be_visible()
    expect(page.get_by_text("Refuse not collected")).to_have_count(0)
    axe_check(page)
    snap(page, "catalogue-2-search")

    page.get_by_role("link", name=re.compile("Pothole")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pothole")
    targets = page.locator("#targets")
    expect(targets).to_contain_text("We acknowledge your request within 1 working day")
    expect(targets).to_contain_text("We resolve it within 3 working days")
    expect(page.get_by_text("We fill a pothole within 3 working days.")).to_be_visible()
    axe_check(page)
    snap(page, "catalogue-3-charter")
