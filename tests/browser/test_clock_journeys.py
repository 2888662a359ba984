"""The clocks in a real browser: an officer acknowledges a case that
auto-assignment left unacknowledged, and an agent logs an urgent burst pipe at
01:00 and sees the hours target (issue 13, points 2 and 4)."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.catalogue.models import PriorityTarget
from imbizo.org.models import Role
from tests.browser.conftest import axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.factories import StaffFactory
from tests.support import inside, sast

pytestmark = pytest.mark.django_db(transaction=True)

ONE_AM = sast(2026, 3, 3, 1, 0)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-ZA",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def urgent_hours(world):
    return PriorityTarget.objects.create(
        standard=world.standard, priority="urgent", ack_amount=1, ack_unit="calendar_hours",
        resolve_amount=12, resolve_unit="calendar_hours")


def _assigned_at_one(world):
    world.office.auto_assign = True
    world.office.save()
    with time_machine.travel(ONE_AM, tick=False):
        return case_open(draft=CaseDraft(service_code="water-leak", description="Leak at 01:00",
                                         channel="web", **inside(world.ward)))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_an_officer_acknowledges_a_case_that_auto_assignment_left_unacknowledged(
        request, page, world, size):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = _assigned_at_one(world)
    browser_page = request.getfixturevalue("phone") if size == "phone" else page
    with time_machine.travel(sast(2026, 3, 3, 8, 10), tick=False):
        sign_in(browser_page, officer.user)
        browser_page.goto(f"/staff/cases/{case.reference}/")
        expect(browser_page.locator("[data-status]").first).to_have_text("Assigned")
        expect(browser_page.locator("#acknowledged")).to_contain_text("Not yet by a person")
        axe_check(browser_page)
        snap(browser_page, f"clock-1-unacknowledged-{size}")

        browser_page.get_by_role("button", name="Acknowledge").click()

        expect(browser_page.locator("#acknowledged")).to_contain_text("3 March 2026 08:10")
        expect(browser_page.locator('#timeline [data-kind="acknowledged"]')).to_contain_text(
            "Acknowledged")
        expect(browser_page.get_by_role("button", name="Acknowledge")).to_have_count(0)
        snap(browser_page, f"clock-2-acknowledged-{size}")
    case.refresh_from_db()
    assert (case.status, case.acknowledged_at) == ("assigned", sast(2026, 3, 3, 8, 10))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_an_agent_logs_an_urgent_burst_pipe_at_one_and_sees_the_hours_target(
        request, page, world, urgent_hours, size):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    browser_page = request.getfixturevalue("phone") if size == "phone" else page
    with time_machine.travel(ONE_AM, tick=False):
        sign_in(browser_page, agent.user)
        browser_page.goto("/staff/intake/")
        browser_page.get_by_label("Channel").select_option("hotline")
        browser_page.get_by_label("Service").select_option("water-leak")
        browser_page.get_by_label("What the caller says").fill(
            "Burst pipe gushing into the road outside number 12.")
        browser_page.get_by_label("Address or place").fill("12 Church Street")
        browser_page.get_by_label("Priority").select_option("urgent")
        snap(browser_page, f"clock-3-urgent-intake-{size}")
        browser_page.get_by_role("button", name="Open the case").click()

        expect(browser_page.get_by_text(re.compile(r"Case .{9} opened"))).to_be_visible()
        expect(browser_page.locator("#priority")).to_have_text("Urgent")
        expect(browser_page.locator("#acknowledged")).to_contain_text("3 March 2026 02:00")
        expect(browser_page.get_by_text("3 March 2026 13:00")).to_be_visible()
        axe_check(browser_page)
        snap(browser_page, f"clock-4-urgent-case-{size}")
    case = Case.objects.get()
    assert (case.priority, case.resolve_due_at) == ("urgent", sast(2026, 3, 3, 13, 0))
