"""The service quality programme in a real browser: a visit cycle from the
baseline to the scored re-visit, an action plan closed on its figures, and a
recognition that reaches the public wall."""

import datetime
import re
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_assign, case_open
from imbizo.org.models import Role
from imbizo.quality.models import ActionStatus, Nomination, VisitCycle, VisitPhoto
from imbizo.quality.services import ActionDraft, action_create
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.factories import StaffFactory, UserFactory
from tests.quality.factories import PNG, default_checklist, finished_case
from tests.support import inside, sast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")
    # The signed-out page is Django's own (no icon link): Chromium asks for
    # /favicon.ico there. Not one of our pages.
    page.console_errors.clear()


def score_every_item(page, score: int, *, except_item: tuple[int, int] | None = None):
    """Tick `score` for every item of the sheet (one item may get another score)."""
    for block in page.locator("[data-item]").all():
        order = int(block.get_attribute("data-item"))
        value = except_item[1] if except_item and order == except_item[0] else score
        block.locator("label", has_text=re.compile(rf"^{value} ")).click()


def test_a_visit_cycle_runs_from_baseline_to_a_scored_re_visit(page, world, tmp_path):
    default_checklist()
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    photo = tmp_path / "entrance.png"
    photo.write_bytes(PNG)

    sign_in(page, supervisor.user)
    page.get_by_role("link", name=re.compile("^Service quality")).click()
    page.get_by_role("link", name="Visits", exact=True).click()
    axe_check(page)
    page.get_by_label("Office to visit").select_option(world.office.code)
    page.get_by_role("button", name="Start a visit cycle").click()
    expect(page.locator("#stage")).to_have_text("Waiting for the baseline visit")

    page.get_by_role("button", name="Record the baseline visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Baseline visit: {world.office.name}")
    axe_check(page)
    score_every_item(page, 2, except_item=(5, 1))  # no charter on display
    charter = page.locator("[data-item='5']")
    charter.get_by_label("Evidence").fill("Notice board at the entrance is empty.")
    charter.get_by_label(re.compile("Add a photo")).set_input_files(str(photo))
    snap(page, "quality-1-baseline-sheet")
    page.get_by_role("button", name="Submit the visit").click()

    expect(page.locator("#stage")).to_have_text("Feedback meeting to hold")
    page.get_by_label("What was said, and what the office will change").fill(
        "Charter missing; the team agrees to put it up this week.")
    page.get_by_role("button", name="Record the feedback meeting").click()
    expect(page.locator("#stage")).to_have_text("Improvement plan to agree")

    page.get_by_role("link", name="Add an action to the plan").click()
    axe_check(page)
    page.get_by_label("What will be done").fill("Put the charter up at the entrance")
    page.get_by_label("Batho Pele principle").select_option("service_standards")
    page.get_by_label("Figure expected to move").select_option("complaint_share")
    page.get_by_role("button", name="Agree the action").click()
    expect(page.locator("#plan")).to_contain_text("Put the charter up at the entrance")
    page.get_by_role("button", name="Agree the improvement plan").click()
    expect(page.locator("#stage")).to_have_text("Unannounced re-visit due")

    page.get_by_role("button", name="Record the unannounced re-visit").click()
    score_every_item(page, 3, except_item=(5, 4))
    page.get_by_role("button", name="Submit the visit").click()

    expect(page.locator("#stage")).to_have_text("Re-visited")
    comparison = page.locator("#comparison")
    expect(comparison.get_by_role("row", name=re.compile("The service charter"))).to_contain_text(
        "+3")
    expect(comparison.get_by_role("row", name=re.compile("^Overall"))).to_contain_text("+1.08")
    axe_check(page)
    snap(page, "quality-2-comparison")
    cycle = VisitCycle.objects.get()
    assert list(cycle.steps.values_list("step", flat=True)) == [
        "baseline_visited", "feedback_held", "plan_agreed", "revisited"]
    assert VisitPhoto.objects.get().visit == cycle.baseline

    page.get_by_role("link", name="The office's scorecard over all visits").click()
    expect(page.locator("#scorecard").get_by_role("row", name=re.compile("^Overall"))
           ).to_have_text(re.compile(r"Overall\s*1\.96\s*3\.04"))
    page.get_by_role("link", name="Baseline visit").click()
    image = page.get_by_role("img", name="Evidence photo for item 5")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 1
    assert_no_console_errors(page)


