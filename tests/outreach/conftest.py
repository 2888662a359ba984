# The loopback SMTP server and HTTP SMS gateway of the delivery tests.
from tests.notify.conftest import sms_gateway, smtp_server  # noqa: F401
