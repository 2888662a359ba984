"""Meta's WhatsApp Cloud API webhook: adapter "whatsapp_cloud" of kind "whatsapp".

Callback: /channels/whatsapp/<gateway>/<secret>/, given to Meta as the
app's webhook URL with the gateway's verify token.

- GET: Meta's verification request. hub.mode=subscribe and the gateway's
  verify token → 200 with hub.challenge; anything else → 403.
- POST: notifications, signed: X-Hub-Signature-256 = "sha256=" + the hex
  HMAC-SHA256 of the raw body keyed with the app secret. A missing or wrong
  signature → 401 (logged without the body). A body that is not the
  documented JSON → 400 naming what is wrong. Otherwise 200, once each
  message is handled (channels.whatsapp) and each status noted.

Gateway.settings (docs/channels-whatsapp.md): verify_token, app_secret
(required); phone_number_id and access_token (to send replies and fetch
photos); graph_url, api_version (optional); template {name, language,
parameters} for replies outside the 24-hour window.
"""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse

from .. import whatsapp_outbox, whatsapp_privacy  # noqa: F401 - connect their receivers
from ..models import GatewayKind
from ..whatsapp import status_report, whatsapp_receive
from ..whatsapp_webhook import (
    SIGNATURE_HEADER,
    PayloadError,
    delivery_read,
    handshake_answer,
    signature_valid,
)
from . import Adapter, Unauthorized, register

logger = logging.getLogger("imbizo.channels")

TEMPLATE_PARAMETERS = frozenset({"text", "reference"})


@register
class WhatsAppCloudAdapter(Adapter):
    kind = GatewayKind.WHATSAPP
    name = "whatsapp_cloud"

    def settings_check(self, settings: dict) -> list[str]:
        problems = [f"'{key}' is required." for key in ("verify_token", "app_secret")
                    if not isinstance(settings.get(key), str) or not settings.get(key)]
        for key in ("phone_number_id", "access_token", "graph_url", "api_version"):
            if key in settings and not isinstance(settings[key], str):
                problems.append(f"'{key}' must be text.")
        url = settings.get("graph_url")
        if isinstance(url, str) and url and not url.startswith(("https://", "http://")):
            problems.append("'graph_url' must be an http(s) address.")
        template = settings.get("template")
        if template is not None:
            problems.extend(_template_problems(template))
        return problems

    def authenticate(self, request: HttpRequest, gateway) -> None:
        if request.method != "POST":
            return  # the verification request carries the verify token instead
        header = request.headers.get(SIGNATURE_HEADER)
        if not header:
            raise Unauthorized("missing signature")
        secret = str((gateway.settings or {}).get("app_secret") or "")
        if not signature_valid(body=request.body, header=header, app_secret=secret):
            raise Unauthorized("bad signature")

    def handle(self, request: HttpRequest, gateway) -> HttpResponse:
        if request.method == "GET":
            challenge = handshake_answer(
                params=request.GET, verify_token=str((gateway.settings or {}).get(
                    "verify_token") or ""))
            if challenge is None:
                logger.warning("WhatsApp verification refused: gateway=%s", gateway.slug)
                return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
            return HttpResponse(challenge, content_type="text/plain")
        try:
            delivery = delivery_read(request.body)
        except PayloadError as exc:
            logger.warning("WhatsApp payload refused: gateway=%s reason=%s", gateway.slug, exc)
            return JsonResponse({"error": str(exc)}, status=400)
        for status in delivery.statuses:
            status_report(item=status)
        for item in delivery.messages:
            whatsapp_receive(gateway=gateway, item=item)
        return JsonResponse({"received": len(delivery.messages),
                             "statuses": len(delivery.statuses)})


def _template_problems(template) -> list[str]:
    if not isinstance(template, dict) or not isinstance(template.get("name"), str) \
            or not template["name"]:
        return ["'template' needs a 'name' (an approved template)."]
    problems = []
    if "language" in template and not isinstance(template["language"], str):
        problems.append("'template.language' must be a language code such as 'en'.")
    parameters = template.get("parameters", ["text"])
    if not isinstance(parameters, list) or not set(map(str, parameters)) <= TEMPLATE_PARAMETERS:
        problems.append("'template.parameters' must be a list of: "
                        + ", ".join(sorted(TEMPLATE_PARAMETERS)) + ".")
    return problems
