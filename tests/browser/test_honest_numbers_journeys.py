"""Honest numbers as staff see them in the demo: ratings by staff carry names,
every average its number of answers (or "too few answers"), and the drivers
chart can be read, at a desk and on a phone."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from imbizo.demo.feedback import feedback_build
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.insights.rollups import rollups_rebuild
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.conftest import _standard_instruments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOW = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))
PASSWORD = "imbizo-demo"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def demo_ratings():
    """A small demo with ratings, at a fixed time so that its history is recent."""
    # A transactional test before this one flushed what data migrations made.
    _standard_instruments()
    with time_machine.travel(NOW, tick=False):
        demo_build(seed=5)
        history_build(seed=5, cases=2500, until=NOW)
        feedback_build(seed=5, share=0.6, until=NOW)
        rollups_rebuild()
    with time_machine.travel(NOW, tick=True):
        yield


def sign_in(page, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def look(page, name: str) -> None:
    """Check and screenshot the page at a desk, then again as a phone opens it."""
    axe_check(page)
    assert_no_console_errors(page)
    snap(page, name)
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_load_state("networkidle")
    # Wide tables scroll inside their box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    snap(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_ratings_and_drivers_pages_show_names_counts_and_readable_labels(browser, live_server,
                                                                          demo_ratings):
    # One demo for both logins: building it is the slow part.
    for login in ("supervisor", "analyst"):
        context = browser.new_context(base_url=live_server.url, locale="en-ZA",
                                      viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m, p=page: m.type == "error" and p.console_errors.append(m.text))
        sign_in(page, login)

        page.goto("/staff/feedback/?by=staff&months=12")
        table = page.locator("#scores")
        expect(table.get_by_role("row").nth(1)).to_be_visible()
        assert "(demo)" not in table.inner_text()
        # Every figure shows how many answers it rests on, or that they are too few.
        cells = table.locator("tbody td:not(:first-of-type)")
        for n in range(cells.count()):
            text = cells.nth(n).text_content().strip()
            assert text == "–" or re.search(r"\(\d+ answers?\)", text), text
        look(page, f"numbers-ratings-by-staff-{login}")

        page.goto("/drivers/?period=12m")
        expect(page.get_by_role("heading", level=1)).to_have_text("What moves satisfaction")
        expect(page.locator(".vega-chart svg").first).to_be_visible()
        look(page, f"numbers-drivers-{login}")
        context.close()
