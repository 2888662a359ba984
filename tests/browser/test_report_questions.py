"""Reporting a service that asks its own questions, as a citizen on /report/ and
as an agent on the intake, with and without JavaScript; and an agent's private
intake note kept off every public page while the public summary is shown."""

import json
import re

import pytest
from playwright.sync_api import expect

from imbizo.cases.models import Case, RoutingRule
from imbizo.catalogue.models import ServiceAttribute
from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
NOTE = "Walk-in: Mr Dlamini of 14 Acacia Road (082 765 4321) says a car hit the hole"


@pytest.fixture
def pothole(world):
    """The demo's pothole service: a required size and an optional 'blocking a lane'."""
    service = ServiceFactory(code="pothole", name="Pothole", group="Roads",
                             department=world.office.department)
    ServiceStandardFactory(service=service)
    RoutingRule.objects.create(service=service, office=world.office)
    ServiceAttribute.objects.create(
        service=service, code="size", datatype="singlevaluelist", required=True, order=1,
        description="How big is the pothole?",
        values=[{"key": "small", "name": "Smaller than a dinner plate"},
                {"key": "medium", "name": "Up to a car tyre"},
                {"key": "large", "name": "Larger than a car tyre"}])
    ServiceAttribute.objects.create(
        service=service, code="lanes", datatype="singlevaluelist", order=2,
        description="Is it blocking a lane?",
        values=[{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}])
    ServiceAttribute.objects.create(
        service=service, code="depth", datatype="number", order=3,
        description="How deep is it?", datatype_description="In centimetres, a guess is fine")
    return service


def _report_the_rest(page, world):
    page.get_by_label("Tell us what happened").fill("A deep hole in the left lane.")
    page.get_by_label("Address or place").fill("14 Church Street")
    page.get_by_label("Ward", exact=True).select_option(world.ward.code)


def test_a_citizen_reports_a_pothole_and_its_questions_appear_without_a_reload(page, world,
                                                                                pothole):
    page.goto("/report/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Which service is it about?").select_option("pothole")

    questions = page.locator("#questions")
    expect(questions).to_contain_text("How big is the pothole?")
    assert page.evaluate("window.stillTheSamePage") is True  # no reload
    _report_the_rest(page, world)
    page.get_by_label("How deep is it?").fill("deep")
    page.get_by_role("button", name="Send the report").click()

    expect(page.locator("#form-errors")).to_contain_text("Please answer: How big is the pothole?")
    expect(page.locator("#id_attr__size_error")).to_have_text(
        "Please answer: How big is the pothole?")
    expect(page.locator("#id_attr__depth_error")).to_have_text("This must be a number.")
    expect(page.get_by_label("Tell us what happened")).to_have_value("A deep hole in the left lane.")
    assert not Case.objects.exists()
    axe_check(page)
    snap(page, "questions-1-report-errors-desktop")
    page.set_viewport_size(PHONE)
    page.locator("#questions").scroll_into_view_if_needed()
    snap(page, "questions-2-report-errors-phone")

    page.get_by_label("Larger than a car tyre").check()
    page.get_by_label("How deep is it?").fill("15")
    page.get_by_role("button", name="Send the report").click()

    expect(page.get_by_text("Thank you. We received your report.")).to_be_visible()
    case = Case.objects.get()
    assert case.attributes == {"size": "large", "depth": 15.0}
    assert case.public_description == "A deep hole in the left lane."
    expect(page.locator("#public-description")).to_have_text("A deep hole in the left lane.")
    assert_no_console_errors(page)


def test_without_javascript_the_citizen_gets_the_questions_in_a_second_step(
        page_without_javascript, world, pothole):
    page = page_without_javascript
    page.goto("/report/")
    page.get_by_label("Which service is it about?").select_option("pothole")
    _report_the_rest(page, world)
    page.get_by_role("button", name="Show this service's questions").click()

    expect(page.locator("#questions")).to_contain_text("How big is the pothole?")
    expect(page.get_by_label("Tell us what happened")).to_have_value("A deep hole in the left lane.")
    expect(page.locator("#form-errors")).to_have_count(0)
    snap(page, "questions-3-report-no-js-second-step")
    page.get_by_label("Up to a car tyre").check()
    page.get_by_label("Keep my whole report private").check()
    page.get_by_role("button", name="Send the report").click()

    expect(page.get_by_text("Thank you. We received your report.")).to_be_visible()
    case = Case.objects.get()
    assert case.attributes == {"size": "medium"}
    assert case.kept_private and case.public_description == ""
    expect(page.locator("#public-description")).to_have_count(0)


