"""WhatsApp sending in notify: the request bodies Meta takes, the token kept
to the Graph API's host, and test installs that deliver nothing."""

import pytest
from django.test import override_settings

from imbizo.notify.delivery import message_send
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.notify.services import message_enqueue
from imbizo.notify.whatsapp import (
    GraphClient,
    Route,
    Template,
    WhatsAppError,
    message_payload,
    parameter_text,
    whatsapp_routing,
)

ROUTE = Route(phone_number_id="1", access_token="t")


def test_inside_the_window_the_text_goes_as_a_text_message_without_the_plus():
    body = message_payload(to="+27821234567", text="Hello", route=ROUTE)
    assert body == {"messaging_product": "whatsapp", "recipient_type": "individual",
                    "to": "27821234567", "type": "text",
                    "text": {"preview_url": False, "body": "Hello"}}


def test_outside_the_window_the_template_gets_one_line_parameters():
    route = Route(phone_number_id="1", access_token="t", window_open=False,
                  template=Template(name="update", language="zu",
                                    parameters=("reference", "text")))
    body = message_payload(to="+27821234567", text="Line one\n\nline\ttwo     end",
                           route=route, reference="AB12-CD34")
    assert body["type"] == "template"
    assert body["template"] == {"name": "update", "language": {"code": "zu"}, "components": [
        {"type": "body", "parameters": [{"type": "text", "text": "AB12-CD34"},
                                        {"type": "text", "text": "Line one line two end"}]}]}


def test_outside_the_window_without_a_template_nothing_can_be_sent():
    with pytest.raises(WhatsAppError) as refused:
        message_payload(to="+27821234567", text="x",
                        route=Route(phone_number_id="1", access_token="t", window_open=False))
    assert refused.value.permanent


def test_a_template_parameter_is_never_empty_nor_too_long():
    assert parameter_text("   ") == "-"
    assert len(parameter_text("word " * 500)) == 1024


@pytest.mark.parametrize("url", ["http://elsewhere.example/file", "ftp://x/y",
                                 "file:///etc/passwd", "https:///nohost"])
def test_the_bearer_token_goes_only_to_https_or_the_graph_apis_own_host(url):
    client = GraphClient(access_token="secret", graph_url="http://127.0.0.1:9")
    with pytest.raises(WhatsAppError, match="media URL refused"):
        client.media_download(url, max_bytes=10)


@pytest.mark.django_db(transaction=True)
def test_a_test_install_with_the_file_backend_withholds_whatsapp_messages(tmp_path):
    def route(sender, message, **kwargs):
        return ROUTE

    whatsapp_routing.connect(route, dispatch_uid="test-route")
    try:
        with override_settings(TEST_INSTALL=True, WHATSAPP_FILE_PATH=str(tmp_path),
                               WHATSAPP_BACKEND="imbizo.notify.whatsapp.FileWhatsAppBackend"):
            message = message_enqueue(channel="whatsapp", recipient="+27821234567",
                                      template="channels/reply", context={"text": "Hi"})
            message_send(message_id=message.pk)
    finally:
        whatsapp_routing.disconnect(dispatch_uid="test-route")
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.WITHHELD
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_the_file_backend_writes_the_request_body(tmp_path):
    def route(sender, message, **kwargs):
        return ROUTE

    whatsapp_routing.connect(route, dispatch_uid="test-route")
    try:
        with override_settings(WHATSAPP_FILE_PATH=str(tmp_path),
                               WHATSAPP_BACKEND="imbizo.notify.whatsapp.FileWhatsAppBackend"):
            message = message_enqueue(channel="whatsapp", recipient="+27821234567",
                                      template="channels/reply", context={"text": "Hi there"})
            message_send(message_id=message.pk)
    finally:
        whatsapp_routing.disconnect(dispatch_uid="test-route")
    [written] = tmp_path.iterdir()
    assert '"body": "Hi there"' in written.read_text()
    assert OutboxMessage.objects.get().status == MessageStatus.SENT
