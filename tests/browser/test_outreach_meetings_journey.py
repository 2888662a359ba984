"""Imbizo meetings in a real browser (issue 16): a clerk plans a meeting, the
public sees it on the ward page and in the calendar feed; after the meeting
the clerk records its issues as cases and its commitments on one screen; a
commitment goes late and the ward page says so plainly."""

import datetime
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from imbizo.cases.models import Case
from imbizo.org.models import Role
from imbizo.outreach.meeting_models import Commitment, Meeting, MeetingIssue
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.factories import DepartmentFactory, StaffFactory, UserFactory
from tests.support import sast

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots/meetings")
PLANNED_AT = sast(2026, 3, 2, 10, 0)  # a Monday
MEETING_DAY = datetime.date(2026, 3, 12)
DUE = "2026-04-15"
PHONE = {"width": 375, "height": 740}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    snap(page, f"meetings-{name}")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-ZA",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_meeting_is_planned_recorded_and_its_promise_goes_late_in_public(page, phone, world):
    roads = DepartmentFactory(code="roads", name="Roads and Stormwater")
    clerk = StaffFactory(role=Role.AGENT, office=world.office,
                         user=UserFactory(username="clerk"))

    # 1. The clerk plans the meeting ten days ahead.
    with time_machine.travel(PLANNED_AT, tick=False):
        sign_in(page, clerk.user)
        page.get_by_role("link", name="Meetings").first.click()
        page.get_by_role("link", name="Plan a meeting").click()
        axe_check(page)
        page.get_by_label("Title").fill("Ward imbizo on water and roads")
        page.get_by_label("Ward", exact=True).select_option(world.ward.code)
        page.get_by_label("Starts").fill(f"{MEETING_DAY.isoformat()}T18:00")
        page.get_by_label("Ends").fill(f"{MEETING_DAY.isoformat()}T20:00")
        page.locator("#id_place").fill("Thanda Community Hall")
        page.get_by_label("Leaders attending").fill("Executive Mayor\nWard councillor")
        page.get_by_label("Roads and Stormwater").check()
        shot(page, "1-plan-desktop")
        page.get_by_role("button", name="Plan the meeting").click()
        expect(page.get_by_text("Meeting planned.")).to_be_visible()
        meeting = Meeting.objects.get()

        # 2. The public finds it on the ward page, on a phone, and in the feed.
        phone.goto(f"/wards/{world.ward.code}/")
        expect(phone.locator("#ward-meetings")).to_contain_text("Ward imbizo on water and roads")
        expect(phone.locator("#ward-meetings")).to_contain_text("Thanda Community Hall")
        axe_check(phone)
        phone.locator("#ward-outreach").scroll_into_view_if_needed()
        shot(phone, "2-ward-page-phone")
        feed = phone.request.get(f"/wards/{world.ward.code}/meetings.ics")
        assert feed.headers["content-type"].startswith("text/calendar")
        unfolded = feed.text().replace("\r\n ", "")
        assert f"UID:{meeting.uid}@meetings.imbizo" in unfolded
        assert "SUMMARY:Ward imbizo on water and roads" in unfolded
        assert "DTSTART:20260312T160000Z" in unfolded

    # 3. After the meeting the clerk records its issues and promises on one screen.
    with time_machine.travel(sast(2026, 3, 12, 21, 0), tick=False):
        sign_in(page, clerk.user)
        page.goto(f"/staff/meetings/{meeting.uid}/")
        page.get_by_label("People attending").fill("140")
        page.get_by_label("Of them women").fill("80")
        page.get_by_label("Of them young people (under 35)").fill("35")
        page.get_by_label("Service (row 1)").select_option("water-leak")
        page.get_by_label("What was raised (row 1)").fill("Leak at the school gate")
        page.get_by_label("Street or place (row 1)").fill("School Street")
        page.get_by_label("Service (row 2)").select_option("water-leak")
        page.get_by_label("What was raised (row 2)").fill("Low pressure in the afternoons")
        page.get_by_role("button", name="More issue rows").click()  # JavaScript: no round trip
        expect(page.get_by_label("Service (row 6)")).to_be_focused()
        page.get_by_label("Service (row 10)").select_option("water-leak")
        page.get_by_label("What was raised (row 10)").fill("Meter reading wrong")
        page.get_by_label("What was promised (row 1)").fill("Fill the potholes on Main Road")
        page.get_by_label("Promised by (row 1)").fill("Executive Mayor")
        page.get_by_label("Owner department (row 1)").select_option("roads")
        page.get_by_label("Due (row 1)").fill(DUE)
        axe_check(page)
        shot(page, "3-record-desktop")
        page.get_by_role("button", name="Save the record").click()
        expect(page.get_by_text("Meeting recorded. Issues saved: 3; commitments saved: 1.")
               ).to_be_visible()
        expect(page.locator("#issues tbody tr")).to_have_count(3)
        assert_no_console_errors(page)
        shot(page, "4-recorded-desktop")
    assert set(Case.objects.values_list("channel", flat=True)) == {"outreach"}
    assert MeetingIssue.objects.filter(meeting=meeting).count() == 3
    commitment = Commitment.objects.get()
    assert commitment.owner_department == roads

    # 4. The due date passes with the promise not kept: the ward page says so.
    with time_machine.travel(sast(2026, 4, 20, 9, 0), tick=False):
        phone.goto(f"/wards/{world.ward.code}/")
        expect(phone.locator('#ward-promises [data-figure="late"]')).to_have_text("1")
        expect(phone.locator('#ward-promises [data-figure="late"]')).to_have_class(
            "text-danger fw-bold")
        phone.locator("#ward-outreach").scroll_into_view_if_needed()
        shot(phone, "5-ward-late-phone")
        phone.get_by_role("link", name="Every promise to this ward").click()
        item = phone.locator("#commitments li").first
        expect(item).to_contain_text("Fill the potholes on Main Road")
        expect(item).to_contain_text("Late")
        expect(item).to_contain_text("overdue by")
        expect(item).to_contain_text("Roads and Stormwater")
        axe_check(phone)
        shot(phone, "6-ward-promises-phone")
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"/wards/{world.ward.code}/commitments/")
        shot(page, "7-ward-promises-desktop")


