"""The gateways' callback: /channels/<kind>/<gateway>/<secret>/.

The path secret is checked first (providers that do not sign, such as
Africa's Talking, are known by it), then the adapter's own signature check,
then the adapter handles the request. A refusal is 401 and is logged with the
kind, gateway and reason only: never the body, the sender or the secret.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .adapters import Unauthorized, adapter_for
from .models import Gateway, GatewayKind

logger = logging.getLogger("imbizo.channels")


def _refuse(kind: str, gateway: str, reason: str) -> HttpResponse:
    logger.warning("channel callback refused: kind=%s gateway=%s reason=%s",
                   kind[:12], gateway[:40], reason)
    return HttpResponse("Unauthorized\n", status=401, content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, kind: str, gateway: str, secret: str) -> HttpResponse:
    if kind not in GatewayKind.values:
        return HttpResponse("Not found\n", status=404, content_type="text/plain")
    row = Gateway.objects.filter(kind=kind, slug=gateway, active=True).first()
    if row is None:
        return _refuse(kind, gateway, "unknown gateway")
    if not row.secret_matches(secret):
        return _refuse(kind, gateway, "wrong secret")
    try:
        adapter = adapter_for(row.kind, row.adapter)
    except LookupError:
        logger.error("channel gateway %s/%s names no known adapter", kind, row.slug)
        return HttpResponse("Gateway not configured\n", status=503, content_type="text/plain")
    try:
        adapter.authenticate(request, row)
    except Unauthorized as refusal:
        return _refuse(kind, gateway, str(refusal)[:120] or "bad signature")
    return adapter.handle(request, row)
