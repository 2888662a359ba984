"""Working-time arithmetic: deadlines that respect working hours, weekends,
public holidays and institution closures.

Pure functions over a frozen `WorkingCalendar`: no Django, no ORM, no reading
of the current time. Every input instant must be timezone-aware; every
instant returned is in the calendar's zone.

Working hours are wall-clock times in the calendar's zone. A period runs from
the first instant the local clock reads its start (or later) to the first
instant it reads its end (or later), so the arithmetic, done in UTC, stays
right in zones that change their clocks: a period across a forward jump is
shorter, one across a backward jump is longer, and a wall time the clock
skips counts from the moment of the jump.

Cost: adding or measuring time walks working periods a day at a time (never
minute by minute), so it is proportional to the calendar days spanned.
"""

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cached_property, lru_cache
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

Period = tuple[time, time]
WeekHours = tuple[tuple[Period, ...], ...]
Unit = Literal["working_hours", "working_days", "calendar_hours", "calendar_days"]
UNITS: tuple[str, ...] = get_args(Unit)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_HOURS: WeekHours = (
    ((time(8, 0), time(16, 30)),),  # Monday
    ((time(8, 0), time(16, 30)),),
    ((time(8, 0), time(16, 30)),),
    ((time(8, 0), time(16, 30)),),  # Thursday
    ((time(8, 0), time(16, 0)),),  # Friday
    (),  # Saturday
    (),  # Sunday
)
# Case clocks run a few years either side of today; outside these years the
# calendar knows no public holidays, so widen it before 2040 comes.
DEFAULT_YEARS = range(2015, 2041)
# A calendar with no working day in ten years is misconfigured; searching on
# would never end.
MAX_CLOSED_RUN_DAYS = 3660

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta()
_SECOND = timedelta(seconds=1)
_MINUTE = timedelta(minutes=1)

Span = tuple[datetime, datetime]  # a working period as UTC instants, start < end


@dataclass(frozen=True)
class WorkingCalendar:
    """When an institution works.

    `hours` has seven entries, Monday to Sunday; each is a tuple of sorted,
    non-overlapping (start, end) periods with start < end, as naive wall-clock
    times in `tz`; an empty tuple is a closed day. `closed_dates` (public
    holidays and institution closures) are dates in `tz` on which nothing is
    worked. At least one period in the week is required.

    Raises ValueError naming the problem when any of this does not hold.
    """

    tz: ZoneInfo
    hours: WeekHours = DEFAULT_HOURS
    closed_dates: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.tz, tzinfo):
            raise ValueError(f"tz must be a time zone (zoneinfo.ZoneInfo), got {self.tz!r}.")
        if not isinstance(self.hours, tuple) or len(self.hours) != 7:
            raise ValueError(
                f"hours needs a tuple of 7 weekdays (Monday to Sunday), got {self.hours!r}."
            )
        for weekday, periods in zip(WEEKDAYS, self.hours, strict=True):
            _check_day(weekday, periods)
        if not any(self.hours):
            raise ValueError("The calendar has no working hours on any weekday.")
        # A set would make the calendar unhashable, and a datetime never equals
        # a date, so such a closure would be silently ignored.
        if not isinstance(self.closed_dates, frozenset):
            raise ValueError(
                f"closed_dates must be a frozenset of dates, got {type(self.closed_dates).__name__}."
            )
        for day in self.closed_dates:
            if not isinstance(day, date) or isinstance(day, datetime):
                raise ValueError(f"closed_dates must hold dates only, got {day!r}.")

    def periods_on(self, day: date) -> tuple[Span, ...]:
        """The working periods of `day` as UTC instants; none on a closed day."""
        return _periods_on(self, day)

    # The hash a frozen dataclass has (of its fields), worked out once: every lookup of a
    # date's periods hashes the calendar, and a large import looks up millions.
    @cached_property
    def _hash(self) -> int:
        return hash((self.tz, self.hours, self.closed_dates))

    def __hash__(self) -> int:
        return self._hash

    def __getstate__(self) -> dict:
        # Not the hash: the zone's is its identity, which another process does not share.
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}


