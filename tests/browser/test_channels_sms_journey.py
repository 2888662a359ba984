"""A citizen texts about their report; the officer reads it on the case page."""

import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.channels.conftest import PHONE, SECRET, case_of, gateway_make
from tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct horse battery staple"


def africastalking_sms(live_server, *, text: str, msg_id: str) -> int:
    """POST the incoming-message callback to the live server, as Africa's Talking does."""
    body = urllib.parse.urlencode({
        "from": PHONE, "to": "31337", "text": text, "date": "2026-12-07 08:00:00",
        "id": msg_id, "linkId": "SampleLinkId123", "networkCode": "62120"}).encode()
    request = urllib.request.Request(f"{live_server.url}/channels/sms/at/{SECRET}/", data=body,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return response.status


def test_an_officer_sees_the_citizens_sms_on_the_case_timeline(page, live_server, world):
    gateway_make()
    world.service.channels = ["web", "sms"]
    world.service.save()
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = case_of(world)
    case.assignee = officer
    case.save(update_fields=["assignee"])

    assert africastalking_sms(live_server, text="The leak is now flooding the road",
                              msg_id="ATXid_browser_1") == 200

    page.goto("/staff/login/")
    page.get_by_label("Username").fill(officer.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/cases/{case.reference}/")
    message = page.locator("#timeline li[data-kind='message_in']")
    expect(message).to_contain_text("Message from the citizen")
    expect(message).to_contain_text("The leak is now flooding the road")
    expect(message).to_contain_text("staff only")
    expect(page.locator("#contacts")).to_contain_text("SMS")
    axe_check(page)
    assert_no_console_errors(page)
    snap(page, "channels-sms-on-case-timeline")

    # The public tracking page never shows it.
    page.goto(f"/track/{case.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    assert "flooding the road" not in page.content()
