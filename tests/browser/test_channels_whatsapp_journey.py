"""A citizen reports on WhatsApp (words, a location pin, a photo, "1"); an
officer sees the case page: the channel, the pin on the map, the photo
(fetched through a Graph API on loopback) and the citizen's later words on the
timeline. The webhook is called over real HTTP, signed as Meta signs it."""

import io
import re
import time
import urllib.request

import pytest
from PIL import Image
from playwright.sync_api import expect

from imbizo.cases.models import Attachment, Case
from imbizo.channels.whatsapp_webhook import signature_of
from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.channels.conftest import SECRET, gateway_make, sms_world  # noqa: F401 - a fixture
from tests.channels.whatsapp import payloads
from tests.channels.whatsapp.graph import GraphServer
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_VIEW = {"width": 375, "height": 740}
CITIZEN = "+" + payloads.WA_ID


@pytest.fixture
def graph():
    server = GraphServer()
    http = server.serve()
    yield server
    http.shutdown()
    http.server_close()


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 110, 190)).save(buffer, "JPEG")
    return buffer.getvalue()


def _webhook(live_server, body: bytes) -> int:
    request = urllib.request.Request(
        f"{live_server.url}/channels/whatsapp/meta/{SECRET}/", data=body, method="POST",
        headers={"Content-Type": "application/json", "X-Hub-Signature-256":
                 signature_of(body=body, app_secret=payloads.APP_SECRET)})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return response.status


def test_an_officer_sees_the_whatsapp_case_with_its_photo_and_pin(
        page, live_server, sms_world, graph, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path)
    gateway_make(kind="whatsapp", slug="meta", adapter="whatsapp_cloud", settings={
        "verify_token": payloads.VERIFY_TOKEN, "app_secret": payloads.APP_SECRET,
        "phone_number_id": payloads.PHONE_NUMBER_ID, "access_token": graph.token,
        "graph_url": graph.url})
    ward = sms_world.ward
    media = graph.media_add("4401", _photo())
    now = int(time.time())

    # The citizen reports on WhatsApp: words, a location pin, a photo, then "1".
    for n, body in enumerate((
            lambda w: payloads.text("There is a burst pipe in our street", wamid=w, timestamp=now),
            lambda w: payloads.location(ward.centroid_lat, ward.centroid_lon, wamid=w,
                                        timestamp=now),
            lambda w: payloads.image(media, wamid=w, timestamp=now),
            lambda w: payloads.text("1", wamid=w, timestamp=now),
            lambda w: payloads.text("This is the meter box", wamid=w, timestamp=now))):
        assert _webhook(live_server, body(f"wamid.JOURNEY{n}")) == 200

    case = Case.objects.get()
    assert (case.channel, case.ward) == ("whatsapp", ward)
    assert Attachment.objects.get().case == case
    assert case.reference in graph.sent[3]["text"]["body"]
    officer = StaffFactory(office=sms_world.office, role=Role.OFFICER)
    sign_in(page, officer.user)
    page.goto(f"/staff/cases/{case.reference}/")

    expect(page.get_by_text(re.compile(r"^Request · WhatsApp$"))).to_be_visible()
    expect(page.locator("#timeline [data-kind=message_in]").first).to_contain_text(
        "the citizen · WhatsApp")
    expect(page.locator("[data-case-map]")).to_have_attribute("data-ready", "1")
    expect(page.locator("[data-case-map] .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("#timeline [data-kind=message_in]")).to_contain_text(
        "This is the meter box")
    photo_link = page.get_by_role("link", name="Photo 1")
    expect(photo_link).to_be_visible()
    axe_check(page)
    snap(page, "whatsapp-1-case-page-desktop")
    page.set_viewport_size(PHONE_VIEW)
    snap(page, "whatsapp-2-case-page-phone")
    assert_no_console_errors(page)

    with page.expect_response(re.compile(r"/photos?/")) as answer:
        photo_link.click()
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "image/jpeg"
