"""Insight pages in a real browser: the war room refreshes in place, the needs
map has its table, charts render under the Content-Security-Policy, and the
pages work from the keyboard and pass the axe check."""

import re

import pytest
from playwright.sync_api import expect

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.insights.rollups import rollups_fold
from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.factories import StaffFactory, UserFactory
from tests.insights.conftest import story_build
from tests.support import inside

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def figures(world):
    story = story_build(world)
    rollups_fold()
    return story


def sign_in(page, user):
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_the_war_room_refreshes_itself_without_a_full_reload(page, figures, settings):
    settings.WARROOM_REFRESH_SECONDS = 1
    manager = StaffFactory(role=Role.MANAGER, office=figures.world.office,
                           user=UserFactory(username="manager"))
    sign_in(page, manager.user)
    page.goto("/warroom/")
    expect(page.locator("#warroom-map[data-ready]")).to_be_attached()
    open_now = page.locator('[data-figure="open"]')
    before = int(open_now.inner_text())
    axe_check(page)
    page.evaluate("window.notReloaded = true")

    case_open(draft=CaseDraft(service_code="water-leak", description="Burst main",
                              channel="web", **inside(figures.world.ward)))
    rollups_fold()

    expect(open_now).to_have_text(str(before + 1), timeout=8_000)
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#warroom-map path.leaflet-interactive").first).to_be_attached()
    assert_no_console_errors(page)
    snap(page, "insights-warroom")


def test_the_needs_map_has_a_table_for_screen_readers_and_keyboards(page, figures):
    page.goto("/needs/?period=365d")
    expect(page.locator("#needs-map[data-ready]")).to_be_attached()
    expect(page.locator("#needs-map path.leaflet-interactive")).to_have_count(3)
    expect(page.get_by_role("region", name=re.compile("Map of wards"))).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Cases per 1,000 residents by ward"))
    expect(table.get_by_role("row")).to_have_count(4)
    expect(page.locator("#region-needs")).to_contain_text("East: Water")
    axe_check(page)

    page.get_by_label("Kind of service").focus()
    page.keyboard.press("ArrowDown")  # "Water"
    page.get_by_label("Period").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"group=Water"))
    page.get_by_role("link", name="The same figures as a table").click()
    expect(page).to_have_url(re.compile("#table-wards$"))
    assert_no_console_errors(page)
    snap(page, "insights-needs")


def test_the_scorecard_draws_its_charts_and_opens_by_keyboard(page, figures):
    page.goto("/scorecard/")
    expect(page.locator(".vega-chart svg").first).to_be_visible()
    expect(page.get_by_role("heading", name="Did we keep our promises?")).to_be_visible()
    axe_check(page)

    summary = page.get_by_text("Month by month").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details[open] table").first).to_be_visible()
    assert_no_console_errors(page)  # the charts ran without eval (CSP)
    snap(page, "insights-scorecard")


def test_the_ward_page_shows_its_figures_and_chart(page, figures):
    page.goto("/wards/W001/")
    expect(page.locator('[data-figure="opened"]')).to_have_text("3")
    expect(page.locator(".vega-chart svg")).to_be_visible()
    axe_check(page)
    assert_no_console_errors(page)
