"""Triage in a real browser. The agent types what the caller says, accepts the
service triage suggests with one click, sees that the burst pipe was reported
two minutes ago and files the call merged into that incident before saving.
A citizen typing the same problem on the report form, on a desktop and on a
phone, is told it may already be reported and follows the earlier report;
without JavaScript, "Check for similar reports" does the same."""

import itertools
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from imbizo.cases.models import Case
from imbizo.org.models import Role
from imbizo.triage.training import Example, model_train
from imbizo.triage.usage_models import SuggestionRecord
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.factories import StaffFactory
from tests.triage import conftest as model_fixtures
from tests.triage.use import conftest as triage_fixtures
from tests.triage.use.conftest import report

# The triage tests' fixtures: services with duplicate windows, a point in the
# world's ward, no model kept between tests.
services, here = triage_fixtures.services, triage_fixtures.here
_no_loaded_model = model_fixtures._no_loaded_model

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots/triage-use")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
LEAK = "Burst pipe on Vilakazi Street, water is running down the road"

PHRASES = {
    "water-leak": ["burst pipe water running in the street", "pipe leaking on the corner",
                   "water pouring from a broken pipe", "leak at the water main"],
    "pothole": ["big pothole in the road", "deep hole in the tar damaging cars",
                "pothole near the school", "road broken with holes"],
    "no-water": ["no water in the taps since morning", "taps are dry the whole day",
                 "no water supply in our area", "water cut off no water"],
    "drivers-licence": ["renew my driving licence", "licence card expired renewal",
                        "driving licence renewal booking", "my licence needs renewing"],
}


@pytest.fixture
def trained(services, settings):
    """A model really trained on a small history (not a stand-in)."""
    settings.TRIAGE_MODEL_CHECK_SECONDS = 0
    services.leak.name = "Water leak or burst pipe"
    services.leak.save()
    examples = [Example(f"{text} {n}", code) for (code, texts), n in
                itertools.product(PHRASES.items(), range(20)) for text in texts]
    return model_train(examples=examples, trained_by="test")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    snap(page, f"triage-{name}")


def sign_in(page, user):
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_the_agent_accepts_a_suggested_service_and_merges_a_duplicate_before_saving(
        page, world, services, here, trained):
    incident = report(services.leak, LEAK, point=here)
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    page.set_viewport_size(DESKTOP)
    sign_in(page, agent.user)
    page.goto("/staff/intake/")

    page.get_by_label("What the caller says").fill(
        "Caller says a pipe burst and water is running down the street")
    suggestions = page.locator("#triage-suggestions")
    expect(suggestions).to_be_visible()
    first = suggestions.get_by_role("button").first
    expect(first).to_contain_text("Water leak or burst pipe")
    first.click()  # one click: the service is chosen, nothing is sent
    expect(page.get_by_label("Service", exact=True)).to_have_value("water-leak")
    expect(first).to_have_attribute("aria-pressed", "true")

    page.get_by_label("Ward", exact=True).select_option(world.ward.code)
    duplicates = page.locator("#triage-duplicates")
    expect(duplicates).to_contain_text("This may already be reported")
    expect(duplicates).to_contain_text(incident.reference)
    axe_check(page)
    assert_no_console_errors(page)
    shoot(page, "1-intake-suggested-and-duplicate-desktop")
    page.set_viewport_size(PHONE)
    shoot(page, "2-intake-suggested-and-duplicate-phone")
    page.set_viewport_size(DESKTOP)

    duplicates.get_by_role("button", name=f"Open and merge into {incident.reference}").click()

    expect(page.get_by_text(re.compile(f"merged into {incident.reference}"))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(incident.reference)
    new = Case.objects.exclude(pk=incident.pk).get()
    assert new.parent == incident and new.service.code == "water-leak"
    record = SuggestionRecord.objects.get()
    assert (record.case, record.chosen_rank, record.model) == (new, 1, trained.version)
    axe_check(page)
    assert_no_console_errors(page)
    shoot(page, "3-merged-incident-desktop")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_citizen_is_told_it_may_already_be_reported_and_follows_it(
        page, world, services, here, viewport):
    public = report(services.leak, LEAK, point=here)
    kept = report(services.leak, LEAK, point=here, kept_private=True)
    page.set_viewport_size(viewport)
    page.goto("/report/")

    page.get_by_label("Which service is it about?").select_option("water-leak")
    page.get_by_label("Tell us what happened").fill("pipe burst on vilakazi street, water "
                                                    "everywhere")
    page.get_by_label("Ward", exact=True).select_option(world.ward.code)
    notice = page.locator("#already-reported")
    expect(notice).to_contain_text("This may already be reported: follow it instead")
    expect(notice).to_contain_text(LEAK)
    expect(notice).not_to_contain_text(kept.reference)
    axe_check(page)
    assert_no_console_errors(page)
    name = "desktop" if viewport is DESKTOP else "phone"
    shoot(page, f"4-report-already-reported-{name}")

    notice.get_by_role("link", name=f"Follow {public.reference}").click()

    expect(page).to_have_url(re.compile(f"/track/{public.reference}/"))
    assert Case.objects.count() == 2  # nothing sent
    assert_no_console_errors(page)
    shoot(page, f"5-following-the-earlier-report-{name}")


def test_without_javascript_checking_for_similar_reports_keeps_what_was_typed(
        page_without_javascript, world, services, here):
    page = page_without_javascript
    public = report(services.leak, LEAK, point=here)
    page.goto("/report/")
    page.get_by_label("Which service is it about?").select_option("water-leak")
    page.get_by_label("Tell us what happened").fill("water pipe burst on vilakazi street")
    page.get_by_label("Ward", exact=True).select_option(world.ward.code)
    page.get_by_role("textbox", name="Email address").fill("sipho@example.org")

    page.get_by_role("button", name="Check for similar reports").click()

    expect(page.locator("#already-reported")).to_contain_text(public.reference)
    expect(page.get_by_label("Tell us what happened")).to_have_value(
        "water pipe burst on vilakazi street")
    expect(page.get_by_role("textbox", name="Email address")).to_have_value("sipho@example.org")
    shoot(page, "6-report-check-without-javascript")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Thank you. We received your report.")).to_be_visible()
    assert Case.objects.count() == 2
