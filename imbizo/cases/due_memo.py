"""Due instants for many cases at once: cases.clocks behind an exact memo.

An import works out the promise of up to millions of cases. Each case costs
tens of microseconds in cases.clocks (working time is walked a day at a
time), which alone would cap an import far below what the database takes.
Every result still comes from cases.clocks (or worktime, which it calls):
the memo only reuses a result for another start when the two are provably
the same, or the same moved by a known amount of time (docs/adr/0012).
Results are kept per target ("1 working day"), so services that promise the
same share them.

- A target of one or more working days falls due at close of business on
  the n-th working date after the start's date: the same for every start on
  that date (worktime.add_working_days).
- From a start outside working time, working time counts from the next
  working instant: every result is the same for all starts in one gap
  between working periods (on one date).
- Inside one working period, working time and clock time run together: a
  start y later gives a working-hours result y later, as long as that result
  stays inside the working period the earlier result fell in (strictly
  after its start, at most its end). Otherwise the result is computed again
  and kept as a new starting point.
- The warning before a deadline is whole working minutes before it, counted
  from the start. Before a working-hours deadline it moves with the start;
  before a working-days one it moves by less than a minute either way
  (the working time left shrinks as the start moves on), under the same
  condition.

Targets in calendar hours or days, or of zero, are cheap and computed every
time. tests/cases/test_due_memo.py checks the memo against cases.clocks for
random starts, promises and calendars (one of them changing its clocks).
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from imbizo.catalogue import worktime

from . import clocks

_ONE_DAY = timedelta(days=1)
_MINUTE = timedelta(minutes=1)
_ZERO = timedelta()
# The memo is a cache: past this many entries a table starts afresh, so memory
# stays flat whatever the spread of dates in a file.
MAX_ENTRIES = 100_000

_DATE, _SHIFT, _DIRECT = "date", "shift", "direct"


@dataclass(frozen=True)
class Due:
    """The due instants case_open would store for a case opened at a start."""

    ack_due_at: datetime
    update_due_at: datetime
    resolve_due_at: datetime
    resolve_warn_at: datetime | None


def due_direct(cal: worktime.WorkingCalendar, promise: clocks.Promise, start: datetime) -> Due:
    """The due instants straight from cases.clocks (what case_open computes)."""
    resolve = clocks.resolve_clock(cal, promise, start)
    return Due(promise.ack.due_from(cal, start), promise.update.due_from(cal, start),
               resolve.due_at, resolve.warn_at)


def _kind(target: worktime.Target) -> str:
    if target.unit == "working_days" and target.amount >= 1:
        return _DATE
    if target.unit == "working_hours" and target.amount >= 1:
        return _SHIFT
    return _DIRECT


@dataclass(frozen=True)
class _Known:
    """A start whose result was computed, and the working period the result lies in."""

    start: datetime  # UTC
    value: datetime | None
    span: tuple[datetime, datetime] | None
    lead: int | None = None  # for warnings before working-days deadlines: the minutes counted


class _Table(dict):
    def remember(self, key, value):
        if len(self) >= MAX_ENTRIES:
            self.clear()
        self[key] = value
        return value


class DueMemo:
    """`due(promise, start)` equals `due_direct(cal, promise, start)`, mostly without
    computing it. One memo per calendar; not thread-safe (one per import)."""

    def __init__(self, cal: worktime.WorkingCalendar):
        self.cal = cal
        self.computed = 0  # results that went to cases.clocks (for tests and benchmarks)
        self._spans = _Table()  # date -> working periods of that date and the one before
        self._values = _Table()  # (target, date[, gap]) -> due instant
        self._known = _Table()  # (target, date, period start) -> [_Known], by start
        self._left = _Table()  # (period start, deadline) -> working time between them
        # Targets by identity (hashing a frozen dataclass per row costs more than the rest);
        # each entry holds its target, so no identity is reused while the memo lives. Equal
        # targets share a number, and so their results.
        self._targets: dict[int, tuple[worktime.Target, int, str]] = {}
        self._numbers: dict[worktime.Target, int] = {}

    def _target(self, target: worktime.Target) -> tuple[worktime.Target, int, str]:
        entry = self._targets.get(id(target))
        if entry is None:
            number = self._numbers.setdefault(target, len(self._numbers))
            entry = self._targets[id(target)] = (target, number, _kind(target))
        return entry

    def due(self, promise: clocks.Promise, start: datetime) -> Due:
        at = start.astimezone(UTC)
        day = at.astimezone(self.cal.tz).date()
        spans = self._spans.get(day)
        if spans is None:
            spans = self._spans.remember(
                day, self.cal.periods_on(day - _ONE_DAY) + self.cal.periods_on(day))
        place: tuple = ("gap", len(spans))
        for index, (period_start, period_end) in enumerate(spans):
            if at < period_start:
                place = ("gap", index)
                break
            if at < period_end:
                place = ("in", period_start)
                break
        ack = self._due(promise.ack, start, at, day, place)
        update = self._due(promise.update, start, at, day, place)
        resolve = self._due(promise.resolve, start, at, day, place)
        return Due(ack, update, resolve, self._warn(promise, resolve, start, at, day, place))

    # --- deadlines ------------------------------------------------------------------------

    def _due(self, target, start, at, day, place) -> datetime:
        target, number, kind = self._target(target)
        if kind == _DIRECT:
            self.computed += 1
            return target.due_from(self.cal, start)
        if kind == _DATE:
            key = (number, day)
        elif place[0] == "gap":
            key = (number, day, place[1])
        else:
            return self._shifted((number, day, place[1]), at,
                                 lambda: target.due_from(self.cal, start))
        value = self._values.get(key)
        if value is None:
            self.computed += 1
            value = self._values.remember(key, target.due_from(self.cal, start))
        return value

    def _shifted(self, key, at, compute, by=None) -> datetime | None:
        """A result for `at` from the latest known start before it in the same working
        period, moved `by(known)` (default: the time between them); else computed."""
        known = self._known.get(key)
        if known is None:
            known = self._known.remember(key, [])
        position = bisect_right(known, at, key=lambda k: k.start)
        if position:
            before = known[position - 1]
            moved = _moved(before, by(before) if by else at - before.start)
            if moved is not False:
                return moved
        self.computed += 1
        value = compute()
        known.insert(position, _Known(start=at, value=value, span=_period_holding(
            self.cal, value) if value is not None else None))
        return value

    # --- the warning before the resolution deadline ---------------------------------------

    def _warn(self, promise, resolve_due, start, at, day, place) -> datetime | None:
        if promise.warn_before_minutes <= 0:
            return None
        target, number, kind = self._target(promise.resolve)

        def compute():
            # resolve_due is what resolve_clock would count again: the memo's are exact.
            return clocks.resolve_warn_at(self.cal, promise, start, resolve_due)

        if kind == _DIRECT:
            self.computed += 1
            return compute()
        key = ("warn", number, promise.warn_before_minutes, day, place[0], place[1])
        if place[0] == "gap":
            value = self._values.get(key, False)
            if value is False:
                self.computed += 1
                value = self._values.remember(key, compute())
            return value
        if kind == _SHIFT:
            # Working time to the deadline is the target itself, so the minutes counted
            # are the same from every start, and the warning moves with the start.
            if target.amount * 60 - promise.warn_before_minutes <= 0:
                return None
            return self._shifted(key, at, compute)
        # Before a working-days deadline: working time left shrinks as the start moves on
        # (inside one period, minute for minute), and the minutes counted with it.
        left_key = (place[1], resolve_due)
        left_at_period_start = self._left.get(left_key)
        if left_at_period_start is None:
            left_at_period_start = self._left.remember(
                left_key, worktime.working_time_between(self.cal, place[1], resolve_due))
        lead = (left_at_period_start - (at - place[1])) // _MINUTE - promise.warn_before_minutes
        if lead <= 0:
            return None
        known = self._known.get(key)
        if known is None:
            known = self._known.remember(key, [])
        position = bisect_right(known, at, key=lambda k: k.start)
        if position:
            before = known[position - 1]
            moved = _moved(before, at - before.start + (lead - before.lead) * _MINUTE)
            if moved is not False:
                return moved
        self.computed += 1
        value = compute()
        known.insert(position, _Known(start=at, value=value, lead=lead,
                                      span=_period_holding(self.cal, value)))
        return value


def _period_holding(cal: worktime.WorkingCalendar, instant: datetime):
    """The working period (start, end) with start < instant <= end, or None."""
    at = instant.astimezone(UTC)
    day = at.astimezone(cal.tz).date()
    for period_start, period_end in cal.periods_on(day - _ONE_DAY) + cal.periods_on(day):
        if period_start < at <= period_end:
            return period_start, period_end
    return None


def _moved(known: _Known, by: timedelta):
    """`known.value` moved `by` when it stays inside its working period; False when that
    is not provably right. A known None (no warning) stays None only with no move."""
    if known.value is None:
        return None if by == _ZERO else False
    span = known.span
    if span is None:
        return False
    moved = known.value.astimezone(UTC) + by
    if not span[0] < moved <= span[1]:
        return False
    return moved.astimezone(known.value.tzinfo)