def test_an_agent_logs_a_pothole_with_a_private_note_and_a_public_summary(page, world, pothole):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    sign_in(page, agent.user)
    page.goto("/staff/intake/")
    page.get_by_label("Channel").select_option("walk_in")
    page.get_by_label("Service", exact=True).select_option("pothole")

    expect(page.locator("#questions")).to_contain_text("How big is the pothole?")
    page.get_by_label("What the caller says").fill(NOTE)
    page.get_by_label("Public summary").fill("Pothole in the left lane of Acacia Road")
    page.get_by_label("Address or place").fill("14 Acacia Road")
    page.get_by_role("button", name="Open the case").click()

    expect(page.locator("#id_attr__size_error")).to_have_text(
        "Please answer: How big is the pothole?")
    snap(page, "questions-4-intake-error-desktop")
    page.get_by_label("Smaller than a dinner plate").check()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Open the case").click()

    expect(page.get_by_text(re.compile(r"Case .{9} opened"))).to_be_visible()
    case = Case.objects.get()
    assert case.attributes == {"size": "small", "lanes": "yes"}
    answers = page.locator("#answers")
    expect(answers).to_contain_text("How big is the pothole?")
    expect(answers).to_contain_text("Smaller than a dinner plate")
    expect(page.locator("#description")).to_contain_text("Mr Dlamini")
    axe_check(page)
    snap(page, "questions-5-case-page-desktop")
    page.set_viewport_size(PHONE)
    snap(page, "questions-6-case-page-phone")

    # What the public reads: the summary, never the agent's note.
    page.goto(f"/track/{case.reference}/")
    expect(page.locator("#public-description")).to_have_text(
        "Pothole in the left lane of Acacia Road")
    assert "Dlamini" not in page.content() and "765 4321" not in page.content()
    snap(page, "questions-7-track-phone")
    feed = page.request.get("/open311/v2/requests.json").text()
    assert [r["description"] for r in json.loads(feed)] == [
        "Pothole in the left lane of Acacia Road"]
    assert "Dlamini" not in feed and "Acacia Road (082" not in feed
    detail = page.request.get(f"/open311/v2/requests/{case.reference}.json?extensions=true").text()
    assert "Dlamini" not in detail


def test_without_javascript_the_agent_gets_the_questions_in_a_second_step(
        page_without_javascript, world, pothole):
    page = page_without_javascript
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    sign_in(page, agent.user)
    page.goto("/staff/intake/")
    page.get_by_label("Channel").select_option("hotline")
    page.get_by_label("Service", exact=True).select_option("pothole")
    page.get_by_label("What the caller says").fill(NOTE)
    page.get_by_role("button", name="Open the case").click()  # before seeing the questions

    expect(page.locator("#questions")).to_contain_text("How big is the pothole?")
    expect(page.get_by_label("What the caller says")).to_have_value(NOTE)
    assert not Case.objects.exists()
    snap(page, "questions-8-intake-no-js-second-step")
    page.get_by_label("Larger than a car tyre").check()
    page.get_by_role("button", name="Open the case").click()

    expect(page.get_by_text(re.compile(r"Case .{9} opened"))).to_be_visible()
    case = Case.objects.get()
    assert case.attributes == {"size": "large"}
    assert case.public_description == ""
    feed = page.request.get("/open311/v2/requests.json").text()
    assert "Dlamini" not in feed


def test_staff_correct_the_public_text_and_the_original_stays_in_the_history(page, world):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    sign_in(page, agent.user)
    page.goto("/staff/intake/")
    page.get_by_label("Channel").select_option("hotline")
    page.get_by_label("Service", exact=True).select_option("water-leak")
    page.get_by_label("What the caller says").fill(NOTE)
    page.get_by_label("Public summary").fill("Leak reported by Mr Dlamini")
    page.get_by_label("Address or place").fill("14 Acacia Road")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text(re.compile(r"Case .{9} opened"))).to_be_visible()

    page.get_by_text("Correct what the public reads").click()
    page.get_by_label("Public description (anyone can read this)").fill("Water leak in the street")
    page.get_by_role("button", name="Save the public description").click()

    expect(page.locator("#public-description")).to_have_text("Water leak in the street")
    correction = page.locator('#timeline [data-kind="public_text"]')
    expect(correction).to_contain_text("Published before: Leak reported by Mr Dlamini")
    expect(correction).to_contain_text("staff only")
    axe_check(page)
    snap(page, "questions-9-public-text-corrected-desktop")
    case = Case.objects.get()
    page.goto(f"/track/{case.reference}/")
    expect(page.locator("#public-description")).to_have_text("Water leak in the street")
    assert "Dlamini" not in page.content()
