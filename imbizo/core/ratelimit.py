"""Rate limits for public endpoints, counted in a cache shared by every process
(ADR 0008): Django's DatabaseCache by default, Redis when CACHE_URL says so.

A fixed window per scope and client: the first request of a window creates the
counter, each request increments it, and past the limit the view answers 429
with a plain page and Retry-After. Clients are told apart by their address,
kept only as a keyed hash (an IP address is personal data), or by an API key.

Every refusal is announced on `rate_limit_refused(scope=...)` (the metrics
count them). Interfaces with an error format of their own (the REST API,
Open311) call `limit_check`, which raises `RateLimited`, a DomainError
carrying the seconds to wait.
"""

import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.http import Http404
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .errors import DomainError

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_LIMITED = "rate_limited"

# `rate_limit_refused(scope=...)`: sent for every request refused by a limit.
rate_limit_refused = Signal()


class RateLimited(DomainError):
    """Too many requests in `scope`; `retry_after` seconds until the window ends."""

    def __init__(self, *, scope: str, retry_after: int):
        super().__init__(RATE_LIMITED, _(
            "Too many requests: try again in %(seconds)d seconds.") % {"seconds": retry_after})
        self.scope = scope
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def rate_parse(text: str) -> Rate:
    """'20/h', '60/10m', '5/s' -> Rate; ValueError names what is wrong."""
    match = _RATE.match(text or "")
    if not match:
        raise ValueError(f"a rate looks like 20/h or 60/10m, not {text!r}")
    count, multiple, unit = match.groups()
    return Rate(count=int(count), seconds=int(multiple or 1) * _UNIT_SECONDS[unit])


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or with RATE_LIMIT_PROXIES = N trusted
    proxies in front, the address the outermost of them saw (X-Forwarded-For)."""
    proxies = int(getattr(settings, "RATE_LIMIT_PROXIES", 0) or 0)
    if proxies > 0:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")
                     if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _counter(scope: str, client: str, rate: Rate, now: float) -> tuple[str, int]:
    """The cache key of `client`'s counter in `scope` for the window holding `now`."""
    window = int(now // rate.seconds)
    digest = salted_hmac("imbizo.ratelimit", client, algorithm="sha256").hexdigest()[:32]
    return f"rl:{scope}:{window}:{digest}", window


def _cache():
    return caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]


def hit(*, scope: str, client: str, rate: Rate, now: float | None = None) -> int:
    """Count one request of `client` in `scope`; 0 when allowed, else the
    seconds until the window ends (for Retry-After)."""
    now = time.time() if now is None else now
    key, window = _counter(scope, client, rate, now)
    cache = _cache()
    try:
        count = cache.incr(key)  # the common case: the window's counter exists
    except ValueError:
        # First request of the window; if another process just created the
        # counter, count on it.
        try:
            count = 1 if cache.add(key, 1, timeout=rate.seconds + 1) else cache.incr(key)
        except ValueError:
            # The counter expired (or was culled) between add and incr: this
            # request starts the count. A limit never turns into an error page.
            count = 1
    if count <= rate.count:
        return 0
    return max(1, int((window + 1) * rate.seconds - now))


def spent(*, scope: str, client: str, rate: Rate, now: float | None = None) -> int:
    """Like `hit` without counting: 0 while `client` has requests left in the
    window, else the seconds until it ends."""
    now = time.time() if now is None else now
    key, window = _counter(scope, client, rate, now)
    if (_cache().get(key) or 0) < rate.count:
        return 0
    return max(1, int((window + 1) * rate.seconds - now))


def limits_enabled() -> bool:
    return bool(getattr(settings, "RATE_LIMITS_ENABLED", True))


def refused(scope: str) -> None:
    """Announce one refusal (for the metrics)."""
    rate_limit_refused.send(sender=RateLimited, scope=scope)


def limit_check(*, scope: str, client: str) -> None:
    """Count one request of `client` in `scope` by RATE_LIMITS[scope]; raise
    RateLimited past the limit. Does nothing with RATE_LIMITS_ENABLED off."""
    if not limits_enabled():
        return
    retry_after = hit(scope=scope, client=client, rate=rate_parse(settings.RATE_LIMITS[scope]))
    if retry_after:
        refused(scope)
        raise RateLimited(scope=scope, retry_after=retry_after)


def too_many_page(request, retry_after: int):
    """The plain 429 page, with Retry-After."""
    response = render(request, "429.html", {"retry_minutes": max(1, round(retry_after / 60))},
                      status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """View decorator: limit `methods` requests per client by RATE_LIMITS[scope]."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                try:
                    limit_check(scope=scope, client=client_address(request))
                except RateLimited as limited:
                    return too_many_page(request, limited.retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def failures_limited(scope: str):
    """View decorator for sign-in forms: at most RATE_LIMITS[scope] failed POSTs
    per client address. A POST that does not redirect (the form shown again,
    or a lockout page, or a "not found") is a failure; a successful sign-in costs nothing, so
    colleagues behind one address are not slowed by each other's success."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST" or not limits_enabled():
                return view(request, *args, **kwargs)
            rate, client = rate_parse(settings.RATE_LIMITS[scope]), client_address(request)
            retry_after = spent(scope=scope, client=client, rate=rate)
            if retry_after:
                refused(scope)
                return too_many_page(request, retry_after)
            try:
                response = view(request, *args, **kwargs)
            except (Http404, PermissionDenied):
                hit(scope=scope, client=client, rate=rate)  # a probe is a failure too
                raise
            if not 300 <= response.status_code < 400:
                hit(scope=scope, client=client, rate=rate)
            return response

        return wrapped

    return decorate
