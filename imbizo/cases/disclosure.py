"""What of a case the public may see: one rule for every public interface.

Names, phone numbers and email addresses are never public. Beyond that a case
is either *public* (a request about a place, from a member of the public who
did not ask for anonymity, for a service that is the same for everyone) or
*private* (anonymous, a complaint, compliment, enquiry or suggestion, a
colleague's request, a service shaped to one client, or a report its citizen
asked to keep private). A public case shows its public description (never
the private one staff wrote at intake: docs/adr/0017), address, exact point
and linked media, with contact details in the citizen's own words masked.
A private case shows no more than the tracking page does: its service,
status, dates and ward; where a point is expected, the ward's centre stands
in for it. Private cases are not listed in open data; they are found only by
their reference. See docs/adr/0011.
"""

import re
from dataclasses import dataclass

import phonenumbers
from django.db.models import Q

from imbizo.catalogue.models import Offering
from imbizo.org.selectors import institution_country

from .models import ClientType, Kind

MASK = "[removed]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT = re.compile(r"\d")  # no phone number without a digit: the matcher is slow


@dataclass(frozen=True)
class Disclosure:
    """What of one case may be published."""

    listed: bool  # may appear in public lists and feeds
    exact_location: bool  # point and address as given; otherwise the ward's centre
    description: bool  # the citizen's words (contact details masked)
    media: bool  # links to photos the citizen sent

    @property
    def private(self) -> bool:
        return not self.listed


PUBLIC = Disclosure(listed=True, exact_location=True, description=True, media=True)
PRIVATE = Disclosure(listed=False, exact_location=False, description=False, media=False)


def disclosure_of(*, kind: str, anonymous: bool, client_type: str, offering: str,
                  kept_private: bool = False) -> Disclosure:
    """The disclosure of a case with these properties (pure; mirrored by PUBLIC_CASES)."""
    public = (
        kind == Kind.REQUEST
        and not anonymous
        and not kept_private
        and client_type == ClientType.EXTERNAL
        and offering == Offering.STANDARD
    )
    return PUBLIC if public else PRIVATE


def case_disclosure(case) -> Disclosure:
    """The disclosure of `case` (its service loaded)."""
    return disclosure_of(kind=case.kind, anonymous=case.anonymous, client_type=case.client_type,
                         offering=case.service.offering, kept_private=case.kept_private)


def public_text(case) -> str | None:
    """The description the public may read: the case's public text with contact
    details masked, or None when the case publishes none."""
    if not case_disclosure(case).description or not case.public_description:
        return None
    return contact_details_masked(case.public_description)


# The same rule as a filter on Case, for lists; a test checks that the two agree.
PUBLIC_CASES = Q(
    kind=Kind.REQUEST, anonymous=False, kept_private=False, client_type=ClientType.EXTERNAL,
    service__offering=Offering.STANDARD,
)


def contact_details_masked(text: str, *, region: str | None = None, email_mask: str = MASK,
                           phone_mask: str = MASK) -> str:
    """`text` with email addresses and phone numbers replaced by MASK: the one
    rule for personal data in text that leaves the institution (public pages,
    Open311, the REST API's public history, exports without personal data).

    Numbers without a country code are found as `region` (ISO 3166) writes
    them, by default the institution's country.

    Citizens write their number into descriptions ("call me on 082 ..."); a
    published text never carries it. A phone number is what phonenumbers
    finds valid (for `region`, or with its country code), so dates, meter
    readings and house numbers stay. The export labels what it removed
    (`email_mask`, `phone_mask`: docs/import-export.md); everyone else shows
    MASK (docs/open311.md).
    """
    if not text:
        return text
    if "@" in text:
        text = _EMAIL.sub(email_mask, text)
    if _DIGIT.search(text):
        spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
            text, region or institution_country().code, leniency=phonenumbers.Leniency.VALID)]
        for start, end in reversed(spans):
            text = text[:start] + phone_mask + text[end:]
    return text
