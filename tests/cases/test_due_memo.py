"""The import's memo of due instants gives exactly what cases.clocks gives."""

import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from imbizo.cases import clocks
from imbizo.cases.due_memo import DueMemo, due_direct
from imbizo.catalogue import worktime

JOHANNESBURG = worktime.public_holiday_calendar(country="ZA", tz_name="Africa/Johannesburg")
# A zone that changes its clocks, split shifts and a Saturday morning.
LONDON = worktime.WorkingCalendar(
    tz=ZoneInfo("Europe/London"),
    hours=(((datetime.time(8), datetime.time(12)), (datetime.time(13), datetime.time(17))),) * 5
    + (((datetime.time(9), datetime.time(11, 30)),), ()),
    closed_dates=frozenset({datetime.date(2025, 12, 25), datetime.date(2025, 12, 26)}),
)

targets = st.builds(
    worktime.Target,
    amount=st.integers(min_value=0, max_value=12),
    unit=st.sampled_from(["working_hours", "working_days", "working_hours", "working_days",
                          "calendar_hours"]),
)
promises = st.builds(clocks.Promise, ack=targets, update=targets, resolve=targets,
                     warn_before_minutes=st.sampled_from([0, 60, 240, 17]))
# Starts clustered in a few weeks (so the memo is exercised), to the microsecond.
starts = st.integers(min_value=0, max_value=40 * 86_400 * 1_000_000).map(
    lambda us: datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC)
    + datetime.timedelta(microseconds=us))


@settings(max_examples=60)
@given(promise=promises, offsets=st.lists(starts, min_size=1, max_size=60),
       cal=st.sampled_from([JOHANNESBURG, LONDON]))
def test_memo_equals_clocks(promise, offsets, cal):
    memo = DueMemo(cal)
    for start in sorted(offsets) + offsets:
        assert memo.due(promise, start) == due_direct(cal, promise, start)


def test_memo_computes_few_of_many_starts_in_working_days():
    # Given a typical promise and a thousand reports over two weeks, at random seconds
    promise = clocks.Promise(ack=worktime.Target(2, "working_hours"),
                             update=worktime.Target(1, "working_days"),
                             resolve=worktime.Target(5, "working_days"), warn_before_minutes=240)
    first = datetime.datetime(2025, 3, 3, tzinfo=JOHANNESBURG.tz)
    memo = DueMemo(JOHANNESBURG)
    starts = [first + datetime.timedelta(seconds=n * 1_209) for n in range(1000)]
    # When each is worked out
    results = [memo.due(promise, start) for start in starts]
    # Then they are right, and most came from the memo
    assert results == [due_direct(JOHANNESBURG, promise, start) for start in starts]
    assert memo.computed < 200


def test_memo_equals_clocks_for_starts_every_few_minutes_across_breaks_and_a_clock_change():
    # Given promises of every kind and starts every 7 minutes 13 seconds for two weeks
    # around the spring clock change, on a calendar with a lunch break
    promises = [
        clocks.Promise(ack=worktime.Target(2, "working_hours"),
                       update=worktime.Target(1, "working_days"),
                       resolve=worktime.Target(3, "working_days"), warn_before_minutes=240),
        clocks.Promise(ack=worktime.Target(1, "working_hours"),
                       update=worktime.Target(5, "working_hours"),
                       resolve=worktime.Target(9, "working_hours"), warn_before_minutes=90),
        clocks.Promise(ack=worktime.Target(0, "working_days"),
                       update=worktime.Target(2, "calendar_hours"),
                       resolve=worktime.Target(1, "working_days"), warn_before_minutes=600),
    ]
    first = datetime.datetime(2025, 3, 24, tzinfo=datetime.UTC)
    starts = [first + datetime.timedelta(seconds=n * 433) for n in range(14 * 86_400 // 433)]
    memo = DueMemo(LONDON)
    for promise in promises:
        # When each is worked out, in order and then again out of order
        for start in starts + starts[::-3]:
            # Then the memo agrees with cases.clocks
            assert memo.due(promise, start) == due_direct(LONDON, promise, start), start
