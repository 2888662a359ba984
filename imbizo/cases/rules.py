"""What a valid case is: the rules every way in checks.

Intake (cases.intake, behind every channel) and the import
(cases.bulk_import) check cases with these same objects: the length of a
text, a choice among a model's values, a code that must name something
known, a point on the map, a phone number, an email address; and, for
imported history, an instant, the order of a case's timestamps and its
outcome.

A rule takes a value as given and returns it as it is stored, or raises
Broken saying which way it is wrong (`reason`), which field is at fault
when the rule covers several, and the figures a message needs. The words
are the caller's: intake speaks to the person reporting ("Please describe
the matter."), the import to whoever prepared the file, about one cell
("row 7, column description: the description is empty."). Broken never
leaves a caller: intake turns it into a DomainError, the import into a
RowError. No rule reads the database or the clock.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache, lru_cache
from typing import TypeVar

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from imbizo.catalogue.models import Channel
from imbizo.core.inputs import single_line, text_visible
from imbizo.core.limits import ADDRESS_MAX, LINE_MAX, NAME_MAX, TEXT_MAX

from .models import ClientType, Kind, Outcome, Principle, Priority, StatusChoice
from .transitions import DONE_STATUSES, OPEN_STATUSES, Status

MAX_DESCRIPTION = TEXT_MAX
MAX_TEXT = TEXT_MAX  # the case's other long texts (outcome reason, root cause, redress)

T = TypeVar("T")


class Reason(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_ONE_LINE = "not_one_line"
    NOT_A_CHOICE = "not_a_choice"
    UNKNOWN = "unknown"
    NOT_A_NUMBER = "not_a_number"  # a phone number that cannot be read as one
    INVALID = "invalid"  # a phone number with the wrong digits; an email address
    HALF_POINT = "half_point"  # a latitude without a longitude, or the reverse
    OUT_OF_RANGE = "out_of_range"
    NOT_AN_INSTANT = "not_an_instant"
    NO_OFFSET = "no_offset"
    IN_FUTURE = "in_future"
    # A case's history (the import): its timestamps and outcome.
    MISSING = "missing"
    BEFORE_OPENING = "before_opening"
    CLOSED_BEFORE_RESOLVED = "closed_before_resolved"
    DONE_BEFORE_REOPENED = "done_before_reopened"
    OPEN_YET_DONE = "open_yet_done"
    NO_OUTCOME = "no_outcome"
    OUTCOME_TOO_SOON = "outcome_too_soon"
    NO_REASON = "no_reason"
    NO_REFERRAL = "no_referral"


class Broken(Exception):
    """A value breaks a rule: `reason` says how, `field` where (for rules over several
    fields), `figures` what a message needs."""

    def __init__(self, reason: Reason, field: str | None = None, **figures):
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.figures = figures


# --- single values --------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Text of at most `limit` characters; `required`: not empty; `one_line`: no line
    break (a name that goes into an email's greeting). Give it stripped. A text of only
    invisible characters (zero-width spaces) counts as empty (core.inputs)."""

    limit: int
    required: bool = False
    one_line: bool = False

    def check(self, text: str) -> str:
        if len(text) > self.limit:
            raise Broken(Reason.TOO_LONG, n=len(text), max=self.limit)
        if text and not text_visible(text):
            text = ""
        if self.required and not text:
            raise Broken(Reason.EMPTY)
        if self.one_line and not single_line(text):
            raise Broken(Reason.NOT_ONE_LINE)
        return text


DESCRIPTION = Text(MAX_DESCRIPTION, required=True)
PUBLIC_DESCRIPTION = Text(MAX_DESCRIPTION)  # may be empty: nothing is published
ADDRESS = Text(ADDRESS_MAX)
CITIZEN_NAME = Text(NAME_MAX, one_line=True)
OUTCOME_REASON = Text(MAX_TEXT)
REFERRED_TO = Text(LINE_MAX)
ROOT_CAUSE = Text(MAX_TEXT)
REDRESS = Text(MAX_TEXT)


class Choice:
    """One of the values of `choices` (a model's TextChoices)."""

    def __init__(self, choices):
        self.values = frozenset(choices.values)
        self.allowed = ", ".join(choices.values)

    def check(self, value: str) -> str:
        try:
            if value in self.values:
                return value
        except TypeError:  # unhashable (a list from JSON): not one of them
            pass
        raise Broken(Reason.NOT_A_CHOICE, value=value, allowed=self.allowed)


