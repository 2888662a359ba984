"""A key client's poor rating as the account manager lives it: the contact
person rates a case 1 out of 5 on their phone; the closed loop's one follow-up
case lands in the account manager's queue (no second alert), the key client
page shows it as a signal, and the account manager records the corrective
action, at a desk and on a phone."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from imbizo.cases.models import Case
from imbizo.clients.key_clients import contact_person_keys, intake_link
from imbizo.clients.key_models import Signal
from imbizo.clients.models import ClientGroup, ContactPerson, KeyClient
from imbizo.core import clock
from imbizo.engagement.models import LoopRule
from imbizo.notify.models import OutboxMessage
from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.browser.test_loop_journeys import answer_all, resolved_case_link
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
EMAIL = "principal@thuto.example.org"
ACTION = "Called the principal and sent the crew back the same day; the meter is sealed."


@pytest.fixture
def school(world):
    follow_up = ServiceFactory(code="feedback-follow-up", name="Follow-up on a poor rating",
                               department=world.office.department)
    ServiceStandardFactory(service=follow_up, resolve_amount=2)
    LoopRule.objects.create(name="Any answer of 1 or 2 after a transaction",
                            instrument_code="post-transaction", max_score=2,
                            follow_up_service=follow_up, promise="We will call you.")
    StaffFactory(office=world.office, role=Role.SUPERVISOR)
    manager = StaffFactory(office=world.office, role=Role.OFFICER, user__username="nomsa",
                           user__first_name="Nomsa", user__last_name="Zulu")
    group = ClientGroup.objects.create(code="schools", name="Schools", client_type="external")
    client = KeyClient.objects.create(name="Thuto High School", kind="school", group=group,
                                      account_manager=manager, office=world.office,
                                      created_at=clock.now() - timedelta(days=300))
    contact_person_keys(ContactPerson(key_client=client, name="Lerato Molefe", role="Principal",
                                      email=EMAIL, phone="082 555 0101")).save()
    return type("School", (), {"client": client, "manager": manager})


def test_the_account_manager_gets_the_poor_rating_and_records_the_corrective_action(
        page, browser, live_server, world, school):
    case, link = resolved_case_link(world, EMAIL)
    intake_link(case=case, email=EMAIL)  # the principal called it in

    # The principal rates the case on a phone.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-ZA",
                                is_mobile=True, has_touch=True)
    citizen = phone.new_page()
    citizen.goto(link)
    answer_all(citizen, 1)
    citizen.get_by_role("button", name="Send my answers").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Thank you")
    phone.close()

    # One reaction: the follow-up case, given to the account manager; no email of ours.
    follow_up = Case.objects.get(service__code="feedback-follow-up")
    assert follow_up.assignee == school.manager
    assert not OutboxMessage.objects.filter(template="key_client_signal").exists()

    # The account manager, at a desk: the follow-up is in their queue...
    sign_in(page, school.manager.user)
    page.get_by_role("link", name=re.compile("My cases")).first.click()
    expect(page.get_by_role("row", name=re.compile("Follow-up on a poor rating"))).to_have_count(1)
    # ... and waits on the key clients page.
    page.get_by_role("link", name="Key clients").first.click()
    expect(page.locator("#my-signals")).to_contain_text("1 signal waits for your corrective action")
    expect(page.locator("#my-signals")).to_contain_text("Thuto High School")
    axe_check(page)
    snap(page, "key-clients-1-list")
    page.locator("#my-signals").get_by_role("link", name="Thuto High School").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thuto High School")
    signal = page.locator("article[data-open='1']")
    expect(signal).to_contain_text("Poor rating: follow-up case")
    expect(signal).to_contain_text(follow_up.reference)
    expect(page.locator("#contacts")).to_contain_text("Lerato Molefe")
    expect(page.locator("#cases")).to_contain_text(case.reference)
    axe_check(page)
    snap(page, "key-clients-2-client-signal")

    # An empty corrective action is refused with its reason.
    signal.get_by_role("button", name="Record the corrective action").click()
    expect(page.locator("article[data-open='1']")).to_contain_text(
        "This field is required")
    page.console_errors.clear()  # the refused form answers 422, which Chromium logs
    # On a phone, the account manager writes what was done.
    page.set_viewport_size(PHONE)
    snap(page, "key-clients-3-client-phone")
    page.locator("article[data-open='1']").get_by_label("Corrective action taken").fill(ACTION)
    page.locator("article[data-open='1']").get_by_role(
        "button", name="Record the corrective action").click()
    expect(page.get_by_role("status")).to_contain_text("Corrective action recorded.")
    expect(page.locator("article[data-open='0']").first).to_contain_text(ACTION)
    expect(page.locator("article[data-open='1']")).to_have_count(0)
    axe_check(page)
    assert_no_console_errors(page)
    snap(page, "key-clients-4-recorded-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    recorded = Signal.objects.get()
    assert (recorded.case, recorded.corrective_action, recorded.recorded_by) == (
        follow_up, ACTION, school.manager)