def _check_day(weekday: str, periods: object) -> None:
    if not isinstance(periods, tuple):
        raise ValueError(f"{weekday}: working periods must be a tuple, got {periods!r}.")
    previous_end: time | None = None
    for period in periods:
        if not (
            isinstance(period, tuple)
            and len(period) == 2
            and all(isinstance(t, time) and t.tzinfo is None for t in period)
        ):
            raise ValueError(
                f"{weekday}: a working period must be a (start, end) pair of naive times, "
                f"got {period!r}."
            )
        start, end = period
        if not start < end:
            raise ValueError(
                f"{weekday}: a working period must start before it ends "
                f"({start:%H:%M}-{end:%H:%M})."
            )
        if previous_end is not None and start < previous_end:
            raise ValueError(f"{weekday}: working periods overlap or are out of order.")
        previous_end = end


def public_holiday_calendar(
    *,
    country: str,
    tz_name: str,
    holiday_subdivision: str = "",
    hours: WeekHours | None = None,
    closures: Iterable[date] = (),
    years: Iterable[int] | None = None,
) -> WorkingCalendar:
    """A calendar closed on the public holidays of `country` and on `closures`.

    `country` is an ISO 3166 code ("ZA", "KE") and `holiday_subdivision` one
    of its subdivisions in the `holidays` package, or "" for the national
    holidays alone. Holidays come from that package for `years` (default
    DEFAULT_YEARS), with the days off it lists as "(observed)" (in South
    Africa, the Monday after a holiday on a Sunday, Public Holidays Act
    s2(1)) and one-off days declared by government. `hours` defaults to
    DEFAULT_HOURS (Monday to Thursday 08:00-16:30, Friday 08:00-16:00).
    Raises ValueError for an unknown `tz_name`, country or subdivision, or
    invalid hours or closures.
    """
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError(f"Unknown time zone {tz_name!r}.") from err
    public = _public_holidays(
        country, holiday_subdivision,
        tuple(sorted(set(DEFAULT_YEARS if years is None else years))),
    )
    return WorkingCalendar(
        tz=tz,
        hours=DEFAULT_HOURS if hours is None else hours,
        closed_dates=public | frozenset(closures),
    )


# Holiday dates do not depend on the zone, so the country and years alone are
# the key; building them takes milliseconds and callers rebuild calendars often.
@lru_cache(maxsize=8)
def _public_holidays(country: str, subdivision: str, years: tuple[int, ...]) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(country, subdiv=subdivision or None,
                                                   years=years))
    except NotImplementedError as err:
        raise ValueError(
            f"No public holidays known for country {country!r}"
            f"{f' and subdivision {subdivision!r}' if subdivision else ''}."
        ) from err


# --- instants ----------------------------------------------------------------


def _require_aware(at: datetime, name: str) -> datetime:
    """`at` as a UTC instant; ValueError if it is naive."""
    if not isinstance(at, datetime):
        raise ValueError(f"{name} must be a datetime, got {at!r}.")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {at!r}.")
    return at.astimezone(UTC)


def _local_date(cal: WorkingCalendar, at_utc: datetime) -> date:
    # Through UTC so that a wall time the zone skips is read as the clock shows it.
    return at_utc.astimezone(cal.tz).date()


def _first_instant_reading(tz: tzinfo, wall: datetime) -> datetime:
    """The first UTC instant at which the clock in `tz` reads naive `wall` or later.

    For a wall time that exists this is its earlier occurrence (fold=0); for
    one skipped by a forward jump, it is the instant of the jump.
    """
    instant = wall.replace(tzinfo=tz).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall:
        return instant
    # In a gap the two folds use the offsets either side of the jump, so they
    # land either side of it; transitions fall on whole seconds.
    other = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    before = math.floor(min(instant, other).timestamp())
    after = math.ceil(max(instant, other).timestamp())
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, tz).replace(tzinfo=None) >= wall:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


@lru_cache(maxsize=8192)
def _periods_on(cal: WorkingCalendar, day: date) -> tuple[Span, ...]:
    if day in cal.closed_dates:
        return ()
    spans = (
        (
            _first_instant_reading(cal.tz, datetime.combine(day, start)),
            _first_instant_reading(cal.tz, datetime.combine(day, end)),
        )
        for start, end in cal.hours[day.weekday()]
    )
    # A period wholly inside a skipped stretch of wall time lasts no time at all.
    return tuple((start, end) for start, end in spans if start < end)