CHANNEL = Choice(Channel)
KIND = Choice(Kind)
PRIORITY = Choice(Priority)
CLIENT_TYPE = Choice(ClientType)
PRINCIPLE = Choice(Principle)
STATUS = Choice(StatusChoice)
OUTCOME = Choice(Outcome)


def known(code: str, things: Mapping[str, T]) -> T:
    """What `code` names among `things` (services, wards, offices by code)."""
    thing = things.get(code)
    if thing is None:
        raise Broken(Reason.UNKNOWN if code else Reason.EMPTY, code=code)
    return thing


LATITUDE = (-90, 90)
LONGITUDE = (-180, 180)


def point(lat: float | None, lon: float | None) -> None:
    """A point has both coordinates or neither, each within its range (NaN is not)."""
    if (lat is None) != (lon is None):
        raise Broken(Reason.HALF_POINT, "lon" if lat is not None else "lat")
    if lat is None:
        return
    for field, value, (low, high) in (("lat", lat, LATITUDE), ("lon", lon, LONGITUDE)):
        if not low <= value <= high:
            raise Broken(Reason.OUT_OF_RANGE, field, low=low, high=high)


# --- contact details ------------------------------------------------------------------------


def phone_e164(raw: str, *, region: str) -> str:
    """The E.164 form of a phone number as people write it ('082 123 4567' in `region`,
    '+27821234567'); Broken NOT_A_NUMBER or INVALID when it is not a valid number.

    The answer is phonenumbers' (parse, is_valid_number, format_number). Numbers
    already in international form take a faster check of the same patterns
    (_international); tests/bulk/test_import_phone.py compares the two."""
    answer = _phone(raw, region)
    if isinstance(answer, Reason):
        raise Broken(answer, "citizen_phone")
    return answer


@lru_cache(maxsize=4096)  # callers call again: a few numbers recur often
def _phone(raw: str, region: str) -> str | Reason:
    if _international(raw):
        return raw
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return Reason.NOT_A_NUMBER
    if not phonenumbers.is_valid_number(number):
        return Reason.INVALID
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _international(raw: str) -> bool:
    """Whether `raw` is a valid number already in E.164 form, without parsing free text.
    False sends it to the library, which has the last word (and its reasons)."""
    if not (raw.startswith("+") and raw[1:].isdigit() and len(raw) <= 16):
        return False
    for length in (1, 2, 3):
        code = int(raw[1:1 + length])
        rest = raw[1 + length:]
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE and rest and rest[0] != "0":
            valid = _national_check(code)
            if valid is not None:
                return valid(rest)
            number = phonenumbers.PhoneNumber(country_code=code, national_number=int(rest))
            return phonenumbers.is_valid_number(number)
    return False


# The number types phonenumbers tries, in its order (phonenumberutil._number_type_helper).
_NUMBER_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
                 "uan", "voicemail", "fixed_line")


