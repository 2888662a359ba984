import pytest

from imbizo.channels.whatsapp_webhook import signature_of
from tests.channels.conftest import SECRET, gateway_make
from tests.channels.whatsapp.graph import GraphServer
from tests.channels.whatsapp.payloads import APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN

URL = f"/channels/whatsapp/meta/{SECRET}/"
TEMPLATE = {"name": "imbizo_update", "language": "en", "parameters": ["reference", "text"]}


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Photos go to the test's own folder, deleted with it."""
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def graph():
    """The Graph API on loopback, started and stopped by the test."""
    server = GraphServer()
    http = server.serve()
    yield server
    http.shutdown()
    http.server_close()


@pytest.fixture
def wa_gateway(world, graph):
    return gateway_make(kind="whatsapp", slug="meta", adapter="whatsapp_cloud", settings={
        "verify_token": VERIFY_TOKEN, "app_secret": APP_SECRET,
        "phone_number_id": PHONE_NUMBER_ID, "access_token": graph.token,
        "graph_url": graph.url, "template": TEMPLATE})


@pytest.fixture
def post_signed(client):
    """POST a payload as Meta does: raw JSON body, signed with the app secret."""

    def post(body: bytes, *, secret: str = APP_SECRET, signature: str | None = None):
        headers = {"HTTP_X_HUB_SIGNATURE_256":
                   signature if signature is not None else signature_of(body=body,
                                                                        app_secret=secret)}
        if signature == "":
            headers = {}
        return client.post(URL, data=body, content_type="application/json", **headers)

    return post
