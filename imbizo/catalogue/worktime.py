"""Working-time arithmetic: deadlines that respect working hours, weekends,
public holidays and institution closures.

Pure functions over a frozen `WorkingCalendar`: no ORM, no reading of the
current time. All arithmetic happens in UTC so that it stays right on days
when a zone changes its clocks; results are returned in the calendar's zone.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

Period = tuple[time, time]
Unit = Literal["working_hours", "working_days", "calendar_hours", "calendar_days"]

DEFAULT_HOURS: tuple[tuple[Period, ...], ...] = (
    ((time(8, 0), time(16, 30)),),  # Monday
    ((time(8, 0), time(16, 30)),),
    ((time(8, 0), time(16, 30)),),
    ((time(8, 0), time(16, 30)),),  # Thursday
    ((time(8, 0), time(16, 0)),),  # Friday
    (),  # Saturday
    (),  # Sunday
)
DEFAULT_YEARS = range(2015, 2041)
# A calendar can close for long stretches; past this we call it a configuration error.
_MAX_DAYS_SEARCHED = 3660
_SECOND = timedelta(seconds=1)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class WorkingCalendar:
    """When an institution works.

    `hours` has seven entries, Monday to Sunday, each a tuple of sorted,
    non-overlapping (start, end) periods; an empty tuple is a closed day.
    `closed_dates` are public holidays and closures, in the calendar's zone.
    """

    tz: ZoneInfo
    hours: tuple[tuple[Period, ...], ...] = DEFAULT_HOURS
    closed_dates: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if len(self.hours) != 7:
            raise ValueError(f"hours needs 7 weekdays (Monday to Sunday), got {len(self.hours)}.")
        for weekday, periods in enumerate(self.hours):
            previous_end: time | None = None
            for start, end in periods:
                if not start < end:
                    raise ValueError(
                        f"weekday {weekday}: a working period must start before it ends "
                        f"({start:%H:%M}-{end:%H:%M})."
                    )
                if previous_end is not None and start < previous_end:
                    raise ValueError(
                        f"weekday {weekday}: working periods overlap or are out of order."
                    )
                previous_end = end
        if not any(self.hours):
            raise ValueError("The calendar has no working hours in any weekday.")

    def periods_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working periods of `day` as UTC instants (none on closed days)."""
        return _periods_on(self, day)


@lru_cache(maxsize=4096)
def _periods_on(cal: WorkingCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
    if day in cal.closed_dates:
        return ()
    return tuple(
        (
            datetime.combine(day, start, tzinfo=cal.tz).astimezone(UTC),
            datetime.combine(day, end, tzinfo=cal.tz).astimezone(UTC),
        )
        for start, end in cal.hours[day.weekday()]
    )


def south_african_calendar(
    *,
    tz_name: str = "Africa/Johannesburg",
    hours: tuple[tuple[Period, ...], ...] | None = None,
    closures: tuple[date, ...] | frozenset[date] = (),
    years: range | None = None,
) -> WorkingCalendar:
    """A calendar closed on South African public holidays (with the Monday off
    when a holiday falls on a Sunday) and on the institution's `closures`."""
    public = _za_holidays(tuple(years or DEFAULT_YEARS))
    return WorkingCalendar(
        tz=ZoneInfo(tz_name),
        hours=hours or DEFAULT_HOURS,
        closed_dates=public | frozenset(closures),
    )


@lru_cache(maxsize=8)
def _za_holidays(years: tuple[int, ...]) -> frozenset[date]:
    # The package lists the observed Monday for Sunday holidays ("(observed)").
    return frozenset(holidays.country_holidays("ZA", years=years))


def _require_aware(at: datetime, name: str = "instant") -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"The {name} must be timezone-aware, got {at!r}.")


def _local_date(cal: WorkingCalendar, at: datetime) -> date:
    return at.astimezone(cal.tz).date()


def _periods_from(cal: WorkingCalendar, at: datetime):
    """Working periods (UTC) that end after `at`, in order, clipped to start at `at`."""
    day = _local_date(cal, at)
    for _ in range(_MAX_DAYS_SEARCHED):
        for start, end in _periods_on(cal, day):
            if end > at:
                yield max(start, at), end
        day += timedelta(days=1)
    raise ValueError(
        f"No working time in the {_MAX_DAYS_SEARCHED} days after {at.isoformat()}: "
        "check the working hours and closures."
    )


def next_working_instant(cal: WorkingCalendar, at: datetime) -> datetime:
    """`at` itself if it is working time, else the start of the next working period."""
    _require_aware(at)
    start, _ = next(_periods_from(cal, at.astimezone(UTC)))
    return start.astimezone(cal.tz)


