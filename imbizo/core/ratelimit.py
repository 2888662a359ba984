"""Rate limits for public endpoints, counted in a cache shared by every process
(ADR 0008): Django's DatabaseCache by default, Redis when CACHE_URL says so.

A fixed window per scope and client: the first request of a window creates the
counter, each request increments it, and past the limit the view answers 429
with a plain page and Retry-After. Clients are told apart by their address,
kept only as a keyed hash (an IP address is personal data).
"""

import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils.crypto import salted_hmac

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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


def hit(*, scope: str, client: str, rate: Rate, now: float | None = None) -> int:
    """Count one request of `client` in `scope`; 0 when allowed, else the
    seconds until the window ends (for Retry-After)."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    digest = salted_hmac("imbizo.ratelimit", client, algorithm="sha256").hexdigest()[:32]
    key = f"rl:{scope}:{window}:{digest}"
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    try:
        count = cache.incr(key)  # the common case: the window's counter exists
    except ValueError:
        # First request of the window; if another process just created the
        # counter, count on it.
        count = 1 if cache.add(key, 1, timeout=rate.seconds + 1) else cache.incr(key)
    if count <= rate.count:
        return 0
    return max(1, int((window + 1) * rate.seconds - now))


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """View decorator: limit `methods` requests per client by RATE_LIMITS[scope]."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(settings, "RATE_LIMITS_ENABLED", True) and request.method in methods:
                rate = rate_parse(settings.RATE_LIMITS[scope])
                retry_after = hit(scope=scope, client=client_address(request), rate=rate)
                if retry_after:
                    response = render(request, "429.html", {"retry_minutes": max(
                        1, round(retry_after / 60))}, status=429)
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
