import pytest

from imbizo.integrations.services import apikey_create, webhook_subscribe
from tests.notify.servers import Gateway


@pytest.fixture
def consumer():
    """A webhook consumer on loopback: records what it receives, answers `status`."""
    gateway = Gateway(answer=b'{"ok": true}')
    server = gateway.serve()
    yield gateway
    server.shutdown()
    server.server_close()


def subscribed(consumer, *, scopes="read", events="", department=None, name="CRM"):
    key, _raw = apikey_create(name=name, scopes=scopes, department=department)
    subscription, secret = webhook_subscribe(key=key, url=consumer.url, events=events)
    return subscription, secret
