"""Open311 errors: DomainError codes to HTTP statuses, and the error document.

The body is `<errors><error><code/><description/></error>...</errors>` or a
JSON array of {code, description}; `code` is the HTTP status (as the
specification suggests), and each error also names the parameter at fault
(`field`) and our machine-readable `reason`, so a client can tell several
faults apart.
"""

from dataclasses import dataclass
from enum import StrEnum

from imbizo.cases.errors import CaseError
from imbizo.catalogue.errors import CatalogueError
from imbizo.core.errors import DomainError
from imbizo.core.ratelimit import RATE_LIMITED
from imbizo.integrations.errors import IntegrationError

from .documents import document_response


class Open311Error(StrEnum):
    """Faults found by the Open311 interface itself, before any service is called."""

    MISSING_PARAMETER = "missing_parameter"
    INVALID_PARAMETER = "invalid_parameter"
    MISSING_LOCATION = "missing_location"
    UNKNOWN_JURISDICTION = "unknown_jurisdiction"
    UNSUPPORTED_BODY = "unsupported_body"
    BODY_TOO_LARGE = "body_too_large"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"


HTTP_STATUS_OF: dict[str, int] = {
    CaseError.NOT_FOUND: 404,
    CaseError.FORBIDDEN: 403,
    CatalogueError.UNKNOWN_SERVICE: 404,
    IntegrationError.KEY_MISSING: 403,
    IntegrationError.KEY_INVALID: 403,
    IntegrationError.KEY_REVOKED: 403,
    IntegrationError.SCOPE_MISSING: 403,
    Open311Error.UNKNOWN_JURISDICTION: 404,
    Open311Error.NOT_FOUND: 404,
    Open311Error.BODY_TOO_LARGE: 413,
    Open311Error.METHOD_NOT_ALLOWED: 405,
    RATE_LIMITED: 429,
}

# Our field names -> the Open311 parameter a client sent.
PARAMETER_OF = {
    "citizen_name": "first_name",
    "address": "address_string",
    "citizen_phone": "phone",
    "citizen_email": "email",
    "photo": "media",
    "location": "lat",
    "reference": "service_request_id",
}


@dataclass(frozen=True)
class Problem:
    status: int
    reason: str
    description: str
    field: str | None = None

    def record(self) -> dict:
        return {"code": self.status, "description": self.description, "field": self.field,
                "reason": self.reason}


def problem_of(error: DomainError, *, status: int | None = None) -> Problem:
    field = PARAMETER_OF.get(error.field, error.field) if error.field else None
    return Problem(status=status or HTTP_STATUS_OF.get(error.code, 400), reason=error.code,
                   description=error.message, field=field)


class Open311Failure(Exception):
    """Raised by handlers with every problem found; rendered as one error document."""

    def __init__(self, problems: list[Problem], *, retry_after: int | None = None):
        super().__init__("; ".join(p.description for p in problems))
        self.problems = problems
        self.retry_after = retry_after  # seconds, when a rate limit refused the request

    @classmethod
    def of(cls, error: DomainError, *, status: int | None = None) -> "Open311Failure":
        return cls([problem_of(error, status=status)],
                   retry_after=getattr(error, "retry_after", None))

    @property
    def status(self) -> int:
        # The gravest kind decides: a bad key (403) before unknown things (404)
        # before bad values (400).
        statuses = {p.status for p in self.problems}
        for status in (429, 403, 413, 405, 404):
            if status in statuses:
                return status
        return 400


def error_response(fmt: str, failure: Open311Failure):
    problems = [p for p in failure.problems if p.status == failure.status] or failure.problems
    response = document_response(fmt, "errors", [p.record() for p in problems],
                                 status=failure.status)
    if failure.retry_after:
        response["Retry-After"] = str(failure.retry_after)
    return response
