"""The public scorecard in a real browser, over a demo history: the summary
first, a table that sorts and searches with and without JavaScript, and a
service's own page with its trend; at desktop and phone size."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from imbizo.core import clock
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.insights.rollups import rollups_rebuild
from tests.browser.conftest import assert_no_console_errors, axe_check, snap

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo():
    cache.clear()
    demo_build(seed=4)
    history_build(seed=4, cases=4000, until=clock.now())
    rollups_rebuild()


def test_the_scorecard_leads_with_a_summary_and_sorts_its_table(page, demo):
    page.goto("/scorecard/")
    summary = page.locator("#summary")
    expect(summary.locator('[data-figure="kept"]')).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("#worst li")).to_have_count(5)
    axe_check(page)
    snap(page, "scorecard-1-summary-desktop")
    # Sorting by the share resolved in time, in place (JavaScript on).
    page.get_by_role("link", name="Resolved in time").click()
    shares = page.locator("#table-services tbody tr td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => parseFloat(c.dataset.value))")
    assert shares == sorted(shares)
    expect(page).to_have_url(re.compile(r"sort=share"))
    # Finding a service as one types.
    page.get_by_label("Find a service").fill("water")
    visible = page.locator("#table-services tbody tr:visible")
    expect(visible.first).to_contain_text(re.compile("water", re.I))
    assert visible.count() < page.locator("#table-services tbody tr").count()
    assert_no_console_errors(page)
    page.set_viewport_size(PHONE)
    page.get_by_label("Find a service").fill("")
    page.reload()
    snap(page, "scorecard-2-summary-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"


def test_a_service_page_shows_its_trend(page, demo):
    page.goto("/scorecard/")
    first = page.locator("#worst li a").first
    name = first.inner_text()
    first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".vega-chart svg")).to_be_visible()
    expect(page.locator("#table-months tbody tr").first).to_be_visible()
    axe_check(page)
    assert_no_console_errors(page)
    snap(page, "scorecard-3-service-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator(".vega-chart svg")).to_be_visible()
    snap(page, "scorecard-4-service-phone")


def test_the_table_sorts_and_searches_without_javascript(page_without_javascript, demo):
    page = page_without_javascript
    page.goto("/scorecard/")
    page.get_by_role("link", name="Cases").click()
    expect(page).to_have_url(re.compile(r"sort=resolved"))
    counts = [int(c) for c in page.locator("#table-services tbody tr td:nth-child(7)")
              .all_inner_texts()]
    assert counts == sorted(counts)

    page.get_by_label("Find a service").fill("no such thing")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_text("No service matches “no such thing”")).to_be_visible()
    expect(page.get_by_label("Find a service")).to_have_value("no such thing")
    snap(page, "scorecard-5-no-match-without-javascript")
