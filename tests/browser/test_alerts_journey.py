"""Ward alerts in a real browser: a resident signs up by SMS from the ward
page and another by email from /alerts/, each confirms, a supervisor sends a
notice after seeing its recipients and segments, it reaches both over the
loopback SMS gateway and SMTP server, and the unsubscribe links work, twice."""

import json
import re
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from imbizo.notify.delivery import outbox_send_due
from imbizo.org.models import Role
from imbizo.outreach.alert_models import Subscription, SubscriptionStatus
from tests.browser.conftest import assert_no_console_errors, axe_check
from tests.factories import StaffFactory, WardFactory, square
from tests.notify.conftest import sms_gateway, smtp_server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct horse battery staple"
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SHOTS = Path("/tmp/shots/alerts")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _texts(gateway) -> list[dict]:
    return [json.loads(request.body) for request in gateway.received]


def _email(envelope):
    return message_from_bytes(envelope.content, policy=default_policy)


def _path(link: str) -> str:
    return link[link.index("/alerts/"):]


@pytest.fixture
def west(institution, live_server):
    with override_settings(SITE_URL=live_server.url):
        yield [WardFactory(code=f"WEST{i}", name=f"West {i}",
                           boundary=square(28.0 + i * 0.01, -26.2)) for i in range(2)]


