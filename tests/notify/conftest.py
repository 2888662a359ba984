import pytest
from django.test import override_settings
from django_tasks.signals import task_enqueued

from tests.notify.servers import Gateway, SmtpServer


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (free port); Django's SMTP backend points at it."""
    server = _started_smtp_server()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                           EMAIL_HOST="127.0.0.1", EMAIL_PORT=server.port, EMAIL_USE_TLS=False,
                           EMAIL_USE_SSL=False, EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD="",
                           DEFAULT_FROM_EMAIL="Imbizo <noreply@metro.example.gov.za>"):
        yield server
    server.stop()


def _started_smtp_server(attempts: int = 5) -> SmtpServer:
    # The free port is probed, then bound by aiosmtpd: another process (a
    # second pytest-xdist worker) may take it in between. Then try another.
    for _ in range(attempts - 1):
        server = SmtpServer()
        try:
            server.start()
        except OSError:
            continue
        return server
    server = SmtpServer()
    server.start()
    return server


@pytest.fixture
def sms_gateway():
    """A local HTTP gateway; the HTTP gateway backend is configured to call it."""
    gateway = Gateway()
    server = gateway.serve()
    with override_settings(SMS_BACKEND="imbizo.notify.sms.HttpGatewaySmsBackend",
                           SMS_GATEWAY_URL=gateway.url, SMS_GATEWAY_METHOD="POST",
                           SMS_GATEWAY_CONTENT_TYPE="application/json",
                           SMS_GATEWAY_BODY_TEMPLATE=(
                               '{"to": $to, "text": $text, "reference": $message_id}'),
                           SMS_GATEWAY_HEADERS={"Authorization": "Key s3cret"},
                           SMS_GATEWAY_TIMEOUT=5):
        yield gateway
    server.shutdown()
    server.server_close()


@pytest.fixture
def enqueued():
    """Tasks enqueued during the test, as (task name, args)."""
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.name, tuple(task_result.args)))

    task_enqueued.connect(record, weak=False)
    yield seen
    task_enqueued.disconnect(record)