def _working_dates_from(cal: WorkingCalendar, day: date) -> Iterator[date]:
    """Working dates from `day` on, in order; ValueError after a closed decade."""
    closed_run = 0
    while True:
        if _periods_on(cal, day):
            closed_run = 0
            yield day
        else:
            closed_run += 1
            if closed_run > MAX_CLOSED_RUN_DAYS:
                raise ValueError(
                    f"No working time in the {MAX_CLOSED_RUN_DAYS} days before "
                    f"{day.isoformat()}: check the working hours and closures."
                )
        day += _ONE_DAY


def _spans_from(cal: WorkingCalendar, at_utc: datetime) -> Iterator[Span]:
    """Working periods (UTC) that end after `at_utc`, in order, clipped to start no earlier."""
    # From the day before: a backward jump of the clock across midnight can
    # leave an instant dated a day earlier than a period that contains it.
    for day in _working_dates_from(cal, _local_date(cal, at_utc) - _ONE_DAY):
        for start, end in _periods_on(cal, day):
            if end > at_utc:
                yield max(start, at_utc), end


def next_working_instant(cal: WorkingCalendar, at: datetime) -> datetime:
    """`at` itself if it is working time, else the start of the next working period.

    `at` must be aware (ValueError otherwise).
    """
    at_utc = _require_aware(at, "at")
    start, _ = next(_spans_from(cal, at_utc))
    return start.astimezone(cal.tz)


def is_working_instant(cal: WorkingCalendar, at: datetime) -> bool:
    """Whether `at` lies in a working period (start included, end excluded).

    `at` must be aware (ValueError otherwise).
    """
    at_utc = _require_aware(at, "at")
    day = _local_date(cal, at_utc)
    return any(
        start <= at_utc < end
        for candidate in (day - _ONE_DAY, day)
        for start, end in _periods_on(cal, candidate)
    )


# --- working minutes ---------------------------------------------------------


def add_working_minutes(cal: WorkingCalendar, start: datetime, minutes: int) -> datetime:
    """The instant at which exactly `minutes` of working time have passed since `start`.

    `start` must be aware and `minutes` a whole number >= 0 (ValueError
    otherwise). When the time runs out exactly at the end of a period, the
    result is that period's end, not the next period's start. With 0 minutes
    the result is the next working instant (`start` itself during working
    time). The result is in the calendar's zone.
    """
    start_utc = _require_aware(start, "start")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValueError(f"minutes must be a whole number, got {minutes!r}.")
    if minutes < 0:
        raise ValueError(f"minutes must be 0 or more, got {minutes}.")
    remaining = minutes * _MINUTE
    for period_start, period_end in _spans_from(cal, start_utc):
        available = period_end - period_start
        if remaining <= available:
            return (period_start + remaining).astimezone(cal.tz)
        remaining -= available
    raise AssertionError("unreachable: _spans_from never ends, or raises")


