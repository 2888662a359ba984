"""What one Open311 caller may ask of us: requests per address and per API key
(the shared limiter, ADR 0008), references per look-up, and cases per page.

Anonymous callers get at most ANONYMOUS_PAGE_SIZE requests a page; a caller
sending a valid `open311` API key with a GET may ask for up to
KEYED_PAGE_SIZE. A look-up names at most MAX_REFERENCES references.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.core.ratelimit import client_address, limit_check
from imbizo.integrations.models import ApiKey, Scope
from imbizo.integrations.services import apikey_authenticate

from .params import Parameters

MAX_REFERENCES = 50
ANONYMOUS_PAGE_SIZE = 100
KEYED_PAGE_SIZE = 1000


def address_limit(request) -> None:
    """Count the request against its address: reads (GET) and writes (POST)
    have a limit each. Raises RateLimited past it."""
    scope = "open311_write_address" if request.method == "POST" else "open311_read"
    limit_check(scope=scope, client=client_address(request))


def key_limit(key: ApiKey) -> None:
    """Count a write against its API key. Raises RateLimited past the limit."""
    limit_check(scope="open311_write", client=f"key:{key.pk}")


def references_checked(params: Parameters, references: list[str]) -> list[str]:
    """`references`, or a problem naming the limit when there are too many."""
    if len(references) > MAX_REFERENCES:
        params.problem("service_request_id", _(
            "Ask for at most %(max)d service_request_id values in one request, not %(n)d; "
            "split the list.") % {"max": MAX_REFERENCES, "n": len(references)})
        return references[:MAX_REFERENCES]
    return references


def page_size_max(params: Parameters) -> int:
    """The largest page this caller may ask for: more with a valid open311 key.
    A key that is not valid is not an error here: the caller is anonymous."""
    raw_key = params.text("api_key")
    if not raw_key:
        return ANONYMOUS_PAGE_SIZE
    try:
        apikey_authenticate(raw_key=raw_key, scope=Scope.OPEN311)
    except DomainError:
        return ANONYMOUS_PAGE_SIZE
    return KEYED_PAGE_SIZE


def page_size(params: Parameters, *, page_max: int) -> int:
    """`page_size` (default: the caller's largest page), or a problem naming the
    limit when it is larger than the caller may ask for."""
    raw = params.text("page_size")
    if raw.isdigit() and page_max < int(raw) <= KEYED_PAGE_SIZE:
        params.problem("page_size", _(
            "Callers without an API key get at most %(max)d requests a page, not %(n)s; "
            "ask for the next page, or send an open311 API key for pages of up to "
            "%(keyed)d.") % {"max": page_max, "n": raw, "keyed": KEYED_PAGE_SIZE})
        return page_max
    return params.whole("page_size", low=1, high=page_max, default=page_max)


def request_token(key: ApiKey, idempotency_key: str, prefix: str) -> str:
    """The token of a request sent with `idempotency_key` by `key`: keyed with
    the server's secret, so nobody can compute the token (and from it learn
    the reference) of a request whose Idempotency-Key they guessed."""
    digest = salted_hmac("imbizo.open311.token", f"{key.pk}:{idempotency_key}",
                         secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()[:40]
    return f"{prefix}{digest}"