def test_subscribe_confirm_receive_and_unsubscribe_twice(
        page, live_server, west, sms_gateway, smtp_server):  # noqa: F811 - the loopback servers imported above
    # --- SMS from the ward page, on a phone ----------------------------------------------
    page.set_viewport_size(PHONE)
    page.goto("/wards/WEST1/")
    form = page.locator("#ward-alerts")
    expect(form.get_by_role("radio", name="SMS to my phone")).to_be_checked()
    form.get_by_label("Mobile number or email address").fill("082 123 4567")
    form.get_by_role("button", name="Send me alerts").click()
    expect(page.get_by_text("Tick the box to agree")).to_be_visible()  # consent forgotten
    page.get_by_label("Mobile number or email address").fill("011 555 1234")
    page.get_by_label(re.compile("I agree that the municipality may send me alerts")).check()
    page.get_by_role("button", name="Send me alerts").click()
    expect(page.get_by_text("SMS alerts need a mobile number")).to_be_visible()
    axe_check(page)
    shot(page, "1-ward-signup-error-phone")
    page.console_errors.clear()  # the two refusals above answered 400, as they should
    page.get_by_label("Mobile number or email address").fill("082 123 4567")
    page.get_by_label(re.compile("I agree that the municipality may send me alerts")).check()
    page.get_by_role("button", name="Send me alerts").click()
    expect(page.get_by_role("heading", name="Confirm your alerts")).to_be_visible()
    outbox_send_due()
    (confirmation,) = _texts(sms_gateway)
    assert confirmation["to"] == "+27821234567"
    code = re.search(r"\b(\d{6})\b", confirmation["text"]).group(1)
    page.get_by_label("The code in the SMS").fill(code)
    axe_check(page)
    shot(page, "2-sms-code-phone")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your alerts are on")).to_be_visible()
    shot(page, "3-confirmed-phone")

    # --- email from /alerts/, at a desk ----------------------------------------------------
    page.set_viewport_size(DESK)
    page.goto("/alerts/")
    page.get_by_role("radio", name="Email").check()
    page.get_by_label("Mobile number or email address").fill("Thandi@Example.org")
    page.get_by_label("Ward", exact=True).select_option("WEST0")
    page.get_by_label(re.compile("I agree that the municipality may send me alerts")).check()
    axe_check(page)
    shot(page, "4-alerts-form-desk")
    page.get_by_role("button", name="Send me alerts").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    outbox_send_due()
    (confirm_mail,) = [_email(e) for e in smtp_server.messages]
    link = re.search(r"http\S+/alerts/confirm/\S+/", confirm_mail.get_content()).group(0)
    page.goto(_path(link))
    assert Subscription.objects.get(channel="email").status == SubscriptionStatus.PENDING
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your alerts are on")).to_be_visible()
    page.goto(_path(link))  # the link again: harmless
    expect(page.get_by_role("heading", name="Your alerts are on")).to_be_visible()

    # --- a supervisor sends a notice --------------------------------------------------------
    supervisor = StaffFactory(role=Role.SUPERVISOR)
    staff = page.context.browser.new_context(base_url=live_server.url, viewport=DESK).new_page()
    staff.console_errors = []
    staff.on("console", lambda m: m.type == "error" and staff.console_errors.append(m.text))
    staff.goto("/staff/login/")
    staff.get_by_label("Username").fill(supervisor.user.username)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.get_by_role("link", name="Ward alerts").first.click()
    staff.get_by_label("Wards").select_option([str(west[0].pk), str(west[1].pk)])
    staff.get_by_label("Notice").fill("Water off in West 0 and 1 until 18:00: burst main.")
    staff.get_by_role("button", name="Check recipients and length").click()
    expect(staff.locator('[data-figure="recipients"]')).to_have_text("2 recipients")
    expect(staff.locator('[data-figure="segments"]')).to_have_text("1 SMS segment")
    axe_check(staff)
    shot(staff, "5-staff-notice-preview-desk")
    staff.get_by_role("button", name="Send to 2 subscribers").click()
    expect(staff.get_by_text("Notice sent to 2 subscribers")).to_be_visible()
    staff.set_viewport_size(PHONE)
    shot(staff, "6-staff-notice-sent-phone")
    assert_no_console_errors(staff)
    staff.context.close()

    outbox_send_due()
    alert = _texts(sms_gateway)[-1]
    assert alert["to"] == "+27821234567"
    assert alert["text"].startswith("Water off in West 0 and 1 until 18:00")
    sms_stop = re.search(r"http\S+/alerts/u/\S+/", alert["text"]).group(0)
    alert_mail = _email(smtp_server.messages[-1])
    assert alert_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_stop = alert_mail["List-Unsubscribe"].strip("<>")
    assert mail_stop in alert_mail.get_content()

    # --- unsubscribe, twice each ------------------------------------------------------------
    page.set_viewport_size(PHONE)
    for stop in (sms_stop, mail_stop):
        page.goto(_path(stop))
        axe_check(page)
        page.get_by_role("button", name="Stop my alerts").click()
        expect(page.get_by_role("heading", name="Your alerts are stopped")).to_be_visible()
        page.goto(_path(stop))
        expect(page.get_by_role("heading", name="You receive no alerts")).to_be_visible()
    shot(page, "7-unsubscribed-again-phone")
    assert set(Subscription.objects.values_list("status", flat=True)) == {
        SubscriptionStatus.ENDED}
    assert_no_console_errors(page)


def test_sign_up_by_location_covers_the_wards_within_the_distance(browser, live_server, west):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, permissions=["geolocation"],
        geolocation={"latitude": -26.195, "longitude": 28.008})  # 200 m from WEST0/WEST1
    page = context.new_page()
    page.goto("/alerts/")
    page.get_by_label("Mobile number or email address").fill("082 765 4321")
    page.get_by_role("button", name="Or use my location").click()
    expect(page.get_by_text("Your location will be used")).to_be_visible()
    page.get_by_label("Around my location, within").select_option("500")
    page.get_by_label(re.compile("I agree that the municipality may send me alerts")).check()
    axe_check(page)
    shot(page, "8-location-signup-phone")
    page.get_by_role("button", name="Send me alerts").click()
    expect(page.get_by_role("heading", name="Confirm your alerts")).to_be_visible()

    subscription = Subscription.objects.get()
    assert set(subscription.wards.values_list("code", flat=True)) == {"WEST0", "WEST1"}
    assert subscription.radius_m == 500
    context.close()