def test_the_record_works_without_javascript(page_without_javascript, world):
    DepartmentFactory(code="roads", name="Roads and Stormwater")
    clerk = StaffFactory(role=Role.SUPERVISOR, office=world.office,
                         user=UserFactory(username="clerk2"))
    page = page_without_javascript
    with time_machine.travel(PLANNED_AT, tick=False):
        from imbizo.outreach import meetings  # noqa: PLC0415 - the clock must be travelled first

        meeting = meetings.meeting_plan(
            actor=clerk, title="Imbizo", ward=world.ward, place="Hall",
            starts_at=sast(2026, 3, 12, 18, 0), ends_at=sast(2026, 3, 12, 20, 0))
    with time_machine.travel(sast(2026, 3, 12, 21, 0), tick=False):
        sign_in(page, clerk.user)
        page.goto(f"/staff/meetings/{meeting.uid}/")
        page.get_by_label("People attending").fill("50")
        page.get_by_label("Service (row 1)").select_option("water-leak")
        page.get_by_label("What was raised (row 1)").fill("Typed before asking for rows")
        page.get_by_role("button", name="More issue rows").click()  # posts; the server adds rows
        expect(page.get_by_label("Service (row 10)")).to_be_visible()
        expect(page.get_by_label("What was raised (row 1)")).to_have_value(
            "Typed before asking for rows")
        page.get_by_label("What was promised (row 1)").fill("Fix the leak")
        page.get_by_label("Due (row 1)").fill(DUE)
        page.get_by_role("button", name="Save the record").click()
        # No owner: the row says so and nothing is stored.
        expect(page.get_by_text("Say who owns this promise")).to_be_visible()
        assert not Case.objects.exists()
        page.get_by_label("Owner department (row 1)").select_option("roads")
        page.get_by_role("button", name="Save the record").click()
        expect(page.get_by_text("Meeting recorded. Issues saved: 1; commitments saved: 1.")
               ).to_be_visible()
        shot(page, "8-record-no-js-desktop")
    assert Case.objects.get().channel == "outreach"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_owner_reports_a_promise_kept_with_a_photo(request, page, world, tmp_path, settings,
                                                       size):
    settings.MEDIA_ROOT = str(tmp_path)
    from imbizo.outreach import meetings  # noqa: PLC0415 - the clock must be travelled first
    from tests.support import PNG  # noqa: PLC0415 - beside its only use

    clerk = StaffFactory(role=Role.AGENT, office=world.office)
    officer = StaffFactory(role=Role.OFFICER, office=world.office,
                           user=UserFactory(username=f"officer-{size}"))
    with time_machine.travel(PLANNED_AT, tick=False):
        meeting = meetings.meeting_plan(
            actor=clerk, title="Imbizo", ward=world.ward, place="Hall",
            starts_at=sast(2026, 3, 12, 18, 0), ends_at=sast(2026, 3, 12, 20, 0))
    with time_machine.travel(sast(2026, 3, 12, 21, 0), tick=False):
        meetings.meeting_record(meeting=meeting, actor=clerk, attendance_total=90, commitments=[
            meetings.CommitmentEntry(text="Replace the leaking valve at the clinic",
                                     due_on=datetime.date(2026, 4, 15),
                                     owner_department=world.office.department)])
    photo = tmp_path / "valve.png"
    photo.write_bytes(PNG)
    browser_page = request.getfixturevalue("phone") if size == "phone" else page
    with time_machine.travel(sast(2026, 4, 2, 10, 0), tick=False):
        sign_in(browser_page, officer.user)
        browser_page.goto("/staff/commitments/")
        browser_page.get_by_role("link", name="Replace the leaking valve at the clinic").click()
        browser_page.get_by_label("New status").select_option("done")
        browser_page.get_by_label("Report-back (public)").fill("New valve fitted on 1 April.")
        browser_page.get_by_label("Photo of the work done (staff only)").set_input_files(str(photo))
        axe_check(browser_page)
        browser_page.get_by_role("button", name="Save the report-back").click()
        expect(browser_page.get_by_text("Report-back saved")).to_be_visible()
        expect(browser_page.locator("#status")).to_contain_text("Done")
        expect(browser_page.locator("#updates img")).to_have_count(1)
        shot(browser_page, f"9-report-back-{size}")
        browser_page.goto(f"/wards/{world.ward.code}/commitments/")
        expect(browser_page.locator("#commitments li").first).to_contain_text(
            "New valve fitted on 1 April.")
        expect(browser_page.locator('#promise-counts [data-figure="kept"]')).to_have_text("1")
        expect(browser_page.locator("#commitments img")).to_have_count(0)  # photos stay inside
