"""Working-time arithmetic: laws checked with hypothesis, and real calendar cases."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbizo.catalogue.worktime import (
    Target,
    WorkingCalendar,
    add_working_days,
    add_working_minutes,
    close_of_business,
    is_working_date,
    is_working_instant,
    next_working_instant,
    south_african_calendar,
    working_days_between,
    working_minutes_between,
)

SAST = ZoneInfo("Africa/Johannesburg")
CAL = south_african_calendar(closures=(date(2026, 12, 31),))


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SAST)


instants = st.datetimes(
    # Naive bounds are what hypothesis asks for; the zone comes from `timezones`.
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31),  # noqa: DTZ001
    timezones=st.just(SAST),
)
minutes = st.integers(min_value=0, max_value=20_000)


def in_working_time_or_at_a_period_end(cal, instant) -> bool:
    if is_working_instant(cal, instant):
        return True
    local = instant.astimezone(cal.tz)
    return any(end == instant for _, end in cal.periods_on(local.date()))


@settings(max_examples=300, deadline=None)
@given(instants, minutes)
def test_adding_then_measuring_gives_back_the_minutes(start, n):
    assert working_minutes_between(CAL, start, add_working_minutes(CAL, start, n)) == n


@settings(max_examples=300, deadline=None)
@given(instants, st.integers(min_value=1, max_value=20_000))
def test_a_deadline_never_lands_outside_working_time(start, n):
    due = add_working_minutes(CAL, start, n)

    assert in_working_time_or_at_a_period_end(CAL, due)


@settings(max_examples=200, deadline=None)
@given(instants, minutes, minutes)
def test_more_minutes_never_give_an_earlier_deadline(start, a, b):
    low, high = sorted((a, b))

    assert add_working_minutes(CAL, start, low) <= add_working_minutes(CAL, start, high)


@settings(max_examples=200, deadline=None)
@given(instants, instants, minutes)
def test_a_later_start_never_gives_an_earlier_deadline(a, b, n):
    early, late = sorted((a, b))

    assert add_working_minutes(CAL, early, n) <= add_working_minutes(CAL, late, n)


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(min_value=1, max_value=250))
def test_working_days_land_at_close_of_business_and_count_back(start, n):
    due = add_working_days(CAL, start, n)

    local = due.astimezone(SAST)
    assert is_working_date(CAL, local.date())
    assert due == close_of_business(CAL, local.date())
    assert working_days_between(CAL, start, due) == n


def test_friday_afternoon_runs_into_monday_morning():
    # Friday closes at 16:00: one hour on Friday, one hour on Monday from 08:00.
    assert add_working_minutes(CAL, at(2026, 3, 6, 15, 0), 120) == at(2026, 3, 9, 9, 0)


def test_a_deadline_that_fills_a_day_exactly_ends_at_closing_time():
    assert add_working_minutes(CAL, at(2026, 3, 2, 8, 0), 510) == at(2026, 3, 2, 16, 30)


def test_christmas_and_the_day_of_goodwill_are_not_working_days():
    # Thu 24 Dec 2026 at 16:00: half an hour left that day; Fri 25 and Sat 26 are
    # holidays, the weekend follows, so the next working day is Monday 28 December.
    assert add_working_days(CAL, at(2026, 12, 24, 16, 0), 1) == at(2026, 12, 28, 16, 30)
    assert add_working_minutes(CAL, at(2026, 12, 24, 16, 0), 60) == at(2026, 12, 28, 8, 30)


def test_a_sunday_holiday_gives_the_monday_off():
    # Freedom Day, 27 April 2025, was a Sunday: Monday the 28th was a holiday.
    assert not is_working_date(CAL, date(2025, 4, 28))
    assert next_working_instant(CAL, at(2025, 4, 26, 12, 0)) == at(2025, 4, 29, 8, 0)


def test_institution_closures_are_honoured():
    assert not is_working_date(CAL, date(2026, 12, 31))
    assert add_working_days(CAL, at(2026, 12, 30, 9, 0), 1) == at(2027, 1, 4, 16, 30)


def test_working_time_between_counts_only_working_hours():
    # Friday 15:00 -> Monday 09:00: one hour on Friday, one on Monday.
    assert working_minutes_between(CAL, at(2026, 3, 6, 15, 0), at(2026, 3, 9, 9, 0)) == 120
    assert working_minutes_between(CAL, at(2026, 3, 9, 9, 0), at(2026, 3, 6, 15, 0)) == 0


def test_zero_days_means_close_of_business_today_or_the_next_working_day():
    assert add_working_days(CAL, at(2026, 3, 2, 10, 0), 0) == at(2026, 3, 2, 16, 30)
    assert add_working_days(CAL, at(2026, 3, 2, 17, 0), 0) == at(2026, 3, 3, 16, 30)


def test_instants_in_other_zones_are_understood():
    in_utc = datetime(2026, 3, 6, 13, 0, tzinfo=UTC)  # 15:00 in Johannesburg

    assert add_working_minutes(CAL, in_utc, 120) == at(2026, 3, 9, 9, 0)


def test_split_shifts_are_supported():
    lunch = ((time(8, 0), time(12, 0)), (time(13, 0), time(16, 0)))
    cal = WorkingCalendar(tz=SAST, hours=(lunch,) * 5 + ((), ()))

    assert add_working_minutes(cal, at(2026, 3, 2, 11, 0), 120) == at(2026, 3, 2, 14, 0)


def test_targets_describe_themselves_and_fall_due():
    assert Target(1, "working_days").describe() == "1 working day"
    assert Target(4, "working_hours").describe() == "4 working hours"
    assert Target(2, "calendar_days").due_from(CAL, at(2026, 3, 6, 15, 0)) == at(2026, 3, 8, 15, 0)
    assert Target(3, "calendar_hours").due_from(CAL, at(2026, 3, 6, 23, 0)) == at(2026, 3, 7, 2, 0)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: add_working_minutes(CAL, datetime(2026, 3, 2, 8), 10), "timezone-aware"),  # noqa: DTZ001
        (lambda: add_working_minutes(CAL, at(2026, 3, 2, 8, 0), -1), "0 or more"),
        (lambda: add_working_days(CAL, at(2026, 3, 2, 8, 0), -2), "0 or more"),
        (lambda: WorkingCalendar(tz=SAST, hours=((),) * 7), "no working hours"),
        (lambda: WorkingCalendar(tz=SAST, hours=(((time(9), time(8)),),) * 7), "start before"),
        (lambda: WorkingCalendar(tz=SAST, hours=((),) * 6), "7 weekdays"),
        (lambda: Target(1, "fortnights"), "Unknown target unit"),
    ],
)
def test_bad_input_is_refused_with_the_reason(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_a_calendar_closed_for_ever_says_so():
    cal = WorkingCalendar(tz=SAST, closed_dates=frozenset(
        date(2026, 1, 1) + timedelta(days=n) for n in range(4000)))

    with pytest.raises(ValueError, match="No working time"):
        add_working_minutes(cal, at(2026, 1, 1, 8, 0), 60)
