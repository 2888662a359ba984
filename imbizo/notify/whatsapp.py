"""WhatsApp through Meta's Cloud API: the outbox sender of MessageChannel.WHATSAPP
and the Graph API client the channels app also uses to fetch media.

Sending
-------
An outbox message on channel "whatsapp" holds a recipient (E.164) and its
text, like an SMS. What notify does not know is *how* it may leave: which
business phone number sends it, with which token, and whether the citizen
wrote to us in the last 24 hours (Meta's customer service window: inside it
any text may be sent; outside it only an approved template). The channels
app knows (its gateways and their inbound messages), so notify asks it
through the hook `whatsapp_routing`, at sending time, when the window is
measured: each receiver may return a `Route` for the message (the first one
given wins). With no route, the message fails at once: nothing is configured
to send it.

Inside the window the text is sent as a text message; outside it, the
route's template with its parameters (the text itself, the case reference)
as body parameters; without a template, the message fails at once (never
retried: it would never become legal).

The backend (WHATSAPP_BACKEND) does the last step: `CloudApiWhatsAppBackend`
(the default) posts to `<graph_url>/<api_version>/<phone_number_id>/messages`;
`FileWhatsAppBackend` (make run) writes each request to a file under
var/whatsapp; `LogWhatsAppBackend` logs a line. Logs never carry a number
unmasked or a text.

Delivery reports
----------------
Meta reports each sent message's fate by webhook (`statuses[]`); a "failed"
report marks the outbox row FAILED with Meta's error code and title
(`message_failed_report`), so staff see what never arrived.
"""

import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.dispatch import Signal
from django.utils.module_loading import import_string

from imbizo.core import clock

from .models import MessageStatus, OutboxMessage
from .sms import mask_number

logger = logging.getLogger("imbizo.notify")

DEFAULT_BACKEND = "imbizo.notify.whatsapp.CloudApiWhatsAppBackend"
DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v23.0"
NO_DELIVERY_BACKENDS = frozenset({"imbizo.notify.whatsapp.LogWhatsAppBackend",
                                  "imbizo.notify.whatsapp.FileWhatsAppBackend"})
# Meta refuses template parameters with new lines, tabs or more than four
# spaces in a row, and longer than this.
TEMPLATE_PARAMETER_MAX = 1024
TEXT_MAX = 4096

# `whatsapp_routing(message=OutboxMessage)`: sent by the outbox worker before a
# WhatsApp message leaves (after commit, outside any transaction). A receiver
# returns a `Route` for it, or None when it has nothing to say.
whatsapp_routing = Signal()


class WhatsAppError(Exception):
    """The Graph API did not do what was asked. The text says why, without
    personal data; `status` is the HTTP status when there was an answer."""

    def __init__(self, reason: str, *, status: int | None = None, code: int | None = None,
                 permanent: bool = False):
        super().__init__(reason)
        self.status = status
        self.code = code
        self.permanent = permanent


@dataclass(frozen=True)
class Template:
    """An approved message template: its name, language code and the names of
    the values that fill its body parameters, in order ("text", "reference")."""

    name: str
    language: str = "en"
    parameters: tuple[str, ...] = ("text",)


@dataclass(frozen=True)
class Route:
    """How one WhatsApp message may leave (see the module docstring)."""

    phone_number_id: str
    access_token: str
    graph_url: str = DEFAULT_GRAPH_URL
    api_version: str = DEFAULT_API_VERSION
    window_open: bool = True
    template: Template | None = None
    extra: dict = field(default_factory=dict)


def parameter_text(value: str) -> str:
    """`value` as Meta takes a template parameter: one line, no runs of spaces."""
    flat = re.sub(r"\s+", " ", value or "").strip()
    return flat[:TEMPLATE_PARAMETER_MAX] or "-"


