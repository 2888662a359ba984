"""People's development in a real browser: a manager (a supervisor) assesses
the officer who reports to them, with evidence, and agrees a plan; the
officer then sees the gap between their own view and their manager's, who
looked at their record, and agrees the plan too."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from imbizo.org.models import Role
from imbizo.people import assessments
from imbizo.people.models import Assessment, Plan, RecordView
from imbizo.quality.models import Nomination
from tests.browser.conftest import assert_no_console_errors, axe_check
from tests.browser.test_case_journeys import sign_in
from tests.factories import StaffFactory, UserFactory
from tests.people.conftest import _seed_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/people-dev")


def look(page, name: str) -> None:
    """Check the page, and keep it as a desk and as a phone see it."""
    axe_check(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def team(world):
    _seed_framework()
    supervisor = StaffFactory(role=Role.SUPERVISOR, office=world.office,
                              user=UserFactory(username="nomvula", first_name="Nomvula",
                                               last_name="Dlamini"))
    officer = StaffFactory(role=Role.OFFICER, office=world.office, manager=supervisor,
                           user=UserFactory(username="sipho", first_name="Sipho",
                                            last_name="Mthembu"))
    assessments.assessment_create(author=officer, subject=officer, kind="self",
                                  levels={"service-orientation": 5, "working-with-others": 3})
    Nomination.objects.create(staff=officer, reason="Explained a water bill in person",
                              nominated_by=supervisor, nominated_at=timezone.now())
    return supervisor, officer


def test_a_manager_assesses_and_agrees_a_plan_and_the_officer_sees_the_gap(page, team):
    supervisor, officer = team

    sign_in(page, supervisor.user)
    page.get_by_role("link", name="My development").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My development")
    page.locator("#people-sections").get_by_role("link", name="My team").click()
    expect(page.locator("#people-team")).to_contain_text("No plan")
    page.get_by_role("link", name="Sipho Mthembu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Development of Sipho Mthembu")

    page.get_by_role("link", name="Record an assessment").click()
    page.get_by_label("Whose view").select_option("manager")
    page.get_by_label("3. Goes a step further").check()
    page.get_by_label("2. Asks and offers").check()
    page.get_by_label("Recognised on").check()
    page.get_by_label("Note").fill("Calls residents back; could ask more questions first.")
    look(page, "people-1-assess")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_role("status")).to_contain_text("Assessment saved.")

    page.get_by_label("What the plan is for").fill("Ask before answering")
    page.get_by_role("button", name="Start a plan").click()
    page.get_by_label("Activity").select_option(label="Look back on one good and one difficult "
                                                      "contact · level 2")
    page.get_by_label("Due").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator("#plan-items")).to_contain_text("one good and one difficult contact")
    page.get_by_role("button", name="Agree this plan as manager").click()
    expect(page.locator("#plan-agreement")).to_contain_text("Agreed by the manager, Nomvula Dlamini")
    look(page, "people-2-manager-view")
    assert_no_console_errors(page)

    page.context.clear_cookies()
    sign_in(page, officer.user)
    page.get_by_role("link", name="My development").first.click()
    gap = page.locator("#people-gap tr[data-competency='service-orientation']")
    expect(gap).to_contain_text("+2.0")  # self 5, the manager 3
    expect(page.locator("#people-record-views")).to_contain_text("Nomvula Dlamini")
    expect(page.locator("#people-assessments")).to_contain_text("Recognition: Recognised on")
    page.get_by_role("button", name="I agree to this plan").click()
    expect(page.locator("#plan-agreement")).to_contain_text("Agreed by Sipho Mthembu")
    look(page, "people-3-officer-gap")
    assert_no_console_errors(page)

    plan = Plan.objects.get(subject=officer)
    assert plan.agreed and plan.manager_agreed_by == supervisor
    assert Assessment.objects.get(subject=officer, kind="manager").evidence.count() == 1
    assert RecordView.objects.filter(viewer=supervisor, subject=officer).exists()
