"""Meta's WhatsApp Cloud API webhook over HTTP: the handshake, the signature,
messages joined to cases once, photos through the Graph API on loopback,
replies inside and outside the 24-hour window, and bad input refused."""

import datetime
import io
import logging

import pytest
import time_machine
from PIL import Image

from imbizo.cases.models import Attachment, CaseEvent, EventKind
from imbizo.channels.models import InboundMessage
from imbizo.channels.services import reply_send
from imbizo.engagement.models import Contact
from imbizo.notify.delivery import outbox_send_due
from imbizo.notify.models import MessageStatus, OutboxMessage
from tests.channels.conftest import case_of
from tests.support import PNG

from . import payloads
from .conftest import URL
from .payloads import TIMESTAMP, VERIFY_TOKEN, WA_ID

pytestmark = pytest.mark.django_db(transaction=True)

SENT_AT = datetime.datetime.fromtimestamp(TIMESTAMP, datetime.UTC)
PHONE = "+" + WA_ID


@pytest.fixture(autouse=True)
def _at_the_message_time():
    # The replies are sent "now": a few seconds after the citizen wrote.
    with time_machine.travel(SENT_AT + datetime.timedelta(seconds=5), tick=False):
        yield


def _jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


# --- the verification handshake --------------------------------------------------


def test_the_handshake_echoes_the_challenge_for_the_right_verify_token(client, wa_gateway):
    response = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                "hub.challenge": "1158201444"})
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("params", [
    {"hub.mode": "subscribe", "hub.verify_token": "not-it", "hub.challenge": "1"},
    {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
    {"hub.challenge": "1"},
])
def test_a_handshake_without_the_verify_token_is_forbidden(client, wa_gateway, params):
    response = client.get(URL, params)
    assert response.status_code == 403
    assert b"1" not in response.content.strip(b"Forbidden\n")


# --- signatures and bad input ----------------------------------------------------


def test_a_wrongly_signed_post_is_refused_and_logged_without_its_body(
        post_signed, wa_gateway, world, caplog):
    case = case_of(world, phone=PHONE)
    body = payloads.text("my secret complaint", wamid="wamid.BAD1")
    with caplog.at_level(logging.INFO):
        response = post_signed(body, secret="someone-else")
    assert response.status_code == 401
    assert InboundMessage.objects.count() == 0
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE_IN).exists()
    assert "bad signature" in caplog.text
    assert "secret complaint" not in caplog.text and WA_ID not in caplog.text


def test_an_unsigned_post_is_refused(post_signed, wa_gateway):
    response = post_signed(payloads.text("hello", wamid="wamid.UNS"), signature="")
    assert response.status_code == 401
    assert InboundMessage.objects.count() == 0


def test_a_signature_of_another_body_is_refused(post_signed, wa_gateway):
    from imbizo.channels.whatsapp_webhook import signature_of

    other = signature_of(body=b"{}", app_secret=payloads.APP_SECRET)
    response = post_signed(payloads.text("hello", wamid="wamid.X"), signature=other)
    assert response.status_code == 401


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "not JSON"),
    (b'{"object": "whatsapp_business_account"}', "'entry'"),
    (b'{"object": "page", "entry": []}', "WhatsApp Business Account"),
    (payloads.envelope({"messages": [{"id": "wamid.1", "type": "text"}]}), "'from'"),
    (payloads.message("location", {"latitude": "north"}, wamid="wamid.L"), "latitude"),
])
def test_a_malformed_body_is_a_400_naming_what_is_wrong(post_signed, wa_gateway, body, reason):
    response = post_signed(body)
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert InboundMessage.objects.count() == 0


# --- messages joined to cases, once ----------------------------------------------


def test_a_text_from_a_number_with_an_open_case_joins_it_and_is_answered(
        post_signed, wa_gateway, world, graph):
    case = case_of(world, phone=PHONE)

    response = post_signed(payloads.text("Still leaking at the gate", wamid="wamid.T1"))

    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert (message.case, message.sender, message.received_at) == (case, PHONE, SENT_AT)
    contact = Contact.objects.get(case=case, channel="whatsapp")
    assert message.contact == contact
    event = CaseEvent.objects.get(case=case, kind=EventKind.MESSAGE_IN)
    assert event.note == "Still leaking at the gate" and not event.public
    # The reply left through the outbox to the Graph API, as free text (in the window).
    [sent] = graph.sent
    assert sent["to"] == WA_ID and sent["type"] == "text"
    assert case.reference in sent["text"]["body"]
    reply = OutboxMessage.objects.get(template="channels/reply")
    assert (reply.channel, reply.status, reply.provider_id) == ("whatsapp", "sent", "wamid.OUT1")
    assert graph.received[-1].headers["Authorization"] == f"Bearer {graph.token}"


def test_the_same_wamid_delivered_twice_is_handled_once(post_signed, wa_gateway, world, graph):
    case = case_of(world, phone=PHONE)
    body = payloads.text("Hello again", wamid="wamid.TWICE")

    assert post_signed(body).status_code == 200
    assert post_signed(body).status_code == 200

    assert InboundMessage.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE_IN).count() == 1
    assert Contact.objects.filter(case=case, channel="whatsapp").count() == 1
    assert len(graph.sent) == 1


