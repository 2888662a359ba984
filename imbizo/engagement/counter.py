"""The counter survey's limits (the QR code at an office, answered by anyone).

A standing link cannot be one-use, so the server keeps its own record of who
answered in the last hour, as well as the device cookie a client holds (and
may throw away):

- one answer per device per hour: the cookie, or without one, a keyed hash of
  the address and browser (DomainError TOO_MANY);
- at most COUNTER_SURVEY_ANSWERS_PER_ADDRESS answers per address per office
  per hour, whatever the cookies, when rate limits are on (RateLimited);
- at most COUNTER_FOLLOW_UPS_PER_HOUR follow-up cases per office per hour from
  counter answers; a poor answer past that is held back (`follow_up_held`) and
  shown on the supervisor's feedback page instead of opening a case.

The record (CounterVisit) holds keyed hashes only, never an address, and is
deleted after an hour.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.core.ratelimit import RateLimited, limits_enabled, refused

from .errors import EngagementError
from .models import CounterVisit, Invitation, Response

WINDOW = timedelta(hours=1)
SCOPE = "counter_survey"  # as counted in the rate-limit metrics


@dataclass(frozen=True)
class Visitor:
    """Who is answering, as the web request shows it: the device cookie (may be
    empty), the client address and the browser's User-Agent."""

    device: str = ""
    address: str = ""
    user_agent: str = ""


def _keyed(purpose: str, value: str) -> str:
    return salted_hmac(f"imbizo.counter.{purpose}", value, algorithm="sha256").hexdigest()


def _visits(invitation: Invitation, since: datetime):
    where = {"office_id": invitation.office_id} if invitation.office_id else {
        "invitation": invitation}
    return CounterVisit.objects.filter(at__gt=since, **where)


def counter_answer_admit(*, invitation: Invitation, visitor: Visitor, now: datetime,
                         device_key: str) -> None:
    """Record one counter answer from `visitor`, or raise DomainError TOO_MANY
    (this device answered within the hour) or RateLimited (this address gave
    the office its hour's answers). Caller holds the invitation's row lock.

    `device_key` is the pseudonym of the device cookie ('' without one).
    """
    if not visitor.address:
        return  # not from the web (an import, a test): nothing to tell apart
    since = now - WINDOW
    address_key = _keyed("address", visitor.address)
    browser_key = _keyed("device", f"{visitor.address}\n{visitor.user_agent}")
    visits = _visits(invitation, since)
    if not device_key and visits.filter(device_key=browser_key).exists():
        raise DomainError(EngagementError.TOO_MANY,
                          _("We already have your answers from this device. Thank you!"))
    limit = int(getattr(settings, "COUNTER_SURVEY_ANSWERS_PER_ADDRESS", 10))
    if limits_enabled():
        from_address = list(visits.filter(address_key=address_key)
                            .order_by("at").values_list("at", flat=True)[:limit])
        if len(from_address) >= limit:
            refused(SCOPE)
            raise RateLimited(scope=SCOPE, retry_after=max(
                1, int((from_address[0] + WINDOW - now).total_seconds())))
    CounterVisit.objects.filter(at__lte=since).delete()
    CounterVisit.objects.create(office_id=invitation.office_id, invitation=invitation,
                                address_key=address_key,
                                device_key=device_key or browser_key, at=now)


def follow_up_allowed(*, response: Response, now: datetime) -> bool:
    """False when `response` is a counter answer and its office already had
    COUNTER_FOLLOW_UPS_PER_HOUR follow-ups from counter answers this hour."""
    invitation = response.invitation
    if invitation is None or invitation.source != Invitation.Source.COUNTER:
        return True
    where = {"office_id": response.office_id} if response.office_id else {
        "invitation": invitation}
    opened = Response.objects.filter(
        invitation__source=Invitation.Source.COUNTER, follow_up__isnull=False,
        submitted_at__gt=now - WINDOW, **where).count()
    return opened < int(getattr(settings, "COUNTER_FOLLOW_UPS_PER_HOUR", 3))
