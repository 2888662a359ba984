"""Field supervision in a real browser: a supervisor assigns wards, sees the
households visited against the target, settles a conflict; the public needs
map shows the door-to-door household layer beside the cases."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from imbizo.field.models import FieldConflict, FieldRecord
from imbizo.field.services import device_register, device_report, household_survey_ensure, record_receive
from imbizo.geo.models import Region
from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check
from tests.browser.test_case_journeys import sign_in
from tests.factories import StaffFactory, UserFactory
from tests.field.factories import household, ward_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/fieldcore")


def look(page, name: str) -> None:
    """Check the page, and keep it as a desk and as a phone see it."""
    axe_check(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def field(world, settings):
    from django.core.cache import cache

    cache.clear()  # the ward boundaries are cached per process
    settings.MIN_ANSWERS_SHOWN = 5
    household_survey_ensure()
    west = Region.objects.create(code="west", name="West")
    ward_at("WF1", 30.0, region=west)
    ward_at("WF2", 30.01, region=west)
    worker = StaffFactory(role=Role.OFFICER, office=world.office,
                          user=UserFactory(username="ayanda", first_name="Ayanda",
                                           last_name="Zulu")).user
    device, _token = device_register(worker=worker, label="Ayanda's phone")
    device_report(device, 3)
    for n in range(6):
        record_receive(form_code="household-needs", form_version="1", instance_id=f"uuid:h{n}",
                       worker=worker, answers=household(location="-26.195 30.005",
                                                        needs="water" if n else "water housing"))
    record_receive(form_code="household-needs", form_version="1", instance_id="uuid:h0",
                   worker=worker, base_revision=1,
                   answers=household(location="-26.195 30.005", needs="water", people="6"))
    record_receive(form_code="household-needs", form_version="1", instance_id="uuid:h0",
                   worker=worker, base_revision=1,
                   answers=household(location="-26.195 30.005", needs="water", people="7"))
    return worker


def test_a_supervisor_assigns_wards_sees_progress_and_settles_a_conflict(page, world, field):
    supervisor = StaffFactory(role=Role.SUPERVISOR, office=world.office)

    sign_in(page, supervisor.user)
    page.get_by_role("link", name="Field", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Field supervision")
    page.get_by_label("Field worker").select_option(label="Ayanda Zulu (ayanda)")
    page.get_by_label("Wards").fill("WF1, wf2")
    page.get_by_label("Target households per ward").fill("10")
    page.get_by_role("button", name="Assign").click()

    expect(page.get_by_role("status")).to_contain_text("Assigned WF1, WF2 to Ayanda Zulu.")
    row = page.locator("#field-progress tr[data-ward='WF1']")
    expect(row).to_contain_text("6")
    expect(row.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "60")
    expect(page.locator("#field-devices")).to_contain_text("Ayanda's phone")
    look(page, "field-1-progress")

    page.get_by_role("link", name=re.compile("^Conflicts")).click()
    conflict = page.locator("section[id^='conflict-']")
    expect(conflict).to_contain_text("uuid:h0")
    expect(conflict.locator("tr.table-warning")).to_contain_text("7")
    look(page, "field-2-conflict")
    conflict.get_by_role("button", name="Take the submitted answers").click()

    expect(page.locator("#no-conflicts")).to_be_visible()
    record = FieldRecord.objects.get(instance_id="uuid:h0")
    assert (record.revision, record.answers["people"]) == (3, 7)
    assert FieldConflict.objects.get().resolved_by == supervisor.user
    assert_no_console_errors(page)


def test_the_needs_map_shows_the_household_layer(page, field):
    page.goto("/needs/")

    layer = page.locator("#household-layer")
    expect(layer).to_contain_text("West needs Water")
    expect(page.locator("#household-map[data-ready='1']")).to_be_visible()
    expect(page.locator("#table-households")).to_contain_text("WF1")
    expect(page.locator("#table-households")).to_contain_text("100.0")
    layer.scroll_into_view_if_needed()
    look(page, "field-3-needs-map")

    page.goto("/wards/WF1/")
    expect(page.locator("#ward-households")).to_contain_text("6 households were visited")
    look(page, "field-4-ward-page")
    assert_no_console_errors(page)
