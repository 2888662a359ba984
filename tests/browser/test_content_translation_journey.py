"""An administrator translates a service into isiZulu, seeing the English
beside it and the SMS counter; a citizen reads the charter page in isiZulu."""

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
    UserFactory,
)
from tests.texts.conftest import catalogues_compiled  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def pothole(catalogues_compiled):  # noqa: F811
    InstitutionFactory(name="Ubuntu Bay Metropolitan Municipality", short_name="Ubuntu Bay")
    roads = DepartmentFactory(code="roads", name="Roads and Stormwater")
    service = ServiceFactory(code="pothole", name="Pothole", group="Roads", department=roads,
                             channels=["web", "sms"],
                             description="Holes in a tarred road that the municipality maintains.")
    ServiceStandardFactory(service=service, version=1, published=True,
                           pledge="We fill a pothole within 5 working days of your report.",
                           redress="The office supervisor calls you to agree a new date.",
                           effective_from=datetime.date(2025, 1, 1))
    UserFactory(username="root", is_staff=True, is_superuser=True)
    return service


def _sign_in_to_admin(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Sign in")).click()


def test_an_administrator_translates_and_a_citizen_reads_it_in_isizulu(browser, live_server,
                                                                        page, pothole):
    _sign_in_to_admin(page)
    page.goto(f"/admin/catalogue/service/{pothole.pk}/change/")
    page.console_errors.clear()  # Django's own admin page asks for a /favicon.ico
    page.get_by_role("link", name="Translate: isiZulu").click()

    row = page.locator("tr.translate-piece").filter(has_text="Name").first
    expect(row.locator("[lang=en]")).to_have_text("Pothole")  # the English beside it
    name = row.get_by_role("textbox")
    name.fill("Umgodi emgwaqweni")
    expect(row.locator("output.sms-count")).to_contain_text("GSM-7, 17 characters, 1 part")
    name.fill("Umgodi emgwaqweni “omkhulu”")  # curly quotes are normalised: still GSM-7
    expect(row.locator("output.sms-count")).to_contain_text("GSM-7, 27 characters")
    name.fill("Umgodi emgwaqweni")
    pledge = page.locator("tr.translate-piece").filter(has_text="We fill a pothole")
    pledge.get_by_role("textbox").first.fill(
        "Sivala umgodi emgwaqweni phakathi kwezinsuku zokusebenza ezi-5 ngemuva kokuwubika.")
    snap(page, "content-translation-editor-desktop")
    page.get_by_role("button", name="Save translations").click()
    expect(page.get_by_text("Translations saved.")).to_be_visible()
    expect(row.get_by_text("Draft: not reviewed")).to_be_visible()
    assert_no_console_errors(page)

    page.set_viewport_size(PHONE)
    page.reload()
    snap(page, "content-translation-editor-phone")

    citizen = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  locale="zu-ZA")
    citizen.add_cookies([{"name": "django_language", "value": "zu", "url": live_server.url}])
    charter = citizen.new_page()
    charter.goto("/services/pothole/")
    expect(charter.get_by_role("heading", level=1)).to_have_text("Umgodi emgwaqweni")
    expect(charter.get_by_text("Sivala umgodi emgwaqweni")).to_be_visible()
    # The redress has no isiZulu yet: shown in English, and the page says so.
    redress = charter.locator("[lang=en]", has_text="The office supervisor calls you")
    expect(redress).to_be_visible()
    expect(charter.locator(".shown-in-english").first).to_be_visible()
    axe_check(charter)
    snap(charter, "content-translation-charter-zu-desktop")
    charter.set_viewport_size(PHONE)
    charter.reload()
    width = charter.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px"
    snap(charter, "content-translation-charter-zu-phone")
    citizen.close()