def test_a_sticker_gets_a_polite_note_of_what_we_read(post_signed, wa_gateway, graph):
    body = payloads.message("sticker", {"id": "77", "mime_type": "image/webp",
                                        "animated": False}, wamid="wamid.ST")
    assert post_signed(body).status_code == 200
    assert InboundMessage.objects.get().outcome == "refused"
    [sent] = graph.sent
    assert "cannot read this kind of message" in sent["text"]["body"]
    assert "location pin" in sent["text"]["body"]


# --- photos through the Graph API ---------------------------------------------------


def test_a_photo_is_fetched_from_the_graph_api_and_kept_on_the_open_case(
        post_signed, wa_gateway, world, graph):
    case = case_of(world, phone=PHONE)
    media = graph.media_add("1023456789", _jpeg())

    response = post_signed(payloads.image(media, wamid="wamid.IMG1"))

    assert response.status_code == 200
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.read() == graph.media["1023456789"][0]
    lookup, download = [r for r in graph.received if r.method == "GET"]
    assert lookup.path == "/v23.0/1023456789" and download.path == "/files/1023456789"
    assert download.headers["Authorization"] == f"Bearer {graph.token}"
    assert "photo was added to report " + case.reference in graph.sent[-1]["text"]["body"]
    message = InboundMessage.objects.get()
    assert (message.case, message.outcome) == (case, "case_message")
    assert message.contact == Contact.objects.get(case=case, channel="whatsapp")
    event = CaseEvent.objects.get(case=case, kind=EventKind.MESSAGE_IN)
    assert "a photo" in event.note and not event.public


def test_a_photo_with_a_caption_joins_the_case_with_its_words(
        post_signed, wa_gateway, world, graph):
    case = case_of(world, phone=PHONE)
    media = graph.media_add("55", PNG, "image/png")

    post_signed(payloads.image(media, caption="The hole is here", wamid="wamid.IMG2"))

    assert Attachment.objects.get(case=case).content_type == "image/png"
    assert CaseEvent.objects.get(case=case, kind=EventKind.MESSAGE_IN).note == "The hole is here"


def test_an_oversized_photo_is_refused_with_a_reply_saying_why(
        post_signed, wa_gateway, world, graph):
    case = case_of(world, phone=PHONE)
    media = graph.media_add("66", _jpeg())
    graph.claimed_sizes["66"] = 9 * 1024 * 1024

    assert post_signed(payloads.image(media, wamid="wamid.BIG")).status_code == 200

    assert not Attachment.objects.filter(case=case).exists()
    assert "the limit is 5 MB" in graph.sent[-1]["text"]["body"]
    assert not [r for r in graph.received if r.path.startswith("/files/")]  # never downloaded
    assert InboundMessage.objects.get().outcome == "refused"


def test_a_file_that_is_not_an_image_is_refused_with_a_reply(
        post_signed, wa_gateway, world, graph):
    case = case_of(world, phone=PHONE)
    media = graph.media_add("67", b"<html><script>alert(1)</script></html>", "image/jpeg")

    assert post_signed(payloads.image(media, wamid="wamid.HTML")).status_code == 200

    assert not Attachment.objects.filter(case=case).exists()
    assert "not a photo we can take" in graph.sent[-1]["text"]["body"]


# --- the 24-hour window ---------------------------------------------------------------


def test_a_reply_outside_the_window_uses_the_template(post_signed, wa_gateway, world, graph):
    case = case_of(world, phone=PHONE)
    post_signed(payloads.text("Any news?", wamid="wamid.W1"))
    assert graph.sent[-1]["type"] == "text"

    with time_machine.travel(SENT_AT + datetime.timedelta(hours=25), tick=False):
        reply_send(channel="whatsapp", address=PHONE, texts=["The team comes tomorrow."],
                   case=case)
        outbox_send_due()

    sent = graph.sent[-1]
    assert sent["type"] == "template" and sent["to"] == WA_ID
    assert sent["template"]["name"] == "imbizo_update"
    assert sent["template"]["language"] == {"code": "en"}
    assert sent["template"]["components"] == [{"type": "body", "parameters": [
        {"type": "text", "text": case.reference},
        {"type": "text", "text": "The team comes tomorrow."}]}]


def test_outside_the_window_without_a_template_the_message_fails_at_once(
        post_signed, wa_gateway, world, graph):
    wa_gateway.settings.pop("template")
    wa_gateway.save()
    case = case_of(world, phone=PHONE)
    post_signed(payloads.text("Any news?", wamid="wamid.W2"))
    sent_before = len(graph.sent)

    with time_machine.travel(SENT_AT + datetime.timedelta(hours=25), tick=False):
        reply_send(channel="whatsapp", address=PHONE, texts=["Later."], case=case)
        outbox_send_due()

    assert len(graph.sent) == sent_before
    message = OutboxMessage.objects.get(body="Later.")
    assert message.status == MessageStatus.FAILED
    assert "24-hour service window" in message.last_error


def test_a_failed_status_from_whatsapp_marks_the_outbox_message_failed(
        post_signed, wa_gateway, world, graph):
    case_of(world, phone=PHONE)
    post_signed(payloads.text("Hello", wamid="wamid.S1"))
    reply = OutboxMessage.objects.get(template="channels/reply")
    assert reply.status == MessageStatus.SENT

    response = post_signed(payloads.status(reply.provider_id, "failed", error_code=131047))

    assert response.status_code == 200
    reply.refresh_from_db()
    assert reply.status == MessageStatus.FAILED and "131047" in reply.last_error
    assert InboundMessage.objects.count() == 1  # a status is not a citizen's message
