"""An interruption reaches a ward's subscribers, end to end: a supervisor
records an outage in the browser; the subscribers of that ward (one by SMS,
one by email) get the alert over the loopback SMS gateway and SMTP server,
a subscriber of another ward gets nothing, the restoration is told too, and
the unsubscribe link in the alert works, twice."""

import json
import re
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from imbizo.cases.services import calendar
from imbizo.core import clock
from imbizo.notify.delivery import outbox_send_due
from imbizo.org.models import Role
from imbizo.outreach.alert_models import Subscription, SubscriptionStatus
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.factories import StaffFactory, WardFactory, square
from tests.notify.conftest import sms_gateway, smtp_server  # noqa: F401 - fixtures
from tests.outreach.factories import subscription_make

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 740}


def _local(moment) -> str:
    return moment.astimezone(calendar().tz).strftime("%Y-%m-%dT%H:%M")


def _texts(gateway) -> list[dict]:
    return [json.loads(request.body) for request in gateway.received]


def _mails(server):
    return [message_from_bytes(e.content, policy=default_policy) for e in server.messages]


def test_an_outage_and_its_restoration_reach_the_wards_subscribers(
        page, live_server, world, sms_gateway, smtp_server):  # noqa: F811 - the loopback servers
    elsewhere = WardFactory(code="FAR1", name="Far away", boundary=square(29.5, -25.0))
    by_sms = subscription_make(address="+27821234567", ward_ids=[world.ward.pk])
    by_mail = subscription_make(address="thandi@example.org", channel="email",
                                ward_ids=[world.ward.pk])
    subscription_make(address="+27829998888", ward_ids=[elsewhere.pk])
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    now = clock.now()

    with override_settings(SITE_URL=live_server.url):
        page.goto("/staff/login/")
        page.get_by_label("Username").fill(supervisor.user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/staff/interruptions/new/")
        page.get_by_label("Service interrupted").select_option(world.service.code)
        page.get_by_label("Unplanned (outage)").check()
        page.get_by_label("Title").fill("Burst main on Church Street")
        page.get_by_label("What citizens are told").fill(
            "No water while the main is repaired. A tanker stands at the ward office.")
        page.get_by_label("Wards affected").select_option([world.ward.code])
        page.get_by_label("Starts (or started) at").fill(_local(now - timedelta(hours=1)))
        page.get_by_label("Expected restoration").fill(_local(now + timedelta(hours=6)))
        page.get_by_role("button", name="Record the interruption").click()
        expect(page.locator("#interruption-status")).to_have_text("In progress")

        outbox_send_due()
        (sms,) = _texts(sms_gateway)
        assert sms["to"] == by_sms.address
        assert sms["text"].startswith(
            f"Now: Burst main on Church Street ({world.service.name}) until ")
        (mail,) = _mails(smtp_server)
        assert mail["To"] == by_mail.address
        assert "Burst main on Church Street" in mail["Subject"] + mail.get_content()
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        stop = re.search(r"http\S+/alerts/u/\S+/", sms["text"]).group(0)

        # The restoration is told to the same two, once each.
        page.get_by_label("What citizens are told", exact=False).last.fill("Water is back on.")
        page.get_by_role("button", name="Mark restored and resolve linked reports").click()
        expect(page.locator("#interruption-status")).to_have_text("Restored")
        assert_no_console_errors(page)
        outbox_send_due()
        texts = _texts(sms_gateway)
        assert [t["to"] for t in texts] == [by_sms.address, by_sms.address]
        assert texts[1]["text"].startswith(
            f"Restored: Burst main on Church Street ({world.service.name}).")
        assert [m["To"] for m in _mails(smtp_server)] == [by_mail.address, by_mail.address]

        # The SMS's unsubscribe link, on a phone, twice.
        page.set_viewport_size(PHONE)
        page.goto(stop[stop.index("/alerts/"):])
        axe_check(page)
        page.get_by_role("button", name="Stop my alerts").click()
        expect(page.get_by_role("heading", name="Your alerts are stopped")).to_be_visible()
        snap(page, "interruption-alert-unsubscribed-phone")
        page.goto(stop[stop.index("/alerts/"):])
        expect(page.get_by_role("heading", name="You receive no alerts")).to_be_visible()

    by_sms.refresh_from_db()
    by_mail.refresh_from_db()
    assert by_sms.status == SubscriptionStatus.ENDED
    assert by_mail.status == SubscriptionStatus.CONFIRMED
    assert Subscription.objects.filter(status=SubscriptionStatus.ENDED).count() == 1
