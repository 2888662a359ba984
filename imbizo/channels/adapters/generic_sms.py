"""A generic SMS callback for gateways without an adapter of their own.

Everything is data in Gateway.settings (docs/channels.md):

    {"format": "form" | "json",
     "fields": {"id": "messageId", "sender": "msisdn", "text": "message",
                "received_at": "timestamp"},          # JSON: dotted paths
     "signature": {"header": "X-Signature", "secret": "...",
                   "algorithm": "sha256" | "sha1" | "sha512",
                   "encoding": "hex" | "base64", "prefix": "sha256="},
     "answer": "OK"}

With "signature", the HMAC of the raw body under that secret must be in that
header, or the callback is refused (401).
"""

import base64
import hashlib
import hmac
import json

from django.http import HttpResponse
from django.utils.dateparse import parse_datetime

from imbizo.channels.models import GatewayKind
from imbizo.channels.sms import sms_receive

from . import Adapter, Inbound, Unauthorized, register

DEFAULT_FIELDS = {"id": "id", "sender": "from", "text": "text", "received_at": "date"}
ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def _bad(reason: str) -> HttpResponse:
    return HttpResponse(reason + "\n", status=400, content_type="text/plain")


def when(value) -> object:
    """An aware datetime from an ISO text, or None (never an error)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = parse_datetime(value.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _dig(data, path: str):
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


@register
class GenericSms(Adapter):
    kind = GatewayKind.SMS
    name = "generic"

    def settings_check(self, settings: dict) -> list[str]:
        problems = []
        if settings.get("format", "form") not in ("form", "json"):
            problems.append('"format" must be "form" or "json".')
        fields = settings.get("fields", {})
        if not isinstance(fields, dict) or not all(isinstance(v, str) and v
                                                   for v in fields.values()):
            problems.append('"fields" must map id, sender, text, received_at to field names.')
        elif set(fields) - set(DEFAULT_FIELDS):
            problems.append('"fields" knows only: ' + ", ".join(DEFAULT_FIELDS) + ".")
        signature = settings.get("signature")
        if signature is not None:
            if not isinstance(signature, dict) or not signature.get("secret") or not \
                    signature.get("header"):
                problems.append('"signature" needs a "header" and a "secret".')
            elif signature.get("algorithm", "sha256") not in ALGORITHMS:
                problems.append('"signature.algorithm" must be sha1, sha256 or sha512.')
            elif signature.get("encoding", "hex") not in ("hex", "base64"):
                problems.append('"signature.encoding" must be hex or base64.')
        return problems

    def authenticate(self, request, gateway) -> None:
        signature = (gateway.settings or {}).get("signature")
        if not signature:
            return
        given = request.headers.get(signature.get("header", ""), "")
        prefix = signature.get("prefix", "")
        if not given:
            raise Unauthorized("no signature")
        if prefix and given.startswith(prefix):
            given = given[len(prefix):]
        digest = hmac.new(signature["secret"].encode(), request.body,
                          ALGORITHMS[signature.get("algorithm", "sha256")]).digest()
        expected = (base64.b64encode(digest).decode() if signature.get("encoding") == "base64"
                    else digest.hex())
        if not hmac.compare_digest(expected.encode(), given.strip().encode()):
            raise Unauthorized("wrong signature")

    def handle(self, request, gateway) -> HttpResponse:
        settings = gateway.settings or {}
        if request.method != "POST":
            return HttpResponse("Send the message as a POST.\n", status=405,
                                content_type="text/plain")
        fields = {**DEFAULT_FIELDS, **settings.get("fields", {})}
        if settings.get("format") == "json":
            try:
                data = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return _bad("The body is not JSON.")
            if not isinstance(data, dict):
                return _bad("The body must be a JSON object.")

            def read(name):
                value = _dig(data, fields[name])
                return value if isinstance(value, str | int | float) else None
        else:
            def read(name):
                return request.POST.get(fields[name])
        provider_id, sender = read("id"), read("sender")
        if provider_id in (None, "") or not sender:
            return _bad(f"The fields '{fields['id']}' and '{fields['sender']}' are required.")
        inbound = Inbound(provider_id=str(provider_id), sender=str(sender),
                          text=str(read("text") or ""), received_at=when(read("received_at")))
        sms_receive(gateway=gateway, inbound=inbound)
        return HttpResponse(settings.get("answer", "OK") + "\n", content_type="text/plain")
