"""A citizen reports and rates from a basic phone over USSD (the real server,
driven over HTTP as Africa's Talking drives it); the officer sees both on the
case page."""

import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from imbizo.cases.models import Case
from imbizo.channels.models import Gateway
from imbizo.engagement.services import contact_record
from tests.browser.conftest import axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+27725550123"


def ussd(live_server, session: str, inputs: list[str]) -> list[str]:
    """Every screen of a session, posted as Africa's Talking posts it."""
    screens = []
    for n in range(len(inputs) + 1):
        body = urllib.parse.urlencode({
            "sessionId": session, "serviceCode": "*120*4629#", "phoneNumber": PHONE,
            "networkCode": "65501", "text": "*".join(inputs[:n])}).encode()
        request = urllib.request.Request(f"{live_server.url}/channels/ussd/africastalking/demo/",
                                         data=body, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain")
            screens.append(response.read().decode())
    return screens


def test_an_officer_sees_the_ussd_report_and_its_rating_on_the_case_page(page, live_server,
                                                                          world):
    world.ward.name = "Ward 7"
    world.ward.save()
    gateway = Gateway(kind="ussd", slug="africastalking", adapter="africastalking",
                      settings={"menu": {"services": [world.service.code]}})
    gateway.secret_set("demo")
    gateway.save()
    officer = StaffFactory(office=world.office)

    screens = ussd(live_server, "ATUid_journey_1",
                   ["1", "1", "7", "Water running down the road", "1"])
    assert screens[0].startswith("CON What would you like to do?")
    reference = re.match(r"END Thank you\. Your reference is (\S+)\.", screens[-1]).group(1)

    contact_record(channel="hotline", staff=officer, office=world.office,
                   case=Case.objects.get(reference=reference), identifier=PHONE,
                   outcome="Called the citizen back")
    screens = ussd(live_server, "ATUid_journey_2", ["3", "5", "4", "5", "4"])
    assert screens[-1].startswith("END Thank you for rating us.")

    sign_in(page, officer.user)
    page.goto(f"/staff/cases/{reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("USSD menu")
    contacts = page.locator("#contacts")
    expect(contacts).to_contain_text("USSD menu")
    expect(contacts).to_contain_text("Rated (How did we treat you?)")
    expect(contacts).to_contain_text("Called the citizen back")
    axe_check(page)
    snap(page, "channels-ussd-case")
    page.set_viewport_size({"width": 375, "height": 740})
    snap(page, "channels-ussd-case-phone")
