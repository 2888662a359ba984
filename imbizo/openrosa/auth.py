"""Who is sending: a field worker by HTTP Basic (user name and password, as
ODK Collect and Enketo send them), or a registered phone by its device token
(`Authorization: Bearer ...`, as Imbizo's field app sends it). ADR 0027 says
why Basic and not Digest, and why a checked password is remembered briefly.

Failed attempts count against the address like the staff sign-in's (the
`login` rate limit) and against the user name (django-axes lockout), so the
door is no easier to guess passwords at than the sign-in page.
"""

import base64
import binascii
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import caches
from django.db.models import Exists, OuterRef
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from imbizo.core.ratelimit import client_address, hit, limits_enabled, rate_parse, refused, spent
from imbizo.field import services as field_services
from imbizo.field.models import FieldAssignment, FieldDevice
from imbizo.org.authorisation import staff_of

REALM = "Imbizo field"
DEFAULT_REMEMBER_SECONDS = 600
FAILURE_SCOPE = "login"


@dataclass(frozen=True)
class Caller:
    worker: object  # the user
    device: FieldDevice | None = None


class Refused(Exception):
    """The request may not go on: `status` (401, 403 or 429) and a message
    the field worker can act on."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


def challenge() -> str:
    """The WWW-Authenticate header of a 401: ODK Collect answers it with Basic."""
    return f'Basic realm="{REALM}", charset="UTF-8"'


def _remember_seconds() -> int:
    return int(getattr(settings, "OPENROSA_PASSWORD_REMEMBER_SECONDS", DEFAULT_REMEMBER_SECONDS))


def _remembered_key(user, password: str) -> str:
    # Keyed with SECRET_KEY over the stored hash too: a new password (a new
    # hash) forgets every remembered check at once, and the cache holds
    # nothing from which a password could be guessed offline.
    digest = salted_hmac("imbizo.openrosa.basic", f"{user.pk}:{user.password}:{password}",
                         algorithm="sha256").hexdigest()
    return f"openrosa:basic:{digest}"


def _cache():
    # The default cache: in-process unless CACHE_URL names a shared one, which
    # costs a worker process one password check per user and window, and no
    # database round trip per request.
    return caches["default"]


def _workers():
    """Users with what decides whether they are field workers, in one query."""
    return (get_user_model()._default_manager.select_related("staff")
            .annotate(assigned=Exists(FieldAssignment.objects.filter(worker=OuterRef("pk")))))


def _failure_check(request) -> None:
    if not limits_enabled():
        return
    rate = rate_parse(settings.RATE_LIMITS[FAILURE_SCOPE])
    retry_after = spent(scope=FAILURE_SCOPE, client=client_address(request), rate=rate)
    if retry_after:
        refused(FAILURE_SCOPE)
        raise Refused(429, _("Too many failed sign-ins from this address: try again in "
                             "%(minutes)d minutes.") % {"minutes": max(1, round(retry_after / 60))},
                      retry_after=retry_after)


def _failed(request, message: str) -> Refused:
    if limits_enabled():
        hit(scope=FAILURE_SCOPE, client=client_address(request),
            rate=rate_parse(settings.RATE_LIMITS[FAILURE_SCOPE]))
    return Refused(401, message)


def _cool_off_seconds() -> int | None:
    hours = getattr(settings, "AXES_COOLOFF_TIME", None)
    return max(1, int(float(hours) * 3600)) if isinstance(hours, int | float) else None


def _basic(request, encoded: str):
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _failed(request, _("The Authorization header cannot be read: send the user "
                                 "name and password with HTTP Basic.")) from None
    username, sep, password = decoded.partition(":")
    if not sep or not username or not password:
        raise _failed(request, _("Send both a user name and a password."))
    user = _workers().filter(username=username).first()
    if user is not None and user.is_active and _cache().get(_remembered_key(user, password)):
        return user
    checked = authenticate(request, username=username, password=password)
    if checked is None or user is None or checked.pk != user.pk:
        if getattr(request, "axes_locked_out", False):
            # Answered here in OpenRosa's words; left set, axes' middleware
            # would replace the answer with the staff sign-in's HTML page.
            request.axes_locked_out = False
            raise Refused(429, _("Too many failed sign-ins for this user: try again later, or "
                                 "ask an administrator to unlock the account."),
                          retry_after=_cool_off_seconds())
        raise _failed(request, _("The user name or password is wrong."))
    _cache().set(_remembered_key(user, password), True, timeout=_remember_seconds())
    return user


def _bearer(request, token: str) -> tuple[object, FieldDevice]:
    device = field_services.device_authenticate(token.strip())
    if device is None:
        raise _failed(request, _("This device's token is not valid (revoked or unknown): "
                                 "register the phone again."))
    return _workers().get(pk=device.worker_id), device


def caller_of(request) -> Caller:
    """The field worker (and device) sending `request`; Refused when there is
    none, the credentials are wrong, or the account may not send field records."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        raise Refused(401, _("Sign in with your field worker user name and password."))
    _failure_check(request)
    scheme, _sep, value = header.partition(" ")
    device = None
    if scheme.lower() == "basic":
        worker = _basic(request, value)
    elif scheme.lower() == "bearer":
        worker, device = _bearer(request, value)
    else:
        raise Refused(401, _("Sign in with HTTP Basic (user name and password) or a device "
                             "token (Bearer), not %(scheme)s.") % {"scheme": scheme[:20]})
    if not is_field_worker(worker):
        raise Refused(403, _("This account may not send field records: ask a supervisor to "
                             "assign you wards."))
    return Caller(worker=worker, device=device)


def is_field_worker(user) -> bool:
    """An active staff member with at least one ward assigned (`user` as
    `_workers` reads it, or any user at the cost of a query)."""
    assigned = getattr(user, "assigned", None)
    if assigned is None:
        assigned = FieldAssignment.objects.filter(worker=user).exists()
    return user.is_active and staff_of(user) is not None and assigned
