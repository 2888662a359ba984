"""When the database cannot be reached: a clear 503, never a stack trace.

`DatabaseUnavailableMiddleware` answers for errors raised by views (and while
their templates render); `server_error`, installed as Django's handler500,
answers for those raised in other middleware (a session saved on the way
out). Both close the broken connection, so the next request connects afresh:
the site recovers by itself when the database is back, without a restart.

Only errors of reaching the database count (Django's OperationalError and
InterfaceError: refused, dropped, timed out, locked); a constraint violation
or a bad query is still a bug and still a 500.
"""

import logging
import sys
from xml.sax.saxutils import escape

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger("imbizo.ops")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
# Machine clients get JSON; Open311 clients get its error list.
JSON_PREFIXES = ("/api/", "/field/api/")
OPEN311_PREFIX = "/open311/"
# ODK Collect and Enketo show an OpenRosaResponse's message to the field worker.
OPENROSA_PREFIX = "/openrosa/"


def openrosa_refusal(message: str, *, status: int) -> HttpResponse:
    """An OpenRosaResponse carrying `message` (imbizo.openrosa.documents makes
    the same document; ops cannot import an interface)."""
    body = ('<?xml version="1.0" encoding="utf-8"?><OpenRosaResponse '
            'xmlns="http://openrosa.org/http/response" items="0"><message nature="error">'
            f"{escape(message)}</message></OpenRosaResponse>")
    response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    response["X-OpenRosa-Version"] = "1.0"
    return response


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def unavailable_response(request) -> HttpResponse:
    """The 503 answer: HTML for people, JSON for API paths. Renders without the
    database (no context processors, no session)."""
    message = _("We cannot reach our records for a moment. Please try again in a minute. "
                "If you already received a reference number, your report is safe.")
    path = request.path
    if path.startswith(OPEN311_PREFIX):
        response = JsonResponse([{"code": 503, "description": message}], safe=False, status=503)
    elif path.startswith(OPENROSA_PREFIX):
        response = openrosa_refusal(message, status=503)
    elif path.startswith(JSON_PREFIXES) or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"error": "unavailable", "message": message}, status=503)
    else:
        response = HttpResponse(render_to_string("ops/unavailable.html", {"message": message}),
                                status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def connections_reset() -> None:
    """Close connections an error has left unusable (they reconnect on next use)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue  # the caller's transaction; it is unwinding already
        try:
            connection.close_if_unusable_or_obsolete()
        except OUTAGE_ERRORS:
            connection.connection = None


def _log(request, exc: BaseException) -> None:
    # The kind of error only: the database's message may name hosts, never people,
    # but one line per request is enough during an outage.
    logger.warning("database unavailable (%s) for %s %s", type(exc).__name__,
                   request.method, request.path)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not is_outage(exc):
            return None
        _log(request, exc)
        connections_reset()
        return unavailable_response(request)


def server_error(request, template_name: str = "500.html"):
    """handler500: a 503 when the error was the database being out of reach."""
    exc = sys.exc_info()[1]
    if is_outage(exc):
        _log(request, exc)
        connections_reset()
        return unavailable_response(request)
    try:
        return default_server_error(request, template_name)
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        return HttpResponseServerError("<h1>Server Error (500)</h1>", content_type="text/html")
