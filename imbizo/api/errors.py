"""Every error the REST API gives has one shape:

    {"errors": [{"code": "unknown_service", "field": "service_code", "message": "..."}]}

DomainError codes map to HTTP statuses here; validation errors name each
field at fault, several at once.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from imbizo.cases.errors import CaseError
from imbizo.core.errors import DomainError
from imbizo.core.ratelimit import RateLimited
from imbizo.integrations.errors import IntegrationError

from .parsing import BodyTooLarge, MalformedBody, max_body_bytes


class ErrorItem(Schema):
    code: str
    field: str | None = None
    message: str


class ErrorOut(Schema):
    errors: list[ErrorItem]


STATUS_OF_CODE = {
    IntegrationError.KEY_MISSING: 401,
    IntegrationError.KEY_INVALID: 401,
    IntegrationError.KEY_REVOKED: 401,
    IntegrationError.SCOPE_MISSING: 403,
    IntegrationError.OUTSIDE_DEPARTMENT: 403,
    CaseError.FORBIDDEN: 403,
    CaseError.REOPEN_SECRET_WRONG: 403,
    CaseError.NOT_FOUND: 404,
    CaseError.TRANSITION_NOT_ALLOWED: 409,
    CaseError.MERGE_NOT_ALLOWED: 409,
}
# Anything else a domain service refuses is input that is well-formed but wrong.
DEFAULT_DOMAIN_STATUS = 422

# What an operation may answer besides success, for the OpenAPI document.
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                413: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def error_body(*items: tuple[str, str | None, str]) -> dict:
    return {"errors": [{"code": code, "field": field, "message": message}
                       for code, field, message in items]}


def install(api) -> None:
    """Register the handlers on a NinjaAPI."""

    def respond(request, status: int, *items):
        response = api.create_response(request, error_body(*items), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="imbizo"'
        return response

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        status = STATUS_OF_CODE.get(exc.code, DEFAULT_DOMAIN_STATUS)
        return respond(request, status, (exc.code, exc.field, exc.message))

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc: RateLimited):
        response = respond(request, 429, (exc.code, None, exc.message))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return respond(request, 422, *(_validation_item(error) for error in exc.errors))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return respond(request, 401, (IntegrationError.KEY_MISSING, "api_key",
                                      _("An API key is required.")))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        cause = exc.__cause__
        if isinstance(cause, BodyTooLarge | RequestDataTooBig):
            return _too_large(respond, request)
        if isinstance(cause, MalformedBody):
            return respond(request, 400, ("malformed_body", "body",
                                          _("The body is not a JSON object: %(why)s.")
                                          % {"why": cause}))
        return respond(request, exc.status_code, ("http_error", None, str(exc)))

    @api.exception_handler(RequestDataTooBig)
    def request_too_big(request, exc):
        return _too_large(respond, request)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, (CaseError.NOT_FOUND, None, _("Not found.")))


def _too_large(respond, request):
    return respond(request, 413, ("body_too_large", "body",
                                  _("The body is larger than %(limit)d bytes.")
                                  % {"limit": max_body_bytes()}))


def _validation_item(error: dict) -> tuple[str, str | None, str]:
    # loc is like ("body", "payload", "lat") or ("query", "limit"): the field
    # is what the client sent, without ninja's wrapping.
    loc = [str(part) for part in error.get("loc", ())]
    while loc and loc[0] in ("body", "query", "path", "header", "payload", "filters", "form"):
        loc = loc[1:]
    field = ".".join(loc) or None
    code = "required" if error.get("type") == "missing" else "invalid"
    return (code, field, str(error.get("msg", _("This value is not valid."))))
