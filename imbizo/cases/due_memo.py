"""Due instants for many cases at once: cases.clocks behind an exact memo.

An import works out the promise of up to millions of cases. Each case costs
tens of microseconds in cases.clocks (working time is walked a day at a
time), which alone would cap an import far below what the database takes.
Every result still comes from cases.clocks: the memo only reuses a result
for another start when the two are provably the same, or the same moved by
a known amount of time (docs/adr/0012):

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
- The warning before a working-days deadline is whole working minutes before
  it, counted from the start: it moves with the start by less than a minute
  either way, under the same condition.

Targets in calendar hours or days, or of zero working days, are cheap and
computed every time. tests/cases/test_due_memo.py checks the memo against
cases.clocks for random starts, promises and calendars (with a clock change).
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from imbizo.catalogue import worktime

from . import clocks

_ONE_DAY = timedelta(days=1)
_MINUTE = timedelta(minutes=1)
# The memo is a cache: past this many entries it starts afresh, so memory
# stays flat whatever the spread of dates in a file.
MAX_ENTRIES = 200_000

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
    """A start whose results were computed, and what later starts need to reuse them."""

    start: datetime  # UTC
    due: Due
    spans: tuple  # per shifted result: the (start, end) of the working period it lies in
    left: timedelta | None  # working time from the start to a working-days deadline
    lead: int | None  # working minutes from the start to the warning (working-days deadline)


class DueMemo:
    """`due(promise, start)` equals `due_direct(cal, promise, start)`, mostly without
    computing it. One memo per calendar; not thread-safe (one per import)."""

    def __init__(self, cal: worktime.WorkingCalendar):
        self.cal = cal
        self._spans: dict[date, tuple] = {}
        self._gaps: dict[tuple, Due] = {}
        self._known: dict[tuple, list[_Known]] = {}
        # Promises by identity (hashing a frozen dataclass per row costs more than the rest);
        # each entry holds its promise, so no identity is reused while the memo lives. Equal
        # promises (services often share targets) share a number, and so their results.
        self._promises: dict[int, tuple[clocks.Promise, int, tuple[str, str, str] | None]] = {}
        self._numbers: dict[clocks.Promise, int] = {}
        self.computed = 0  # how many starts went to cases.clocks (for tests and benchmarks)

    def due(self, promise: clocks.Promise, start: datetime) -> Due:
        entry = self._promises.get(id(promise))
        if entry is None:
            found = (_kind(promise.ack), _kind(promise.update), _kind(promise.resolve))
            number = self._numbers.setdefault(promise, len(self._numbers))
            entry = self._promises[id(promise)] = (
                promise, number, None if _DIRECT in found else found)
        _, number, kinds = entry
        if kinds is None:
            return self._direct(promise, start)
        at = start.astimezone(UTC)
        day = at.astimezone(self.cal.tz).date()
        spans = self._spans.get(day)
        if spans is None:
            if len(self._spans) > MAX_ENTRIES:
                self._spans.clear()
            spans = self._spans[day] = self.cal.periods_on(day - _ONE_DAY) + self.cal.periods_on(day)
        for index, (period_start, period_end) in enumerate(spans):
            if at < period_start:
                return self._in_gap(promise, number, start, day, index)
            if at < period_end:
                return self._in_period(promise, number, kinds, start, at, day, period_start)
        return self._in_gap(promise, number, start, day, len(spans))

    def _direct(self, promise, start) -> Due:
        self.computed += 1
        return due_direct(self.cal, promise, start)

    def _in_gap(self, promise, number, start, day, index) -> Due:
        key = (number, day, index)
        due = self._gaps.get(key)
        if due is None:
            if len(self._gaps) > MAX_ENTRIES:
                self._gaps.clear()
            due = self._gaps[key] = self._direct(promise, start)
        return due

    def _in_period(self, promise, number, kinds, start, at, day, period_start) -> Due:
        key = (number, day, period_start)
        known = self._known.get(key)
        if known is None:
            if len(self._known) > MAX_ENTRIES:
                self._known.clear()
            known = self._known[key] = []
        # The latest known start at or before this one, within the same period.
        position = bisect_right(known, at, key=lambda k: k.start)
        if position:
            due = self._reuse(promise, kinds, known[position - 1], at)
            if due is not None:
                return due
        found = self._remember(promise, kinds, start, at)
        known.insert(position, found)
        return found.due

    def _reuse(self, promise, kinds, known: _Known, at: datetime) -> Due | None:
        later = at - known.start
        results = []
        spans = iter(known.spans)
        for kind, value in zip(kinds, (known.due.ack_due_at, known.due.update_due_at,
                                       known.due.resolve_due_at), strict=True):
            if kind == _DATE:
                results.append(value)
                continue
            moved = _moved(value, later, next(spans), self.cal)
            if moved is None:
                return None
            results.append(moved)
        warn = known.due.resolve_warn_at
        if kinds[2] == _SHIFT:
            # Same working time to the deadline, so the same lead: the warning moves too.
            if warn is not None:
                warn = _moved(warn, later, next(spans), self.cal)
                if warn is None:
                    return None
        elif promise.warn_before_minutes > 0:
            # Inside one working period, working time to the deadline shrinks as clock time passes.
            lead = (known.left - later) // _MINUTE - promise.warn_before_minutes
            if lead <= 0:
                warn = None
            elif known.lead is None or known.lead <= 0:
                return None
            else:
                warn = _moved(warn, later + (lead - known.lead) * _MINUTE, next(spans), self.cal)
                if warn is None:
                    return None
        return Due(*results, warn)

    def _remember(self, promise, kinds, start, at) -> _Known:
        due = self._direct(promise, start)
        shifted = [value for kind, value in zip(kinds, (due.ack_due_at, due.update_due_at,
                                                        due.resolve_due_at), strict=True)
                   if kind == _SHIFT]
        left = lead = None
        if kinds[2] == _DATE:
            # As clocks._warn_at counts: whole working minutes, less the warning's lead.
            left = worktime.working_time_between(self.cal, at, due.resolve_due_at)
            lead = left // _MINUTE - promise.warn_before_minutes
        if due.resolve_warn_at is not None:
            shifted.append(due.resolve_warn_at)
        return _Known(start=at, due=due, left=left, lead=lead,
                      spans=tuple(_period_holding(self.cal, value) for value in shifted))


def _period_holding(cal: worktime.WorkingCalendar, instant: datetime):
    """The working period (start, end) with start < instant <= end, or None."""
    at = instant.astimezone(UTC)
    day = at.astimezone(cal.tz).date()
    for period_start, period_end in cal.periods_on(day - _ONE_DAY) + cal.periods_on(day):
        if period_start < at <= period_end:
            return period_start, period_end
    return None


def _moved(value: datetime, by: timedelta, span, cal) -> datetime | None:
    """`value` moved `by`, when it stays inside `span` (else None: not provably right)."""
    if span is None:
        return None
    moved = value.astimezone(UTC) + by
    if not span[0] < moved <= span[1]:
        return None
    return moved.astimezone(cal.tz)
