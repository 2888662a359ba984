"""SMS backends: where text messages go. Chosen by the SMS_BACKEND setting.

A backend is a class with `send(to, text, *, message_id=None) -> str | None`
that hands one message to a provider and returns the provider's id for it
(None when the provider gives none), or raises `SmsError` with a reason that
carries no personal data. `message_id` is our outbox id: gateways that take a
client reference can use it to drop a duplicate (see notify.delivery).
"""

import json
import logging
import string
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("imbizo.notify")

DEFAULT_BACKEND = "imbizo.notify.sms.LogSmsBackend"
DEFAULT_BODY_TEMPLATE = '{"to": $to, "text": $text, "reference": $message_id}'


class SmsError(Exception):
    """The provider did not accept the message; the text says why (no personal data)."""


def mask_number(number: str) -> str:
    """+27821234567 -> +27******567: enough to tell numbers apart in logs, no more."""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 6) + number[-3:]


class SmsBackend:
    def send(self, to: str, text: str, *, message_id: int | None = None) -> str | None:
        """Hand the message to the provider; return its id for the message, if any."""
        raise NotImplementedError


class LogSmsBackend(SmsBackend):
    """Writes a line per message to the log, number masked (development and demos)."""

    def send(self, to: str, text: str, *, message_id: int | None = None) -> str | None:
        logger.info("SMS to %s (%d chars), message %s", mask_number(to), len(text), message_id)
        return None


class FileSmsBackend(SmsBackend):
    """Writes each message to a file of its own under SMS_FILE_PATH (var/sms
    under `make run`): a demo's texts can be read, and never reach the log."""

    def send(self, to: str, text: str, *, message_id: int | None = None) -> str | None:
        folder = Path(getattr(settings, "SMS_FILE_PATH", "") or settings.VAR_DIR / "sms")
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{message_id or uuid.uuid4().hex[:8]}.txt"
        (folder / name).write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        logger.info("SMS to %s (%d chars), message %s, written to %s", mask_number(to),
                    len(text), message_id, folder)
        return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST becomes a GET without its body in urllib; a gateway that
    # redirects has not taken the message, so a 3xx is a failure, not a success.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpGatewaySmsBackend(SmsBackend):
    """Any HTTP SMS gateway, configured by URL and a body template.

    Settings: SMS_GATEWAY_URL (may use $to, $text, $message_id, URL-escaped),
    SMS_GATEWAY_METHOD (POST), SMS_GATEWAY_CONTENT_TYPE (application/json,
    application/x-www-form-urlencoded, an XML type, or anything else for raw
    values), SMS_GATEWAY_BODY_TEMPLATE (a string.Template with $to, $text,
    $message_id, each escaped for the content type), SMS_GATEWAY_HEADERS (a
    dict, e.g. an Authorization header), SMS_GATEWAY_TIMEOUT (seconds). Any
    answer but 2xx is a failure; its status (not its body, which may echo the
    number) is the reason.
    """

    def __init__(self):
        self.url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not self.url:
            raise SmsError("SMS_GATEWAY_URL is not set")
        self.method = getattr(settings, "SMS_GATEWAY_METHOD", "POST").upper()
        self.content_type = getattr(settings, "SMS_GATEWAY_CONTENT_TYPE", "application/json")
        self.body = getattr(settings, "SMS_GATEWAY_BODY_TEMPLATE", DEFAULT_BODY_TEMPLATE)
        self.headers = dict(getattr(settings, "SMS_GATEWAY_HEADERS", {}) or {})
        self.timeout = float(getattr(settings, "SMS_GATEWAY_TIMEOUT", 10))
        self.opener = urllib.request.build_opener(_NoRedirects)

    def _escaped(self, value: str) -> str:
        kind = self.content_type.lower()
        if "json" in kind:
            return json.dumps(value)
        if "x-www-form-urlencoded" in kind:
            return urllib.parse.quote_plus(value)
        if "xml" in kind:
            return xml_escape(value, {'"': "&quot;", "'": "&apos;"})
        return value

    def request_for(self, to: str, text: str, message_id: int | None) -> urllib.request.Request:
        values = {"to": to, "text": text, "message_id": "" if message_id is None else str(message_id)}
        url = string.Template(self.url).safe_substitute(
            {k: urllib.parse.quote_plus(v) for k, v in values.items()})
        body = None
        if self.method not in ("GET", "HEAD"):
            body = string.Template(self.body).safe_substitute(
                {k: self._escaped(v) for k, v in values.items()}).encode()
        return urllib.request.Request(  # noqa: S310 - the operator configures the URL
            url, data=body, method=self.method,
            headers={"Content-Type": self.content_type, **self.headers},
        )

    def send(self, to: str, text: str, *, message_id: int | None = None) -> str | None:
        request = self.request_for(to, text, message_id)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status = response.status
                answer = response.read(4096).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {getattr(exc, 'reason', exc)}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered HTTP {status}")
        try:
            reply = json.loads(answer)
            return str(reply.get("id") or reply.get("message_id") or "")[:120] or None
        except (ValueError, AttributeError):
            return None


def sms_backend() -> SmsBackend:
    """A new instance of the backend named by SMS_BACKEND (a dotted path)."""
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()
