"""Due instants of a case's clocks, from its standard and the working calendar.

Pure functions over plain values: no ORM, no reading of the current time.
"""

from dataclasses import dataclass
from datetime import datetime

from imbizo.catalogue import worktime

FAR_FUTURE = datetime.fromisoformat("9999-01-01T00:00:00+00:00")


@dataclass(frozen=True)
class Promise:
    """The targets of a service standard, as snapshotted on a case."""

    ack: worktime.Target
    update: worktime.Target
    resolve: worktime.Target
    warn_before_minutes: int


@dataclass(frozen=True)
class ResolveClock:
    due_at: datetime
    warn_at: datetime | None


def resolve_clock(
    cal: worktime.WorkingCalendar, promise: Promise, start: datetime
) -> ResolveClock:
    """The resolution deadline counted from `start`, and when to warn before it."""
    due = promise.resolve.due_from(cal, start)
    return ResolveClock(due_at=due, warn_at=_warn_at(cal, promise, start, due))


def resolve_warn_at(cal: worktime.WorkingCalendar, promise: Promise, start: datetime,
                    due_at: datetime) -> datetime | None:
    """resolve_clock(cal, promise, start).warn_at, for a caller that already holds its
    `due_at` (the deadline is then not counted again)."""
    return _warn_at(cal, promise, start, due_at)


def resume_clock(
    cal: worktime.WorkingCalendar, promise: Promise, at: datetime, remaining_seconds: int
) -> ResolveClock:
    """The deadline after a pause: the working time that was left, counted from `at`."""
    minutes = -(-remaining_seconds // 60)  # round up: never shorten the citizen's wait
    due = worktime.add_working_minutes(cal, at, minutes)
    return ResolveClock(due_at=due, warn_at=_warn_at(cal, promise, at, due))


def remaining_seconds(cal: worktime.WorkingCalendar, at: datetime, due_at: datetime) -> int:
    """Working seconds from `at` until `due_at` (0 when already due)."""
    return worktime.working_seconds_between(cal, at, due_at)


def _warn_at(cal, promise: Promise, start: datetime, due: datetime) -> datetime | None:
    if promise.warn_before_minutes <= 0:
        return None
    total = worktime.working_seconds_between(cal, start, due) // 60
    lead = total - promise.warn_before_minutes
    if lead <= 0:
        return None
    return worktime.add_working_minutes(cal, start, lead)


def escalation_due(cal: worktime.WorkingCalendar, resolve_due_at: datetime, after_hours: int):
    """When an escalation step `after_hours` working hours past the deadline falls due."""
    if after_hours == 0:
        return resolve_due_at
    return worktime.add_working_minutes(cal, resolve_due_at, after_hours * 60)


def next_check(*instants: datetime | None) -> datetime | None:
    """The earliest pending instant, or None when nothing is pending."""
    pending = [i for i in instants if i is not None]
    return min(pending) if pending else None


def resolved_on_time(*, at: datetime, due: datetime | None, breached_at: datetime | None) -> bool:
    """Whether a resolution at `at` kept the promise: no breach recorded and not
    past the deadline (`due` is None while the clock is paused)."""
    return breached_at is None and (due is None or at <= due)
