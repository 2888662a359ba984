"""Client groups in a real browser (issue 21): a supervisor prepares the
households' quarterly review, records key clients' suggestions, shares two
with the team, turns one into a quality action and holds the review; a
citizen on a phone finds what each service brings their group on the public
site."""

import datetime
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from imbizo.catalogue.models import Offering
from imbizo.clients.group_models import Measure, MeasureSource, Review, ServiceBenefit
from imbizo.clients.models import KeyClient, OrganisationKind
from imbizo.org.models import Role
from imbizo.quality.models import Action, ActionSource
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.clients.factories import at, case, group, response
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory, UserFactory
from tests.support import sast

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots/client-groups")
NOW = sast(2026, 4, 14, 10, 0)  # Q2 2026: the first quarter is over
PHONE = {"width": 375, "height": 740}
H = datetime.timedelta(hours=1)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    snap(page, f"client-groups-{name}")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-ZA",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _households(world, supervisor):
    households = group("households", name="Households", default=True,
                       expectations="Services that work and a clear answer when they call.")
    Measure.objects.create(group=households, name="Cases resolved within the standard",
                           source=MeasureSource.COMPLIANCE, target=80, order=1)
    Measure.objects.create(group=households, name="Account queries resolved first time (%)",
                           source=MeasureSource.MANUAL, target=70, order=2)
    for i in range(5):
        opened = at(2026, 2, 2 + i)
        case(world, opened_at=opened, acknowledged_at=opened + H,
             resolved_at=opened + (10 + 12 * i) * H, resolve_due_at=opened + 40 * H)
    KeyClient.objects.create(name="Thanda Residents' Association", group=households,
                             kind=OrganisationKind.COMMUNITY, account_manager=supervisor,
                             created_at=NOW)
    return households


def test_a_quarterly_review_turns_a_suggestion_into_an_action(page, phone, world):
    supervisor = StaffFactory(role=Role.SUPERVISOR, office=world.office,
                              user=UserFactory(username="sipho", first_name="Sipho",
                                               last_name="Dlamini"))
    _households(world, supervisor)

    with time_machine.travel(NOW, tick=False):
        sign_in(page, supervisor.user)
        page.get_by_role("link", name="Client reviews").first.click()
        axe_check(page)
        page.get_by_role("link", name="Households").click()
        expect(page.get_by_label("Year")).to_have_value("2026")
        page.get_by_label("Quarter").select_option("1")
        page.get_by_role("button", name="Start the review").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("review of 2026 Q1")
        # The quarter's figure as it stands: 3 of 5 cases on time.
        expect(page.locator("#board")).to_contain_text("60")

        for text, who in (("Send an SMS when the water will be back", "Thanda"),
                          ("Open the walk-in centre on Saturday mornings", ""),
                          ("Give one reference number for the whole problem", "")):
            page.locator("#suggestion-form").get_by_label("Suggestion").fill(text)
            if who:
                page.get_by_label("From key client (optional)").select_option(
                    label="Thanda Residents' Association")
            page.get_by_role("button", name="Record", exact=True).click()
            expect(page.get_by_text("Suggestion recorded.")).to_be_visible()

        page.get_by_label("Send an SMS when the water will be back").check()
        page.get_by_label("Give one reference number for the whole problem").check()
        page.get_by_role("button", name="Share the ticked ones with the team").click()
        expect(page.get_by_text("2 of at most three chosen")).to_be_visible()
        axe_check(page)

        form = page.locator("form.action-form").first
        form.get_by_label("What will be done").fill("SMS every household when water is back")
        form.get_by_role("button", name="Agree the action").click()
        # No owner or due date yet: the page says what is missing.
        expect(page.get_by_text("Name the action's owner")).to_be_visible()
        shot(page, "1-action-refused-desktop")
        form = page.locator("form.action-form").first
        form.get_by_label("Owner").select_option(label=str(supervisor))
        form.get_by_label("Due on").fill("2026-06-30")
        form.get_by_label("Batho Pele principle").select_option("information")
        form.get_by_label("At office").select_option(world.office.code)
        form.get_by_role("button", name="Agree the action").click()
        expect(page.get_by_text("Action agreed")).to_be_visible()
        expect(page.locator("[data-action]")).to_contain_text(
            "SMS every household when water is back")

        page.get_by_label("Account queries resolved first time (%)").fill("72")
        page.get_by_label("What was said").fill("The association asked for SMS notices.")
        page.get_by_role("button", name="Hold the review and freeze its figures").click()
        expect(page.get_by_text("Review held: its figures are frozen.")).to_be_visible()
        expect(page.locator("#review-status")).to_contain_text("frozen")
        shot(page, "2-review-held-desktop")
        assert_no_console_errors(page)

        action = Action.objects.get()
        assert action.source == ActionSource.CLIENT_REVIEW and action.owner == supervisor
        assert Review.objects.get().is_held

        # The same page on a phone.
        context = phone.context
        context.add_cookies(page.context.cookies())
        phone.goto(page.url)
        expect(phone.locator("#board")).to_be_visible()
        axe_check(phone)
        shot(phone, "3-review-phone")


def test_a_citizen_finds_what_each_service_brings_their_group(page, phone, world, instruments):
    households = group("households", name="Households", default=True)
    schools = group("schools", name="Schools and creches")
    departments = group("departments", name="Other municipal departments",
                        client_type="internal")
    ServiceBenefit.objects.create(service=world.service, group=households,
                                  benefit="Water kept in the pipes and off the street.")
    ServiceBenefit.objects.create(service=world.service, group=schools,
                                  benefit="Water at school so that it does not close early.")
    ServiceBenefit.objects.create(service=world.service, group=departments,
                                  benefit="Leaks fixed before they damage roads.")
    bulk = ServiceFactory(code="electricity-connection", name="New electricity connection",
                          offering=Offering.CUSTOMISED, group="Electricity")
    ServiceStandardFactory(service=bulk)
    ServiceBenefit.objects.create(service=bulk, group=households,
                                  benefit="Supply agreed to the home's needs.")
    now = datetime.datetime.now(datetime.UTC)
    water = case(world, opened_at=now - datetime.timedelta(days=20))
    for score in (4, 5, 4, 3, 5):
        response(case=water, submitted_at=now - datetime.timedelta(days=10),
                 answers={"overall": score})

    phone.goto("/")
    phone.get_by_role("button", name="Show the menu").click()
    phone.get_by_role("link", name="Who we serve").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Who we serve")
    phone.locator(".group-picker").get_by_role("link", name="Households").click()
    matrix = phone.locator("#matrix")
    expect(matrix).to_contain_text("Water kept in the pipes")
    expect(matrix).not_to_contain_text("Water at school")
    expect(matrix).to_contain_text("4.2")
    expect(matrix).not_to_contain_text("Other municipal departments")
    axe_check(phone)
    shot(phone, "4-matrix-phone")

    page.goto("/services/")
    page.get_by_role("link", name="Who we serve:").click()
    expect(page.locator("#matrix")).to_contain_text("customised")
    axe_check(page)
    shot(page, "5-matrix-desktop")
    page.get_by_role("link", name="New electricity connection").first.click()
    expect(page.locator("#offering")).to_contain_text("Customised")
    shot(page, "6-customised-service-desktop")
    assert_no_console_errors(page)