def working_time_between(cal: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    """The working time from `start` to `end`; zero when `end` is not after `start`.

    Both must be aware (ValueError otherwise).
    """
    start_utc = _require_aware(start, "start")
    end_utc = _require_aware(end, "end")
    total = _ZERO
    if end_utc <= start_utc:
        return total
    day, last = _local_date(cal, start_utc) - _ONE_DAY, _local_date(cal, end_utc)
    while day <= last:
        for period_start, period_end in _periods_on(cal, day):
            overlap = min(period_end, end_utc) - max(period_start, start_utc)
            if overlap > _ZERO:
                total += overlap
        day += _ONE_DAY
    return total


def working_seconds_between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Whole working seconds from `start` to `end` (rounded down; 0 if `end` <= `start`)."""
    return working_time_between(cal, start, end) // _SECOND


def working_minutes_between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Whole working minutes from `start` to `end` (rounded down; 0 if `end` <= `start`)."""
    return working_time_between(cal, start, end) // _MINUTE


# --- working days ------------------------------------------------------------


def is_working_date(cal: WorkingCalendar, day: date) -> bool:
    """Whether `day` (a date in the calendar's zone) has working hours and is not closed."""
    return bool(_periods_on(cal, day))


def close_of_business(cal: WorkingCalendar, day: date) -> datetime:
    """The end of the last working period of `day`, in the calendar's zone.

    ValueError if `day` is not a working date.
    """
    periods = _periods_on(cal, day)
    if not periods:
        raise ValueError(f"{day.isoformat()} is not a working day.")
    return periods[-1][1].astimezone(cal.tz)


def add_working_days(cal: WorkingCalendar, start: datetime, days: int) -> datetime:
    """Close of business on the `days`-th working date after the date of `start`.

    Working dates are dates in the calendar's zone that have working hours and
    are not closed; the date of `start` itself is never counted. A report made
    on Monday "within 5 working days" (no holidays) is due at close of business
    the next Monday; one made on Saturday, at close of business on Friday.

    With 0 days: close of business on the date of `start` if that is a working
    date and `start` is before its close, else that of the next working date.

    `start` must be aware and `days` a whole number >= 0 (ValueError otherwise).
    """
    start_utc = _require_aware(start, "start")
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValueError(f"days must be a whole number, got {days!r}.")
    if days < 0:
        raise ValueError(f"days must be 0 or more, got {days}.")
    today = _local_date(cal, start_utc)
    if days == 0:
        if is_working_date(cal, today) and start_utc < close_of_business(cal, today):
            return close_of_business(cal, today)
        days = 1
    for counted, day in enumerate(_working_dates_from(cal, today + _ONE_DAY), start=1):
        if counted == days:
            return close_of_business(cal, day)
    raise AssertionError("unreachable: _working_dates_from never ends, or raises")


def working_days_between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    """The working dates after the date of `start`, up to and including the date of `end`.

    Dates are in the calendar's zone; 0 when `end`'s date is not after
    `start`'s. Both must be aware (ValueError otherwise).
    """
    day = _local_date(cal, _require_aware(start, "start"))
    last = _local_date(cal, _require_aware(end, "end"))
    count = 0
    while day < last:
        day += _ONE_DAY
        count += is_working_date(cal, day)
    return count


# --- targets -----------------------------------------------------------------

_UNIT_WORDS: dict[str, tuple[str, str]] = {
    "working_hours": ("working hour", "working hours"),
    "working_days": ("working day", "working days"),
    "calendar_hours": ("hour", "hours"),
    "calendar_days": ("day", "days"),
}


@dataclass(frozen=True)
class Target:
    """A promised duration, e.g. 5 working days.

    `amount` is a whole number >= 0 and `unit` one of UNITS (ValueError
    otherwise).
    """

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"A target amount must be a whole number, got {self.amount!r}.")
        if self.amount < 0:
            raise ValueError(f"A target cannot be negative ({self.amount}).")
        if self.unit not in UNITS:
            raise ValueError(f"Unknown target unit {self.unit!r}; expected one of {', '.join(UNITS)}.")

    def due_from(self, cal: WorkingCalendar, start: datetime) -> datetime:
        """When this target falls due for something that started at `start` (aware).

        Working hours: `add_working_minutes`. Working days: `add_working_days`.
        Calendar hours: that many elapsed hours. Calendar days: the same
        wall-clock time that many dates later in the calendar's zone (the first
        instant the clock reads it, if the clock skips it that day).
        """
        start_utc = _require_aware(start, "start")
        if self.unit == "working_hours":
            return add_working_minutes(cal, start, self.amount * 60)
        if self.unit == "working_days":
            return add_working_days(cal, start, self.amount)
        if self.unit == "calendar_hours":
            return (start_utc + timedelta(hours=self.amount)).astimezone(cal.tz)
        wall = start_utc.astimezone(cal.tz).replace(tzinfo=None) + timedelta(days=self.amount)
        return _first_instant_reading(cal.tz, wall).astimezone(cal.tz)

    def describe(self) -> str:
        """Plain English, e.g. "1 working day", "4 working hours"; callers translate."""
        singular, plural = _UNIT_WORDS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"