def test_an_action_plan_is_closed_on_the_evidence(page, world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    # Before the action (February): half the leaks fixed late; after its due
    # date (April): five of six within the pledge.
    for day, took in ((2, 1), (3, 10), (4, 2), (5, 14), (6, 1), (9, 12)):
        finished_case(world, opened_at=sast(2026, 2, day, 9), took=took * DAY)
    for day, took in ((7, 1), (8, 1), (9, 2), (10, 1), (13, 15), (14, 1)):
        finished_case(world, opened_at=sast(2026, 4, day, 9), took=took * DAY)
    with time_machine.travel(sast(2026, 3, 2, 10), tick=False):
        action = action_create(actor=supervisor, draft=ActionDraft(
            title="Phone back every caller the day they report a leak", owner=supervisor,
            due_on=datetime.date(2026, 4, 1), principle="information",
            metric="resolved_within_pledge", office=world.office, window_days=30))

    sign_in(page, supervisor.user)
    page.goto("/staff/quality/actions/")
    page.get_by_role("link", name="Phone back every caller the day they report a leak").click()
    expect(page.locator("#before")).to_contain_text("50.0%")
    expect(page.locator("#after")).to_contain_text("83.3%")
    expect(page.locator("#verdict")).to_contain_text("the action is effective")
    axe_check(page)
    page.get_by_label("What was done").fill("Call-backs logged on every leak case.")
    page.get_by_role("button", name="Close the action on the figures").click()

    expect(page.locator("#action-status")).to_have_text("Closed: effective")
    expect(page.get_by_text("as it stood at closing")).to_be_visible()
    snap(page, "quality-3-action-closed")
    action.refresh_from_db()
    assert (action.status, action.before_value, action.after_value) == (
        ActionStatus.EFFECTIVE, 50.0, 83.3)
    assert_no_console_errors(page)


def test_a_recognition_reaches_the_public_wall(page, world):
    manager = StaffFactory(office=None, department=world.office.department, role=Role.MANAGER)
    officer = StaffFactory(office=world.office, role=Role.OFFICER,
                           user=UserFactory(first_name="Thandi", last_name="Mokoena"))
    case = case_open(draft=CaseDraft(service_code="water-leak", kind="compliment",
                                     channel="web", description="Thandi was so patient.",
                                     **inside(world.ward)))
    case_assign(case=case, actor=None, assignee=officer)

    sign_in(page, manager.user)
    page.goto("/staff/quality/recognition/")
    candidates = page.locator("#candidates")
    expect(candidates).to_contain_text("Thandi Mokoena")
    axe_check(page)
    candidates.get_by_role("link", name="Nominate Thandi Mokoena").click()
    page.get_by_label(re.compile("^What they did")).fill(
        "Stayed with an elderly caller until the water was back on.")
    page.get_by_role("button", name="Nominate", exact=True).click()
    expect(page.locator("#wall")).to_contain_text("Stayed with an elderly caller")
    sign_out(page)

    page.goto("/recognition/")
    expect(page.locator("main")).not_to_contain_text("Stayed with an elderly caller")

    sign_in(page, officer.user)
    page.goto("/staff/quality/recognition/mine/")
    axe_check(page)
    page.get_by_role("button", name="I agree to show it on the public site").click()
    expect(page.locator("[data-consent]")).to_have_text("Shown on the public site.")
    sign_out(page)

    page.goto("/recognition/")
    wall = page.locator("#recognition-wall")
    expect(wall).to_contain_text(f"Thandi, {world.office.name}")
    expect(wall).to_contain_text("Stayed with an elderly caller until the water was back on.")
    expect(page.locator("main")).not_to_contain_text("Mokoena")
    axe_check(page)
    snap(page, "quality-4-public-wall")
    assert Nomination.objects.get().public_consent
    assert_no_console_errors(page)
