"""The web's input boundary: what no door takes is refused before any view runs.

`InputBoundaryMiddleware` stands before CSRF's (which reads the whole body):

- a body larger than `REQUEST_MAX_BODY_BYTES` is refused by its declared
  Content-Length (413), before a byte of it is read;
- a path, a query parameter (its name and value) or a string anywhere in a
  JSON body that holds a NUL or another control character, or bytes that are
  not UTF-8, is refused (400), naming the parameter or field at fault
  (imbizo.core.inputs says what counts). Form fields are checked by the forms
  (imbizo.web.styling) and by Open311's parameter reader, which name the field
  on the form a person sees again.

Each door gets the refusal in its own shape: the REST API its error list,
Open311 its error document (JSON or XML by the path's extension), people a
page. The page renders without the session or the database, as the outage
page does (imbizo.ops.outage).
"""

import json
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from imbizo.core.inputs import TextFault, text_fault, text_shown

from .outage import JSON_PREFIXES, OPEN311_PREFIX, OPENROSA_PREFIX, openrosa_refusal

_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Deep JSON is refused by the API's own parser; the walk stops here.
_MAX_DEPTH = 32


class InputBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = _size_refusal(request) or _text_refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)


def _size_refusal(request) -> HttpResponse | None:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.REQUEST_MAX_BODY_BYTES
    if not declared.isdigit():
        return refusal(request, 400, code="invalid_content_length", field="Content-Length",
                       message=_("The Content-Length header is not a number."))
    if int(declared) > limit:
        return refusal(request, 413, code="body_too_large", field="body",
                       message=_("The request is larger than %(mb)d MB.") % {"mb": limit // 2**20})
    return None


def _text_refusal(request) -> HttpResponse | None:
    for field, value in _texts(request):
        fault = text_fault(value)
        if fault is not None:
            shown = text_shown(field)
            return refusal(request, 400, code=fault, field=shown, message=fault_message(fault, shown))
    return None


def fault_message(fault: TextFault, field: str) -> str:
    if fault == TextFault.NOT_UTF8:
        return _("'%(field)s' holds bytes that are not UTF-8 text.") % {"field": field}
    return _("'%(field)s' holds a control character (such as NUL), which no text here may "
             "contain.") % {"field": field}


def _texts(request):
    """(field, text) for every text the request carries, the path first."""
    yield "path", request.path
    for name, values in request.GET.lists():
        yield name, name
        for value in values:
            yield name, value
    # Form bodies are checked by the forms themselves (imbizo.web.styling, Open311's
    # Parameters), so a person gets the form back with the field named; JSON here.
    if request.method not in _BODY_METHODS:
        return
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body.decode("utf-8"))
        except ValueError:
            return  # not JSON text at all (nor UTF-8): the API says so in its own words
        yield from _json_texts(document, "", 0)


def _json_texts(value, path: str, depth: int):
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        yield path or "body", value
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            yield here, str(key)
            yield from _json_texts(item, here, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_texts(item, f"{path}[{index}]", depth + 1)


def _open311_reason(status: int) -> str:
    # Open311's own reasons (imbizo.open311.errors), which its clients already know.
    return "body_too_large" if status == 413 else "invalid_parameter"


def refusal(request, status: int, *, code: str, field: str, message: str) -> HttpResponse:
    """The refusal in the shape the request's door speaks."""
    path = request.path
    if path.startswith(OPEN311_PREFIX):
        if path.endswith(".xml"):
            body = (f'<?xml version="1.0" encoding="UTF-8"?><errors><error><code>{status}</code>'
                    f"<description>{escape(message)}</description><field>{escape(field)}</field>"
                    f"<reason>{_open311_reason(status)}</reason></error></errors>")
            response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
        else:
            response = JsonResponse([{"code": status, "description": message, "field": field,
                                      "reason": _open311_reason(status)}], safe=False,
                                    status=status)
    elif path.startswith(OPENROSA_PREFIX):
        response = openrosa_refusal(message, status=status)
    elif path.startswith(JSON_PREFIXES) or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"errors": [{"code": code, "field": field, "message": message}]},
                                status=status)
    else:
        response = HttpResponse(render_to_string("ops/refused.html", {"message": message}),
                                status=status)
    response["Cache-Control"] = "no-store"
    return response
