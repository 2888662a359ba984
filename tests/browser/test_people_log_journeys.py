"""The people log in a real browser: an officer fills a pre-filled time log and
sets a goal; a colleague gives the feedback asked of them; the client ratings
of one's own contacts show only from five answers."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from imbizo.core import clock
from imbizo.org.models import Role
from imbizo.people.timelog_models import TimeLogWeek
from tests.browser.conftest import assert_no_console_errors, axe_check
from tests.browser.test_case_journeys import sign_in
from tests.factories import StaffFactory, UserFactory
from tests.people_log.factories import contact, rated_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/people-log")


def look(page, name: str, *, refused: bool = False) -> None:
    """Check the page, and keep it as a desk and as a phone see it. A refused
    form answers 400, which the browser reports in its console."""
    axe_check(page)
    if not refused:
        assert_no_console_errors(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 740})
    # Nothing pushes the page sideways on a phone (wide tables scroll inside their box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def team(world, instruments, settings):
    settings.MIN_ANSWERS_SHOWN = 5
    supervisor = StaffFactory(role=Role.SUPERVISOR, office=world.office,
                              user=UserFactory(username="nomvula", first_name="Nomvula",
                                               last_name="Dlamini"))
    officer = StaffFactory(role=Role.OFFICER, office=world.office, manager=supervisor,
                           user=UserFactory(username="sipho", first_name="Sipho",
                                            last_name="Mthembu"))
    colleague = StaffFactory(role=Role.OFFICER, office=world.office, manager=supervisor,
                             user=UserFactory(username="thandi", first_name="Thandi",
                                              last_name="Nkosi"))
    return supervisor, officer, colleague


def test_an_officer_fills_a_prefilled_time_log_and_sets_a_goal(page, team):
    _supervisor, officer, _colleague = team
    now = clock.now()
    contact(officer, now - datetime.timedelta(minutes=5), handling_minutes=90)
    today = timezone.localdate(now).weekday()

    sign_in(page, officer.user)
    page.get_by_role("link", name="My development").first.click()
    page.locator("#people-sections").get_by_role("link", name="Time log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My service time log")
    clients = page.locator(f"#id_h_{today}_clients")
    expect(clients).to_have_value("1.5")  # what Imbizo knew: 90 minutes with a client
    look(page, "log-1-prefilled")

    clients.fill("5")
    page.locator(f"#id_h_{today}_admin").fill("2")
    page.locator(f"#id_h_{today}_internal").fill("1")
    page.get_by_label("My goal for next week").fill("80")
    page.get_by_label("How I will get there").fill("Answer emails in one block after four")
    page.get_by_role("button", name="Save my week").click()

    expect(page.get_by_role("status")).to_contain_text("Your week is saved.")
    expect(page.locator("#week-summary [data-share]")).to_have_text("75%")  # 6 of 8 hours
    expect(page.locator("#timelog-trend")).to_contain_text("75%")
    week = TimeLogWeek.objects.get(staff=officer)
    assert week.goal_share == 80
    look(page, "log-2-saved")

    page.locator(f"#id_h_{today}_other").fill("-3")
    page.get_by_role("button", name="Save my week").click()
    expect(page.get_by_role("alert").first).to_contain_text("hours cannot be negative")
    look(page, "log-3-refused", refused=True)


def test_a_colleague_gives_the_feedback_asked_of_them(page, team):
    _supervisor, officer, colleague = team

    sign_in(page, officer.user)
    page.goto("/staff/people/feedback/")
    page.get_by_label("Whom to ask").select_option(label=f"Thandi Nkosi ({colleague.office})")
    page.get_by_label("Who they are to you").select_option("colleague")
    page.get_by_label("What you would like feedback on").fill("How I explain a delay")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Asked Thandi Nkosi.")
    look(page, "feedback-1-asked")

    page.context.clear_cookies()
    sign_in(page, colleague.user)
    page.goto("/staff/people/feedback/")
    page.locator("#feedback-waiting").get_by_role("link", name="Answer Sipho Mthembu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback for Sipho Mthembu")
    page.get_by_label("Start doing").fill("Give the date the team will come, not just 'soon'.")
    page.get_by_label("Keep doing").fill("Your calm voice with angry callers.")
    look(page, "feedback-2-answer")
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Sipho Mthembu can read your answer now.")
    expect(page.locator("#feedback-waiting")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, officer.user)
    page.goto("/staff/people/feedback/")
    expect(page.locator("#asked-list")).to_contain_text("Your calm voice with angry callers.")
    page.get_by_role("link", name="See the patterns over time").click()
    expect(page.locator("#patterns-table")).to_contain_text("Manner and tone")
    look(page, "feedback-3-patterns")


def test_client_ratings_show_only_from_five_answers(page, team):
    _supervisor, officer, colleague = team
    now = clock.now()
    for n, overall in enumerate((5, 4, 4, 5, 3)):
        rated_contact(officer, now - datetime.timedelta(days=n + 2), overall=overall)
    for n in range(4):
        rated_contact(colleague, now - datetime.timedelta(days=n + 2), overall=5)

    sign_in(page, officer.user)
    page.goto("/staff/people/feedback/")
    row = page.locator("#ratings-table tr[data-driver='overall']")
    expect(row).to_contain_text("4.2")
    expect(row).to_contain_text("(5")
    look(page, "ratings-1-five")

    page.context.clear_cookies()
    sign_in(page, colleague.user)
    page.goto("/staff/people/feedback/")
    expect(page.locator("#ratings-too-few")).to_have_text("Too few answers to show yet.")
    expect(page.locator("#ratings-table")).to_have_count(0)
    look(page, "ratings-2-four")
