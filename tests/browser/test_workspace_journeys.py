"""The staff workspace in a real browser: finding the way by the menu, a
queue filtered and assigned in bulk, the refusal page, and the menu on a
phone (with and without JavaScript)."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.factories import StaffFactory, UserFactory
from tests.support import inside, sast

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 740}


def member(world, role: str, username: str, office=True):
    return StaffFactory(role=role, office=world.office if office else None,
                        department=world.office.department,
                        user=UserFactory(username=username))


def sign_in(page, staff):
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(staff.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def cases(world, n: int, priority: str) -> list[Case]:
    with time_machine.travel(sast(2026, 3, 2, 10, 0), tick=False):
        return [case_open(draft=CaseDraft(
            service_code="water-leak", description=f"Leak number {i}", channel="web",
            priority=priority, **inside(world.ward))) for i in range(n)]


def staff_menu(page):
    return page.get_by_role("navigation", name="Staff")


def test_the_analyst_reaches_the_war_room_from_the_home_page(page, world):
    analyst = member(world, Role.ANALYST, "analyst", office=False)
    sign_in(page, analyst)

    menu = staff_menu(page)
    expect(menu.get_by_role("link", name="War room")).to_be_visible()
    expect(menu.get_by_role("link", name="Queues")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Satisfaction drivers")).first).to_be_visible()
    axe_check(page)
    snap(page, "workspace-analyst-home")

    menu.get_by_role("link", name="War room").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("War room")
    expect(staff_menu(page).get_by_role("link", name="War room")).to_have_attribute(
        "aria-current", "page")
    assert_no_console_errors(page)


def test_a_supervisor_filters_a_queue_and_assigns_cases_in_bulk(page, world):
    supervisor = member(world, Role.SUPERVISOR, "supervisor")
    officer = member(world, Role.OFFICER, "officer")
    high = cases(world, 3, "high")
    cases(world, 2, "low")
    sign_in(page, supervisor)

    staff_menu(page).get_by_role("link", name="Queues").click()
    expect(page.locator("tr[data-reference]")).to_have_count(5)
    page.get_by_text("More filters").click()
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Sort by").select_option("opened")
    page.get_by_role("button", name="Apply the filters").click()

    expect(page.locator("tr[data-reference]")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"priority=high"))
    axe_check(page)
    snap(page, "workspace-queue-filtered")
    for case in high[:2]:
        page.get_by_label(f"Select {case.reference}").check()
    page.get_by_label("Assign the selected cases to").select_option(str(officer.pk))
    page.get_by_role("button", name="Assign selected").click()

    expect(page.get_by_role("status")).to_contain_text("2 cases assigned to")
    expect(page).to_have_url(re.compile(r"priority=high"))  # back on the same filtered list
    assigned = set(Case.objects.filter(assignee=officer).values_list("reference", flat=True))
    assert assigned == {case.reference for case in high[:2]}
    snap(page, "workspace-queue-assigned")
    assert_no_console_errors(page)


def test_an_officer_opening_the_war_room_gets_a_page_that_says_why(page, world):
    officer = member(world, Role.OFFICER, "officer")
    sign_in(page, officer)

    response = page.goto("/warroom/")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("This page is not open to you")
    expect(staff_menu(page).get_by_role("link", name="Queues")).to_be_visible()
    page.get_by_role("link", name="Go to the staff home").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.goto("/warroom/")
    axe_check(page)
    snap(page, "workspace-403")


def test_the_staff_menu_on_a_phone_opens_and_leads_to_the_queues(page, world):
    supervisor = member(world, Role.SUPERVISOR, "supervisor")
    cases(world, 2, "urgent")
    page.set_viewport_size(PHONE)
    sign_in(page, supervisor)

    queues = staff_menu(page).get_by_role("link", name="Queues")
    expect(queues).to_be_hidden()
    snap(page, "workspace-phone-home")
    page.get_by_text("Staff menu").click()
    expect(queues).to_be_visible()
    axe_check(page)
    snap(page, "workspace-phone-menu")
    queues.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My area's open cases")
    snap(page, "workspace-phone-queue")
    assert_no_console_errors(page)


def test_the_phone_menu_needs_no_javascript(page_without_javascript, world):
    page = page_without_javascript
    analyst = member(world, Role.ANALYST, "analyst", office=False)
    page.set_viewport_size(PHONE)
    sign_in(page, analyst)

    page.get_by_text("Staff menu").click()
    staff_menu(page).get_by_role("link", name="Scorecards").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Office")
