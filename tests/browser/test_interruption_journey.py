"""Service interruptions in a real browser: staff record an outage by drawing
its area on the map; a citizen reporting that service from that ward is told
at once and the report is linked; restoring the service resolves it."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from imbizo.cases.models import Case
from imbizo.cases.services import calendar
from imbizo.core import clock
from imbizo.org.models import Role
from imbizo.outreach.interruption_models import Interruption, InterruptionCase
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots/interruptions")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    snap(page, f"interruption-{name}")


def sign_in(page, user):
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_an_outage_is_recorded_told_to_a_reporter_and_restored(page, browser, live_server,
                                                               world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    now = clock.now()

    # Staff record the outage, drawing its area on the map.
    page.set_viewport_size(DESKTOP)
    sign_in(page, supervisor.user)
    page.get_by_role("link", name="Interruptions").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service interruptions")
    page.get_by_role("link", name="Record an interruption").click()
    page.get_by_label("Service interrupted").select_option("water-leak")
    page.get_by_label("Unplanned (outage)").check()
    page.get_by_label("Title").fill("Burst main on Church Street")
    page.get_by_label("What citizens are told").fill(
        "No water in the ward while the main is repaired. A tanker stands at the ward office.")
    page.get_by_label("Starts (or started) at").fill(
        (now - timedelta(hours=1)).astimezone(_zone()).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Expected restoration").fill(
        (now + timedelta(hours=6)).astimezone(_zone()).strftime("%Y-%m-%dT%H:%M"))
    area = page.locator("[data-area-map]")
    expect(area).to_be_visible()
    area.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the ward outlines are fitted into view
    box = area.bounding_box()
    for fx, fy in ((0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.6)):
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    page.get_by_role("button", name="Finish the area").click()
    expect(page.locator("[data-area-status]")).to_contain_text("Area drawn")
    axe_check(page)
    shoot(page, "1-staff-new-desktop")
    page.get_by_role("button", name="Record the interruption").click()

    expect(page.locator("#interruption-status")).to_have_text("In progress")
    interruption = Interruption.objects.get()
    assert list(interruption.wards.all()) == [world.ward]
    assert interruption.area["type"] == "Polygon"
    axe_check(page)
    assert_no_console_errors(page)
    shoot(page, "2-staff-detail-desktop")

    # A citizen on a phone reports no water from that ward.
    citizen_context = browser.new_context(base_url=live_server.url, viewport=PHONE,
                                          locale="en-ZA")
    citizen = citizen_context.new_page()
    citizen.goto("/report/")
    citizen.get_by_label("Which service is it about?").select_option("water-leak")
    citizen.get_by_label("Tell us what happened").fill("No water in our street since this morning.")
    citizen.get_by_label("Ward", exact=True).select_option(world.ward.code)
    citizen.get_by_label("Mobile number").fill("082 555 1234")
    citizen.get_by_label(re.compile("I agree that the municipality may contact me")).check()
    citizen.get_by_role("button", name="Send the report").click()

    expect(citizen.get_by_role("heading", name="We know about this already")).to_be_visible()
    expect(citizen.locator("#interruption-notice")).to_contain_text("Burst main on Church Street")
    case = Case.objects.get()
    assert InterruptionCase.objects.get(case=case).interruption == interruption
    assert case.resolve_due_at == interruption.expected_restoration_at
    axe_check(citizen)
    shoot(citizen, "3-citizen-told-phone")
    citizen.get_by_role("link", name="Follow the updates").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Burst main on Church Street")
    shoot(citizen, "4-public-interruption-phone")

    # Staff restore the service: the linked report resolves.
    page.reload()
    expect(page.locator("#linked-cases")).to_contain_text(case.reference)
    page.get_by_label("What citizens are told", exact=False).last.fill("Water is back on.")
    page.get_by_role("button", name="Mark restored and resolve linked reports").click()
    expect(page.get_by_text("Restored. Linked reports are resolved.")).to_be_visible()
    expect(page.locator("#interruption-status")).to_have_text("Restored")
    case.refresh_from_db()
    assert case.status == "resolved"
    assert case.outcome == "fixed"

    citizen.goto(f"/track/{case.reference}/")
    expect(citizen.locator("[data-status]").first).to_have_text("Resolved")
    expect(citizen.locator("#interruption-notice")).to_contain_text("The service was restored")
    shoot(citizen, "5-citizen-resolved-phone")
    citizen.goto(f"/wards/{world.ward.code}/")
    expect(citizen.locator("#interruptions")).to_contain_text("Burst main on Church Street")
    axe_check(citizen)
    shoot(citizen, "6-ward-page-phone")
    page.set_viewport_size(PHONE)
    page.goto("/staff/interruptions/new/")
    shoot(page, "7-staff-new-phone")
    citizen_context.close()


def _zone():
    return calendar().tz
