"""SMS backends: where text messages go. Chosen by the SMS_BACKEND setting."""

import json
import logging
import string
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("imbizo.notify")


class SmsError(Exception):
    """The provider did not accept the message; the text says why (no personal data)."""


def mask_number(number: str) -> str:
    """+27821234567 -> +27******567: enough to tell numbers apart in logs, no more."""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 6) + number[-3:]


class SmsBackend:
    def send(self, *, to: str, text: str, message_id: int) -> str | None:
        """Hand the message to the provider; return its id for the message, if any."""
        raise NotImplementedError


class LogSmsBackend(SmsBackend):
    """Writes a line per message to the log (development and demos)."""

    def send(self, *, to: str, text: str, message_id: int) -> str | None:
        logger.info("SMS %s to %s (%d characters)", message_id, mask_number(to), len(text))
        return None


class HttpGatewaySmsBackend(SmsBackend):
    """Any HTTP SMS gateway, configured by URL and body templates.

    Settings: SMS_GATEWAY_URL (may use $to, $text, $message_id), SMS_GATEWAY_METHOD
    (POST), SMS_GATEWAY_CONTENT_TYPE (application/json or
    application/x-www-form-urlencoded), SMS_GATEWAY_BODY_TEMPLATE (with $to, $text,
    $message_id, escaped for the content type), SMS_GATEWAY_HEADERS (a dict, e.g.
    an Authorization header), SMS_GATEWAY_TIMEOUT seconds.
    """

    def __init__(self):
        self.url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not self.url:
            raise SmsError("SMS_GATEWAY_URL is not set")
        self.method = getattr(settings, "SMS_GATEWAY_METHOD", "POST").upper()
        self.content_type = getattr(settings, "SMS_GATEWAY_CONTENT_TYPE", "application/json")
        self.body = getattr(
            settings, "SMS_GATEWAY_BODY_TEMPLATE",
            '{"to": $to, "text": $text, "reference": $message_id}',
        )
        self.headers = dict(getattr(settings, "SMS_GATEWAY_HEADERS", {}) or {})
        self.timeout = float(getattr(settings, "SMS_GATEWAY_TIMEOUT", 10))

    def _escaped(self, value: str) -> str:
        if self.content_type == "application/json":
            return json.dumps(value)
        return urllib.parse.quote_plus(value)

    def send(self, *, to: str, text: str, message_id: int) -> str | None:
        values = {"to": to, "text": text, "message_id": str(message_id)}
        url = string.Template(self.url).safe_substitute(
            {k: urllib.parse.quote_plus(v) for k, v in values.items()})
        body = string.Template(self.body).safe_substitute(
            {k: self._escaped(v) for k, v in values.items()}).encode()
        request = urllib.request.Request(  # noqa: S310 - the operator configures the URL
            url, data=body if self.method != "GET" else None, method=self.method,
            headers={"Content-Type": self.content_type, **self.headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read(4096).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {getattr(exc, 'reason', exc)}") from exc
        try:
            reply = json.loads(answer)
            return str(reply.get("id") or reply.get("message_id") or "")[:120] or None
        except (ValueError, AttributeError):
            return None


def sms_backend() -> SmsBackend:
    path = getattr(settings, "SMS_BACKEND", "imbizo.notify.sms.LogSmsBackend")
    return import_string(path)()