def message_payload(*, to: str, text: str, route: Route, reference: str = "") -> dict:
    """The Graph API request body for one message: free text inside the
    window, the route's template outside it. WhatsAppError (permanent) when
    the window is shut and no template is configured."""
    recipient = to.lstrip("+")
    if route.window_open:
        return {"messaging_product": "whatsapp", "recipient_type": "individual",
                "to": recipient, "type": "text",
                "text": {"preview_url": False, "body": text[:TEXT_MAX]}}
    if route.template is None:
        raise WhatsAppError("outside the 24-hour service window and no template configured",
                            permanent=True)
    values = {"text": text, "reference": reference or "-"}
    parameters = [{"type": "text", "text": parameter_text(values.get(name, name))}
                  for name in route.template.parameters]
    template = {"name": route.template.name, "language": {"code": route.template.language}}
    if parameters:
        template["components"] = [{"type": "body", "parameters": parameters}]
    return {"messaging_product": "whatsapp", "recipient_type": "individual",
            "to": recipient, "type": "template", "template": template}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would carry the bearer token elsewhere: refused, not followed.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class GraphClient:
    """The few Graph API calls Imbizo makes: send a message, look up a media
    item, download it. Every call has a timeout (WHATSAPP_TIMEOUT, 10 s)."""

    def __init__(self, *, access_token: str, graph_url: str = DEFAULT_GRAPH_URL,
                 api_version: str = DEFAULT_API_VERSION, timeout: float | None = None):
        self.access_token = access_token
        self.graph_url = graph_url.rstrip("/")
        self.api_version = api_version.strip("/")
        self.timeout = float(timeout if timeout is not None
                             else getattr(settings, "WHATSAPP_TIMEOUT", 10.0))
        self.opener = urllib.request.build_opener(_NoRedirects)

    def _url(self, *parts: str) -> str:
        return "/".join([self.graph_url, self.api_version,
                         *(urllib.parse.quote(part, safe="") for part in parts)])

    def _open(self, request: urllib.request.Request, *, limit: int) -> tuple[bytes, dict]:
        request.add_header("Authorization", f"Bearer {self.access_token}")
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, headers = response.status, dict(response.headers)
                body = response.read(limit + 1)
        except urllib.error.HTTPError as exc:
            code = _error_code(exc)
            raise WhatsAppError(f"Graph API answered HTTP {exc.code}"
                                + (f" (error {code})" if code else ""),
                                status=exc.code, code=code,
                                permanent=400 <= exc.code < 500 and exc.code != 429) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise WhatsAppError(f"Graph API unreachable: {type(exc).__name__}") from exc
        if not 200 <= status < 300:
            raise WhatsAppError(f"Graph API answered HTTP {status}", status=status)
        if len(body) > limit:
            raise WhatsAppError("answer too large", status=status, permanent=True)
        return body, headers

    def message_send(self, *, phone_number_id: str, payload: dict) -> str:
        """Send one message; return its WhatsApp message id (wamid)."""
        request = urllib.request.Request(  # noqa: S310 - the operator configures the URL
            self._url(phone_number_id, "messages"), method="POST",
            data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
        body, _ = self._open(request, limit=64 * 1024)
        try:
            return str(json.loads(body)["messages"][0]["id"])[:120]
        except (ValueError, KeyError, IndexError, TypeError):
            return ""

    def media_info(self, media_id: str) -> dict:
        """What the Graph API knows of a media item: url, mime_type, sha256, file_size."""
        request = urllib.request.Request(self._url(media_id), method="GET")  # noqa: S310
        body, _ = self._open(request, limit=64 * 1024)
        try:
            info = json.loads(body)
        except ValueError as exc:
            raise WhatsAppError("media lookup answered something other than JSON") from exc
        if not isinstance(info, dict) or not isinstance(info.get("url"), str):
            raise WhatsAppError("media lookup gave no URL")
        return info

    def media_download(self, url: str, *, max_bytes: int) -> bytes:
        """The bytes at `url` (a media URL the Graph API gave), with the bearer
        token. Only https, or the Graph API's own scheme and host (a test
        server on loopback), so the token goes nowhere else. WhatsAppError
        (permanent) when it is larger than `max_bytes`."""
        if not self._may_fetch(url):
            raise WhatsAppError("media URL refused: neither https nor the Graph API's host",
                                permanent=True)
        request = urllib.request.Request(url, method="GET")  # noqa: S310 - checked above
        body, _ = self._open(request, limit=max_bytes)
        return body

    def _may_fetch(self, url: str) -> bool:
        target, graph = urllib.parse.urlsplit(url), urllib.parse.urlsplit(self.graph_url)
        if target.scheme == "https" and target.hostname:
            return True
        return (target.scheme, target.netloc) == (graph.scheme, graph.netloc)


def _error_code(exc: urllib.error.HTTPError) -> int | None:
    # Meta's error body: {"error": {"code": 131047, "message": ..., ...}}; only the
    # code is kept (the message may quote the recipient).
    try:
        return int(json.loads(exc.read(16 * 1024))["error"]["code"])
    except (ValueError, KeyError, TypeError, OSError):
        return None


class WhatsAppBackend:
    def send(self, *, route: Route, payload: dict, message_id: int | None = None) -> str:
        """Hand one request body to WhatsApp; return the provider's id for it ("" if none)."""
        raise NotImplementedError


class CloudApiWhatsAppBackend(WhatsAppBackend):
    """Meta's Cloud API (production)."""

    def send(self, *, route: Route, payload: dict, message_id: int | None = None) -> str:
        client = GraphClient(access_token=route.access_token, graph_url=route.graph_url,
                             api_version=route.api_version)
        return client.message_send(phone_number_id=route.phone_number_id, payload=payload)


class LogWhatsAppBackend(WhatsAppBackend):
    """A log line per message, number masked (development)."""

    def send(self, *, route: Route, payload: dict, message_id: int | None = None) -> str:
        logger.info("WhatsApp %s to %s, message %s", payload["type"],
                    mask_number("+" + payload["to"]), message_id)
        return ""


class FileWhatsAppBackend(WhatsAppBackend):
    """Each request body in a file of its own under WHATSAPP_FILE_PATH (var/whatsapp
    under `make run`): a demo's replies can be read, and never reach the log."""

    def send(self, *, route: Route, payload: dict, message_id: int | None = None) -> str:
        folder = Path(getattr(settings, "WHATSAPP_FILE_PATH", "")
                      or settings.VAR_DIR / "whatsapp")
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{message_id or uuid.uuid4().hex[:8]}.json"
        (folder / name).write_text(json.dumps(payload, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
        logger.info("WhatsApp %s to %s, message %s, written to %s", payload["type"],
                    mask_number("+" + payload["to"]), message_id, folder)
        return ""


def whatsapp_backend() -> WhatsAppBackend:
    """A new instance of the backend named by WHATSAPP_BACKEND (a dotted path)."""
    return import_string(getattr(settings, "WHATSAPP_BACKEND", DEFAULT_BACKEND))()


def delivers_nothing() -> bool:
    return getattr(settings, "WHATSAPP_BACKEND", DEFAULT_BACKEND) in NO_DELIVERY_BACKENDS


def message_route(message: OutboxMessage) -> Route | None:
    """The route the `whatsapp_routing` receivers give `message` (the first), or None."""
    for _receiver, route in whatsapp_routing.send(sender=OutboxMessage, message=message):
        if route is not None:
            return route
    return None


def whatsapp_send(message: OutboxMessage, body: str) -> str:
    """Send one claimed outbox message on WhatsApp; return the wamid.

    Raises WhatsAppError (permanent when retrying cannot help: no route, no
    template outside the window, a 4xx from the Graph API)."""
    route = message_route(message)
    if route is None:
        raise WhatsAppError("no WhatsApp gateway can send this message", permanent=True)
    reference = message.case.reference if message.case_id else ""
    payload = message_payload(to=message.recipient, text=body, route=route, reference=reference)
    return whatsapp_backend().send(route=route, payload=payload, message_id=message.pk)


def message_failed_report(*, provider_id: str, reason: str) -> int:
    """WhatsApp reported that the message it knows as `provider_id` never
    arrived: mark it FAILED with `reason` (no personal data). Returns the
    number of rows changed (0 for an id we never sent)."""
    if not provider_id:
        return 0
    return OutboxMessage.objects.filter(
        channel="whatsapp", provider_id=provider_id[:120],
        status__in=[MessageStatus.SENT, MessageStatus.SENDING],
    ).update(status=MessageStatus.FAILED, last_error=reason[:1000], attempted_at=clock.now())
