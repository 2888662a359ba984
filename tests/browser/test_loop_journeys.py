"""The closed loop as a citizen and a supervisor live it: a 1-out-of-5
post-transaction survey opens exactly one follow-up, the thank-you page says
what the rule that fired promises, and the supervisor finds the case in their
queue with the citizen's answers; a good rating is promised nothing."""

import re

import pytest
from playwright.sync_api import expect

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open, case_resolve
from imbizo.engagement.models import LoopRule
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import inside

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = ("satisfaction", "trust", "effectiveness", "ease", "efficiency", "fairness",
             "helpfulness")
PROMISE = "The office supervisor will call you within 2 working days."
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def loop_world(world):
    follow_up = ServiceFactory(code="feedback-follow-up", name="Follow-up on a poor rating",
                               department=world.office.department)
    ServiceStandardFactory(service=follow_up, resolve_amount=2)
    LoopRule.objects.create(name="Any answer of 1 or 2 after a transaction",
                            instrument_code="post-transaction", max_score=2,
                            follow_up_service=follow_up, promise=PROMISE)
    return world


def resolved_case_link(world, email: str) -> tuple[Case, str]:
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak at the meter",
                                     channel="web", citizen_email=email, contact_consent=True,
                                     **inside(world.ward)))
    case_resolve(case=case, actor=None, outcome="fixed", note="Meter replaced")
    message = OutboxMessage.objects.get(case=case, template="case_resolved", channel="email")
    return case, re.search(r"https?://[^/\s]+(/survey/\S+/)", message_text(message)[1]).group(1)


def answer_all(page, score: int) -> None:
    for code in QUESTIONS:
        page.locator(f"label[for='{code}-{score}']").click()


def test_one_out_of_five_on_everything_reaches_the_supervisor_with_the_answers(
        page, browser, live_server, loop_world):
    supervisor = StaffFactory(office=loop_world.office, role=Role.SUPERVISOR)
    case, link = resolved_case_link(loop_world, "zanele@example.org")

    # The citizen, on a phone.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-ZA",
                                is_mobile=True, has_touch=True)
    citizen = phone.new_page()
    citizen.goto(link)
    answer_all(citizen, 1)
    citizen.get_by_label("Is there anything else you want to tell us?").fill(
        "The meter still leaks and nobody checked the work.")
    snap(citizen, "loop-1-survey-phone")
    citizen.get_by_role("button", name="Send my answers").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(citizen.locator("#promise")).to_have_text(PROMISE)
    axe_check(citizen)
    snap(citizen, "loop-2-thanks-phone")
    phone.close()

    follow_up = Case.objects.get(service__code="feedback-follow-up")
    assert Case.objects.filter(service__code="feedback-follow-up").count() == 1
    assert follow_up.assignee == supervisor

    # The supervisor, at a desk.
    sign_in(page, supervisor.user)
    page.get_by_role("link", name=re.compile("My cases")).first.click()
    row = page.get_by_role("row", name=re.compile("Follow-up on a poor rating"))
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(follow_up.reference)
    answers = page.locator("#rating-answers")
    expect(answers.get_by_role("row", name=re.compile("Staff were helpful"))).to_contain_text(
        "1 of 5")
    expect(page.locator("#rating-comments")).to_contain_text("nobody checked the work")
    expect(page.locator("#rated-case")).to_have_text(case.reference)
    axe_check(page)
    assert_no_console_errors(page)
    snap(page, "loop-3-follow-up-supervisor")
    page.set_viewport_size(PHONE)
    snap(page, "loop-3-follow-up-supervisor-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("#rated-case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)


def test_a_good_rating_is_promised_nothing(page, loop_world):
    StaffFactory(office=loop_world.office, role=Role.SUPERVISOR)
    _case, link = resolved_case_link(loop_world, "pieter@example.org")

    page.goto(link)
    answer_all(page, 5)
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.locator("#promise")).to_contain_text("nobody will contact you")
    expect(page.locator("#what-happens")).not_to_contain_text("supervisor")
    axe_check(page)
    snap(page, "loop-4-thanks-good-rating")
    assert not Case.objects.filter(service__code="feedback-follow-up").exists()