def is_working_instant(cal: WorkingCalendar, at: datetime) -> bool:
    _require_aware(at)
    at_utc = at.astimezone(UTC)
    return any(start <= at_utc < end for start, end in _periods_on(cal, _local_date(cal, at)))


def add_working_minutes(cal: WorkingCalendar, start: datetime, minutes: int) -> datetime:
    """The instant at which `minutes` of working time have passed since `start`.

    A result that uses up a period exactly is that period's end, not the next
    period's start. With 0 minutes, the next working instant.
    """
    _require_aware(start, "start")
    if minutes < 0:
        raise ValueError(f"minutes must be 0 or more, got {minutes}.")
    remaining = timedelta(minutes=minutes)
    for period_start, period_end in _periods_from(cal, start.astimezone(UTC)):
        available = period_end - period_start
        if remaining <= available:
            return (period_start + remaining).astimezone(cal.tz)
        remaining -= available
    raise AssertionError("unreachable: _periods_from raises when it runs out")


def working_time_between(cal: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time from `start` to `end` (zero when `end` is not after `start`)."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta()
    if end_utc <= start_utc:
        return total
    day, last = _local_date(cal, start_utc), _local_date(cal, end_utc)
    while day <= last:
        for period_start, period_end in _periods_on(cal, day):
            overlap = min(period_end, end_utc) - max(period_start, start_utc)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return total


def working_seconds_between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    return working_time_between(cal, start, end) // _SECOND


def working_minutes_between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Whole working minutes from `start` to `end` (rounded down)."""
    return working_time_between(cal, start, end) // _MINUTE


def is_working_date(cal: WorkingCalendar, day: date) -> bool:
    return bool(_periods_on(cal, day))


def close_of_business(cal: WorkingCalendar, day: date) -> datetime:
    """The end of the last working period of `day` (a working date), in the calendar's zone."""
    periods = _periods_on(cal, day)
    if not periods:
        raise ValueError(f"{day.isoformat()} is not a working day.")
    return periods[-1][1].astimezone(cal.tz)


def add_working_days(cal: WorkingCalendar, start: datetime, days: int) -> datetime:
    """Close of business on the `days`-th working day after the day of `start`.

    "Within 5 working days" of a report made on Monday means by close of
    business the next Monday (no holidays). With 0 days: close of business
    today if today is a working day and it is not yet closed, else the next
    working day's close.
    """
    _require_aware(start, "start")
    if days < 0:
        raise ValueError(f"days must be 0 or more, got {days}.")
    day = _local_date(cal, start)
    if days == 0:
        if is_working_date(cal, day) and start < close_of_business(cal, day):
            return close_of_business(cal, day)
        days = 1
    counted = 0
    for _ in range(_MAX_DAYS_SEARCHED * 2):
        day += timedelta(days=1)
        if is_working_date(cal, day):
            counted += 1
            if counted == days:
                return close_of_business(cal, day)
    raise ValueError(f"No {days} working days found after {start.isoformat()}.")


def working_days_between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Working dates after `start`'s date, up to and including `end`'s date."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    day, last = _local_date(cal, start), _local_date(cal, end)
    count = 0
    while day < last:
        day += timedelta(days=1)
        count += is_working_date(cal, day)
    return count


@dataclass(frozen=True)
class Target:
    """A promised duration, e.g. 5 working days."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError(f"A target cannot be negative ({self.amount}).")
        if self.unit not in ("working_hours", "working_days", "calendar_hours", "calendar_days"):
            raise ValueError(f"Unknown target unit {self.unit!r}.")

    def due_from(self, cal: WorkingCalendar, start: datetime) -> datetime:
        """When this target falls due for something that started at `start`."""
        _require_aware(start, "start")
        if self.unit == "working_hours":
            return add_working_minutes(cal, start, self.amount * 60)
        if self.unit == "working_days":
            return add_working_days(cal, start, self.amount)
        if self.unit == "calendar_hours":
            return (start.astimezone(UTC) + timedelta(hours=self.amount)).astimezone(cal.tz)
        local = start.astimezone(cal.tz)
        wall = datetime.combine(local.date() + timedelta(days=self.amount), local.timetz())
        return wall.astimezone(cal.tz)

    def describe(self) -> str:
        """Plain English, e.g. '1 working day', '4 working hours' (callers translate)."""
        words = {
            "working_hours": ("working hour", "working hours"),
            "working_days": ("working day", "working days"),
            "calendar_hours": ("hour", "hours"),
            "calendar_days": ("day", "days"),
        }[self.unit]
        return f"{self.amount} {words[0] if self.amount == 1 else words[1]}"
