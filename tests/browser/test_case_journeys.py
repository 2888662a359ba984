"""The core loop in a real browser: a citizen reports and tracks, an agent logs
a call, an officer works the case, a supervisor sees a breach."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_acknowledge, case_open
from imbizo.cases.sweep import clocks_sweep
from imbizo.org.models import Role
from tests.browser.conftest import axe_check, snap
from tests.factories import StaffFactory, UserFactory
from tests.support import inside, sast

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


def sign_in(page, user):
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_a_citizen_reports_a_problem_and_tracks_it(page, world):
    page.goto("/report/")
    axe_check(page)
    page.get_by_label("Which service is it about?").select_option("water-leak")
    page.get_by_label("Tell us what happened").fill("Water pouring from the pavement.")
    page.get_by_label("Address or place").fill("14 Church Street")
    page.get_by_label("Ward", exact=True).select_option(world.ward.code)
    page.get_by_label("Mobile number").fill("082 555 1234")
    page.get_by_label(re.compile("I agree that the municipality may contact me")).check()
    snap(page, "report-1-form")
    page.get_by_role("button", name="Send the report").click()

    expect(page.get_by_text("Thank you. We received your report.")).to_be_visible()
    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Report {case.reference}")
    expect(page.locator("#timeline")).to_contain_text("We received your report.")
    expect(page.get_by_text("We promised to resolve it by")).to_be_visible()
    assert "082 555 1234" not in page.content()
    axe_check(page)
    snap(page, "report-2-tracking")

    page.goto("/track/")
    page.get_by_label("Your reference").fill(case.reference.lower())
    page.get_by_role("button", name="Find it").click()
    expect(page).to_have_url(re.compile(f"/track/{case.reference}/$"))


def test_an_agent_logs_a_call_in_one_screen(page, world):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    sign_in(page, agent.user)
    page.get_by_role("link", name="Log a call or visit").first.click()
    axe_check(page)
    page.get_by_label("Channel").select_option("hotline")
    page.get_by_label("Service").select_option("water-leak")
    page.get_by_label("What the caller says").fill("No water in the whole street since 6am.")
    page.get_by_label("Address or place").fill("3 Market Street")
    page.get_by_label("Caller's phone").fill("083 444 2222")
    page.get_by_label("The caller agrees to be contacted about this case").check()
    page.get_by_role("button", name="Open the case").click()

    expect(page.get_by_text(re.compile(r"Case .{9} opened"))).to_be_visible()
    case = Case.objects.get()
    assert (case.channel, case.citizen_phone) == ("hotline", "+27834442222")
    expect(page.locator("#timeline")).to_contain_text("Opened")
    snap(page, "agent-1-case-opened")


def test_an_officer_acknowledges_updates_and_resolves(page, world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Burst main",
                                     channel="web", **inside(world.ward)))
    sign_in(page, officer.user)
    page.goto(f"/staff/cases/{case.reference}/")
    axe_check(page)

    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("[data-status]").first).to_have_text("Acknowledged")
    page.get_by_label("Update to the citizen").fill("A team is on site.")
    page.get_by_role("button", name="Send update").click()
    expect(page.locator("#timeline")).to_contain_text("A team is on site.")
    page.get_by_label("Outcome").select_option("fixed")
    page.get_by_label("What was done (the citizen and the public see this)").fill("Pipe replaced.")
    page.get_by_label("Root cause").fill("Corroded pipe")
    page.get_by_role("button", name="Resolve", exact=True).click()

    expect(page.locator("[data-status]").first).to_have_text("Resolved")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.root_cause) == ("resolved", "fixed", "Corroded pipe")
    snap(page, "officer-1-resolved")


def test_a_supervisor_sees_a_breached_case(page, world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR,
                              user=UserFactory(email="sup@example.org"))
    with time_machine.travel(sast(2026, 3, 2, 10, 0), tick=False):
        case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                         channel="web", **inside(world.ward)))
        case_acknowledge(case=case, actor=supervisor)
    clocks_sweep(now=sast(2026, 3, 9, 16, 31))

    sign_in(page, supervisor.user)
    expect(page.locator('[data-queue="overdue"]')).to_have_text("1")
    page.get_by_role("link", name=re.compile("Overdue")).first.click()
    row = page.get_by_role("row", name=re.compile(case.reference))
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("escalated 1")
    axe_check(page)
    snap(page, "supervisor-1-overdue")
