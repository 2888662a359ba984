"""Reopening in a real browser: the citizen with their code, a stranger
without it, and staff from the case page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from imbizo.cases.models import Case, EventKind
from imbizo.cases.services import case_assign, case_resolve
from imbizo.notify.delivery import outbox_send_due
from imbizo.org.models import Role
from tests.browser.conftest import axe_check, snap
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}


def _report_anonymously(page, world) -> str:
    """Send a report with no contact details; return the reopen code shown."""
    page.goto("/report/")
    page.get_by_label("Which service is it about?").select_option("water-leak")
    page.get_by_label("Tell us what happened").fill("Water pouring from the pavement.")
    page.get_by_label("Address or place").fill("14 Church Street")
    for label, value in (("Latitude", world.ward.centroid_lat),
                         ("Longitude", world.ward.centroid_lon)):
        if page.get_by_label(label).count():
            page.get_by_label(label).fill(str(value))
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Thank you. We received your report.")).to_be_visible()
    code = page.locator("#reopen-secret strong").inner_text()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", code)
    return code


def test_the_citizen_reopens_with_their_code_and_a_stranger_cannot(page, browser, live_server,
                                                                   world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    page.set_viewport_size(PHONE)
    code = _report_anonymously(page, world)
    axe_check(page)
    snap(page, "reopen-1-confirmation-with-code-phone")
    case = Case.objects.get()
    track = f"/track/{case.reference}/"
    page.goto(track)
    expect(page.locator("#reopen-secret")).to_have_count(0)  # shown once only
    case_assign(case=case, actor=supervisor, assignee=officer)
    case_resolve(case=case, actor=officer, outcome="fixed", note="Pipe replaced.")
    mail.outbox.clear()

    # A stranger who read the reference on the Open311 feed.
    stranger = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
    stranger.goto(track)
    stranger.get_by_label("What is still wrong?").fill("Ha ha")
    stranger.get_by_role("button", name="Reopen the report").click()
    expect(stranger.get_by_text(re.compile("can be reopened only with the reopen code"))) \
        .to_be_visible()
    axe_check(stranger)
    snap(stranger, "reopen-2-refused-without-code-phone")
    stranger.context.close()
    case.refresh_from_db()
    assert case.status == "resolved"

    page.goto(track)
    page.get_by_label("What is still wrong?").fill("Still leaking at the corner.")
    page.get_by_label("Reopen code").fill(code.lower())
    snap(page, "reopen-3-citizen-enters-code-phone")
    page.get_by_role("button", name="Reopen the report").click()

    expect(page.get_by_text("Your report is open again.")).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text("Reopened")
    axe_check(page)
    snap(page, "reopen-4-reopened-phone")
    outbox_send_due()
    assert {m.to[0] for m in mail.outbox} == {officer.user.email, supervisor.user.email}


def test_the_link_in_the_resolution_message_fills_in_the_code(page, world):
    code = _report_anonymously(page, world)
    case = Case.objects.get()
    case_resolve(case=case, actor=None, outcome="fixed")

    page.goto(f"/track/{case.reference}/?secret={code}")
    page.get_by_label("What is still wrong?").fill("Still leaking.")
    page.get_by_role("button", name="Reopen the report").click()

    expect(page.get_by_text("Your report is open again.")).to_be_visible()
    snap(page, "reopen-5-from-message-link-desktop")


def test_staff_reopen_from_the_case_page(page, world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    supervisor.user.set_password(PASSWORD)
    supervisor.user.save()
    _report_anonymously(page, world)
    case = Case.objects.get()
    case_resolve(case=case, actor=None, outcome="fixed")
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(supervisor.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"/staff/cases/{case.reference}/")
    page.locator("summary", has_text="Reopen").click()
    page.get_by_label("Why reopen").fill("The crew found it still leaking.")
    page.get_by_role("button", name="Reopen", exact=True).click()

    expect(page.locator("#timeline")).to_contain_text("The crew found it still leaking.")
    snap(page, "reopen-6-staff-case-page-desktop")
    event = case.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.details["channel"]) == (supervisor, "staff")