@cache  # one per country calling code, at most a few hundred
def _national_check(code: int) -> Callable[[str], bool] | None:
    """phonenumbers.is_valid_number for the national significant numbers of `code`, with
    its patterns compiled once: is_valid_number compiles (through re's small cache) and
    tries up to a dozen patterns per call, ~14 µs. None where `code` has several regions
    or none (the library then finds the region from the number)."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
    if len(regions) != 1 or regions[0] == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
        return None
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(regions[0])
    if metadata is None:
        return None

    def fits(number_desc, length: int) -> bool:
        # A desc with no pattern matches nothing; one with no lengths, any length.
        return bool(number_desc is not None and number_desc.national_number_pattern
                    and (not number_desc.possible_length or length in number_desc.possible_length))

    types = [getattr(metadata, name) for name in _NUMBER_TYPES]
    if not metadata.same_mobile_and_fixed_line_pattern:
        types.append(metadata.mobile)
    general = metadata.general_desc
    # Per length: the general pattern, and the types' patterns as one alternation
    # (fullmatch tries every branch, so it matches when any one type does).
    by_length: dict[int, tuple[re.Pattern, re.Pattern]] = {}
    for length in range(1, 18):
        kinds = [t.national_number_pattern for t in types if fits(t, length)]
        if fits(general, length) and kinds:
            by_length[length] = (re.compile(general.national_number_pattern),
                                 re.compile("|".join(f"(?:{k})" for k in kinds)))

    def valid(nsn: str) -> bool:
        # Valid: the general pattern and that of at least one type (the type is not UNKNOWN).
        patterns = by_length.get(len(nsn))
        return bool(patterns and patterns[0].fullmatch(nsn) and patterns[1].fullmatch(nsn))

    return valid


class _Email(EmailValidator):
    """Django's email check (validate_email), remembering which domains passed: the check
    of a domain is the same every time, and people share a few."""

    limit = 254  # the model field's length

    def __init__(self):
        super().__init__()
        self._domains: dict[str, bool] = {}

    def check(self, text: str) -> str:
        if len(text) > self.limit:
            raise Broken(Reason.TOO_LONG, n=len(text), max=self.limit)
        try:
            self(text)
        except ValidationError as exc:
            raise Broken(Reason.INVALID) from exc
        return text

    def validate_domain_part(self, domain_part):
        answer = self._domains.get(domain_part)
        if answer is None:
            answer = super().validate_domain_part(domain_part)
            if len(self._domains) < 10_000:
                self._domains[domain_part] = answer
        return answer


EMAIL = _Email()


# --- a case's history (the import; live cases move through cases.transitions) --------------


TIMESTAMPS = ("opened_at", "acknowledged_at", "assigned_at", "started_at", "waiting_since",
              "resolved_at", "closed_at", "reopened_at")

# The timestamp each status needs: the moment the case reached it.
STATUS_TIMESTAMP = {
    Status.RECEIVED: None,
    Status.ACKNOWLEDGED: "acknowledged_at",
    Status.ASSIGNED: "assigned_at",
    Status.IN_PROGRESS: "started_at",
    Status.WAITING_CITIZEN: "waiting_since",
    Status.WAITING_THIRD_PARTY: "waiting_since",
    Status.RESOLVED: "resolved_at",
    Status.CLOSED: "closed_at",
    Status.REOPENED: "reopened_at",
}


def instant(text: str, *, now: datetime) -> datetime:
    """A date and time with its UTC offset (ISO 8601), not after `now`."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Broken(Reason.NOT_AN_INSTANT, value=text) from None
    if value.tzinfo is None:
        raise Broken(Reason.NO_OFFSET, value=text)
    if value > now:
        raise Broken(Reason.IN_FUTURE, value=text)
    return value


def timeline(status: str, stamps: dict[str, datetime | None]) -> None:
    """The timestamps of a case in `status` (those of TIMESTAMPS, None where not given) in an
    order the transitions could have left."""
    opened = stamps["opened_at"]
    if opened is None:
        raise Broken(Reason.MISSING, "opened_at")
    for name, value in stamps.items():
        if value is not None and value < opened:
            raise Broken(Reason.BEFORE_OPENING, name, opened=opened)
    needed = STATUS_TIMESTAMP.get(status)
    if needed and stamps[needed] is None:
        raise Broken(Reason.MISSING, needed, status=status)
    resolved, closed, reopened = stamps["resolved_at"], stamps["closed_at"], stamps["reopened_at"]
    if resolved and closed and closed < resolved:
        raise Broken(Reason.CLOSED_BEFORE_RESOLVED, "closed_at")
    if reopened and status in DONE_STATUSES and stamps[needed] < reopened:
        raise Broken(Reason.DONE_BEFORE_REOPENED, needed, status=status, reopened=reopened)
    if status in OPEN_STATUSES:
        for name in ("resolved_at", "closed_at"):
            if stamps[name] and not (reopened and reopened >= stamps[name]):
                raise Broken(Reason.OPEN_YET_DONE, name, status=status)
    # acknowledged_at is left as given: acknowledging is a person's act, which
    # assigning, starting or waiting does not imply.


def outcome(status: str, given: str, *, reason: str, referred_to: str) -> str:
    """A resolved or closed case has an outcome ('not fixed' with a reason, 'referred'
    with the body), an open one none yet."""
    if status in DONE_STATUSES:
        if not given:
            raise Broken(Reason.NO_OUTCOME, "outcome", status=status,
                         allowed=", ".join(Outcome.values))
        OUTCOME.check(given)
        if given == Outcome.NOT_FIXED and not reason:
            raise Broken(Reason.NO_REASON, "outcome_reason")
        if given == Outcome.REFERRED and not referred_to:
            raise Broken(Reason.NO_REFERRAL, "referred_to")
    elif given:
        raise Broken(Reason.OUTCOME_TOO_SOON, "outcome", status=status)
    return given
