"""A citizen reports on WhatsApp through the shared dialogue: a location pin
sets the ward, a landmark works as on SMS, a photo joins the new case; the
replies go out through the Graph API on loopback."""

import datetime

import pytest
import time_machine

from imbizo.cases.models import Attachment, Case
from imbizo.channels.models import Conversation, InboundMessage
from imbizo.engagement.models import Contact
from tests.factories import WardFactory
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


@pytest.fixture
def say(post_signed, graph):
    """Send each message in turn (text, or a payload); the WhatsApp replies they got."""
    count = iter(range(1, 1000))

    def say(*messages) -> list[str]:
        before = len(graph.sent)
        for message in messages:
            wamid = f"wamid.D{next(count)}"
            body = (payloads.text(message, wamid=wamid) if isinstance(message, str)
                    else message(wamid))
            assert post_signed(body).status_code == 200
        return [sent["text"]["body"] for sent in graph.sent[before:]]

    return say


def pin(lat, lon):
    return lambda wamid: payloads.location(lat, lon, wamid=wamid)


def test_a_location_pin_sets_the_ward_and_the_report_gets_its_reference(
        say, wa_gateway, sms_world):
    other = WardFactory(code="W777", name="Riverside")

    [where] = say("There is a burst pipe in our street")
    assert "Send your location pin" in where and "Water leak" in where
    [confirm] = say(pin(other.centroid_lat, other.centroid_lon))
    assert "Send this report?" in confirm and "Riverside" in confirm
    [done] = say("1")

    case = Case.objects.get()
    assert case.ward == other and case.channel == "whatsapp"
    assert (case.lat, case.lon) == (other.centroid_lat, other.centroid_lon)
    assert case.citizen_phone == PHONE
    assert case.reference in done and "We stop a leak within 2 working days." in done
    assert Contact.objects.filter(case=case, channel="whatsapp").count() == 1
    assert set(InboundMessage.objects.values_list("case", flat=True)) == {case.pk}
    assert not Conversation.objects.exists()


def test_a_text_report_with_a_landmark_ends_in_a_reference(say, wa_gateway, sms_world):
    say("There is a burst pipe in our street")
    [confirm] = say("thandanani clinic")
    assert "Thandanani Clinic" in confirm
    [done] = say("yes")

    case = Case.objects.get()
    assert case.ward == sms_world.ward and case.address.startswith("Thandanani Clinic")
    assert case.reference in done


def test_a_pin_outside_every_ward_is_asked_again(say, wa_gateway, sms_world):
    say("There is a burst pipe in our street")
    [reply] = say(pin(-33.9, 18.4))
    assert "outside our area" in reply
    assert not Case.objects.exists()


def test_a_photo_sent_in_the_middle_of_a_report_joins_the_case(
        say, wa_gateway, sms_world, graph):
    media = graph.media_add("3301", PNG, "image/png")
    say("There is a burst pipe in our street")
    [kept] = say(lambda wamid: payloads.image(media, wamid=wamid))
    assert "it will go with your report" in kept
    say(pin(sms_world.ward.centroid_lat, sms_world.ward.centroid_lon), "1")

    case = Case.objects.get()
    assert Attachment.objects.get().case == case
