"""An administrator sets up the second factor, then answers a citizen's
request to erase their data."""

import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.org.models import Role
from tests.browser.conftest import axe_check
from tests.factories import StaffFactory, UserFactory
from tests.support import inside

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct horse battery staple"


def test_an_administrator_enrols_a_second_factor_then_erases_a_citizens_data(
        page, world, settings):
    settings.OTP_REQUIRED_ROLES = ["administrator"]
    admin = StaffFactory(role=Role.ADMINISTRATOR, office=None, department=None,
                         user=UserFactory(username="chief", is_staff=True, is_superuser=True))
    case = case_open(draft=CaseDraft(
        service_code="water-leak", description="Leak by my gate", channel="web",
        citizen_name="Zanele Mokoena", citizen_phone="082 555 0303", contact_consent=True,
        **inside(world.ward)))

    page.goto("/staff/login/")
    page.get_by_label("Username").fill(admin.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    axe_check(page)
    secret = page.locator("#otp-secret").inner_text().strip()
    code = str(totp(base64.b32decode(secret))).zfill(6)
    page.get_by_label("Six-digit code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.get_by_role("link", name="Citizens' data requests").click()
    axe_check(page)
    page.get_by_label("Phone number").fill("0825550303")
    page.get_by_role("button", name="Find their cases").click()
    expect(page.locator("#citizen-cases")).to_contain_text(case.reference)
    axe_check(page)
    page.get_by_label("The request").fill("Letter 2026/41")
    page.get_by_label("I have checked who is asking").check()
    page.get_by_role("button", name="Erase").click()

    expect(page.get_by_role("status")).to_contain_text("Personal data removed from 1 case.")
    assert Case.objects.get(pk=case.pk).citizen_name == ""
    page.goto(reverse("backoffice:case_detail", args=[case.reference]))
    expect(page.locator("#citizen")).to_contain_text("Personal data removed on")
    assert page.console_errors == []
