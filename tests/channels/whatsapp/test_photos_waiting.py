"""A photo sent before its report exists waits for it, then joins the case;
erasure and the retention sweep delete waiting photos."""

import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage

from imbizo.cases.models import Attachment, Case
from imbizo.channels.whatsapp_media import PENDING_FOLDER, photos_expire
from imbizo.core.pseudonyms import citizen_key
from imbizo.privacy.hooks import citizen_erasing
from tests.support import PNG

from . import payloads
from .payloads import TIMESTAMP, WA_ID

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+" + WA_ID
SENT_AT = datetime.datetime.fromtimestamp(TIMESTAMP, datetime.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(SENT_AT + datetime.timedelta(seconds=5), tick=False):
        yield


def _waiting(phone=PHONE) -> list[str]:
    folder = f"{PENDING_FOLDER}/{citizen_key(phone)[:32]}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_a_photo_before_any_report_waits_and_joins_the_case_later(
        post_signed, wa_gateway, sms_world, graph):
    media = graph.media_add("901", PNG, "image/png")

    post_signed(payloads.image(media, wamid="wamid.P1"))

    assert len(_waiting()) == 1 and not Attachment.objects.exists()
    kept, menu = (sent["text"]["body"] for sent in graph.sent)
    assert "it will go with your report" in kept
    assert "what is wrong?" in menu  # the photo starts a report

    ward = sms_world.ward
    post_signed(payloads.text("There is a burst pipe in our street", wamid="wamid.P2"))
    post_signed(payloads.location(ward.centroid_lat, ward.centroid_lon, wamid="wamid.P3"))
    assert "what is wrong?" in graph.sent[-1]["text"]["body"]  # the menu took the service
    post_signed(payloads.text("Water spraying from a pipe", wamid="wamid.P4"))
    post_signed(payloads.text("1", wamid="wamid.P5"))

    case = Case.objects.get()
    assert Attachment.objects.get().case == case
    assert _waiting() == []


def test_at_most_three_photos_wait_for_one_report(post_signed, wa_gateway, sms_world, graph):
    for n in range(4):
        media = graph.media_add(f"70{n}", PNG, "image/png")
        post_signed(payloads.image(media, wamid=f"wamid.M{n}"))

    assert len(_waiting()) == 3
    assert "at most 3 photos" in graph.sent[-1]["text"]["body"]
    assert len(graph.sent) == 2 + 2 * 1 + 1  # photo and menu, then "kept" twice, then refused


def test_erasing_a_citizen_deletes_their_waiting_photos(post_signed, wa_gateway, sms_world, graph):
    post_signed(payloads.image(graph.media_add("902", PNG, "image/png"), wamid="wamid.E1"))
    match = type("Match", (), {"keys": frozenset({citizen_key(PHONE)}),
                               "identifiers": frozenset({PHONE}), "case_ids": ()})

    counts = [count for _r, count in citizen_erasing.send(sender=None, match=match, staff=None)]

    assert 1 in counts and _waiting() == []


def test_photos_of_reports_never_finished_expire_after_two_days(
        post_signed, wa_gateway, sms_world, graph):
    post_signed(payloads.image(graph.media_add("903", PNG, "image/png"), wamid="wamid.X1"))
    [name] = _waiting()
    # The file's own time (the disk's clock, which time-machine does not move).
    stored = default_storage.get_modified_time(
        f"{PENDING_FOLDER}/{citizen_key(PHONE)[:32]}/{name}")

    assert photos_expire(now=stored + datetime.timedelta(days=1)) == 0
    assert photos_expire(now=stored + datetime.timedelta(days=3)) == 1
    assert _waiting() == []
