"""Households sent over real HTTP as ODK Collect sends them appear on the
public ward page, read in a real browser at desktop and phone sizes."""

import base64
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from playwright.sync_api import expect

from imbizo.field.models import FieldAssignment
from imbizo.field.services import household_survey_ensure
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.factories import StaffFactory, UserFactory
from tests.field.factories import ward_at
from tests.openrosa.collect import PASSWORD, household_answers, instance_xml

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = Path("/tmp/shots/openrosa")


def send(live_server, username: str, xml: bytes) -> int:
    """POST one instance to /openrosa/submission over HTTP, signed in with Basic."""
    body = encode_multipart(BOUNDARY, {"xml_submission_file": _file(xml)})
    request = urllib.request.Request(
        f"{live_server.url}/openrosa/submission", data=body, method="POST", headers={
            "Content-Type": MULTIPART_CONTENT, "X-OpenRosa-Version": "1.0",
            "Authorization": "Basic " + base64.b64encode(
                f"{username}:{PASSWORD}".encode()).decode()})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - the test server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _file(xml: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("instance.xml", xml, "text/xml")


def test_households_sent_from_odk_collect_show_on_the_ward_page(page, live_server, institution,
                                                                settings, tmp_path):
    settings.MIN_ANSWERS_SHOWN = 5
    settings.MEDIA_ROOT = str(tmp_path)
    household_survey_ensure()
    ward = ward_at("K7", 30.0)
    worker = StaffFactory(user=UserFactory(username="nomsa")).user
    FieldAssignment.objects.create(worker=worker, ward=ward, target_households=50)
    needs = ["water sanitation", "water", "water housing", "electricity", "water", "water"]
    statuses = [send(live_server, "nomsa", instance_xml(
        instance_id=f"uuid:{uuid.uuid4()}",
        answers=household_answers(location="-26.195 30.004 1400 5", needs=need)))
        for need in needs]
    assert statuses == [201] * 6

    page.goto(f"/wards/{ward.code}/")

    households = page.locator("#ward-households")
    expect(households).to_contain_text("6 households were visited door to door")
    expect(households).to_contain_text("Water")
    axe_check(page)
    assert_no_console_errors(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    households.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "ward-households-desktop.png"))
    page.set_viewport_size({"width": 375, "height": 740})
    households.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "ward-households-phone.png"))
    snap(page, "openrosa-ward-households-phone")
