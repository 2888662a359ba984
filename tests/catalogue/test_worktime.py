"""Working-time arithmetic: laws checked with hypothesis, and real calendar cases."""

from datetime import UTC, date, datetime, time, timedelta
from functools import partial
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
    public_holiday_calendar,
    working_days_between,
    working_minutes_between,
    working_seconds_between,
    working_time_between,
)

SAST = ZoneInfo("Africa/Johannesburg")
LONDON = ZoneInfo("Europe/London")

south_african_calendar = partial(public_holiday_calendar, country="ZA",
                                 tz_name="Africa/Johannesburg")
# The institution's calendar: SA public holidays, default hours, closed on New Year's Eve 2026.
CAL = south_african_calendar(closures=(date(2026, 12, 31),))
# Default hours with no holidays at all, for arithmetic that is easy to check by hand.
PLAIN = WorkingCalendar(tz=SAST)
# Every day, with periods that cross London's clock changes (01:00 -> 02:00 in
# March, 02:00 -> 01:00 in October), so the laws are checked where offsets move.
NIGHT_SHIFTS = WorkingCalendar(
    tz=LONDON, hours=(((time(0, 30), time(1, 45)), (time(2, 30), time(9, 0))),) * 7
)
CALENDARS = pytest.mark.parametrize("cal", [CAL, NIGHT_SHIFTS], ids=["johannesburg", "london"])


def at(*args, tz=SAST) -> datetime:
    return datetime(*args, tzinfo=tz)


def instants_in(tz):
    return st.datetimes(
        # Naive bounds are what hypothesis asks for; the zone comes from `timezones`.
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(tz),
    )


def in_order(*instants: datetime) -> list[datetime]:
    # Aware datetimes sharing a zone compare by wall time; the laws are about instants.
    return sorted(instants, key=lambda instant: instant.astimezone(UTC))


def in_working_time_or_at_a_period_end(cal: WorkingCalendar, instant: datetime) -> bool:
    if is_working_instant(cal, instant):
        return True
    day = instant.astimezone(cal.tz).date()
    return any(
        end == instant for d in (day - timedelta(days=1), day) for _, end in cal.periods_on(d)
    )


minutes = st.integers(min_value=0, max_value=20_000)
days = st.integers(min_value=1, max_value=250)


# --- laws --------------------------------------------------------------------


@CALENDARS
@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=minutes)
def test_adding_working_minutes_then_measuring_gives_back_the_minutes(cal, data, n):
    start = data.draw(instants_in(cal.tz))

    due = add_working_minutes(cal, start, n)

    assert working_minutes_between(cal, start, due) == n
    assert working_time_between(cal, start, due) == timedelta(minutes=n)


@CALENDARS
@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=minutes)
def test_a_deadline_lands_in_working_time_or_exactly_at_a_period_end(cal, data, n):
    start = data.draw(instants_in(cal.tz))

    due = add_working_minutes(cal, start, n)

    assert due.tzinfo is cal.tz
    assert in_working_time_or_at_a_period_end(cal, due)


@CALENDARS
@settings(max_examples=150, deadline=None)
@given(data=st.data(), a=minutes, b=minutes)
def test_more_minutes_never_give_an_earlier_deadline(cal, data, a, b):
    start = data.draw(instants_in(cal.tz))
    fewer, more = sorted((a, b))

    assert add_working_minutes(cal, start, fewer) <= add_working_minutes(cal, start, more)


@CALENDARS
@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=minutes)
def test_a_later_start_never_gives_an_earlier_deadline(cal, data, n):
    early, late = in_order(data.draw(instants_in(cal.tz)), data.draw(instants_in(cal.tz)))

    assert add_working_minutes(cal, early, n) <= add_working_minutes(cal, late, n)


@CALENDARS
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_working_time_adds_up_across_an_intermediate_instant(cal, data):
    first, middle, last = in_order(*(data.draw(instants_in(cal.tz)) for _ in range(3)))
    # Keep the spans to a few months so that the example stays quick.
    last = min(last, first + timedelta(days=120))
    middle = min(middle, last)

    whole = working_time_between(cal, first, last)

    assert whole == working_time_between(cal, first, middle) + working_time_between(cal, middle, last)


@CALENDARS
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_next_working_instant_is_working_time_with_none_skipped(cal, data):
    instant = data.draw(instants_in(cal.tz))

    found = next_working_instant(cal, instant)

    assert is_working_instant(cal, found)
    assert found.astimezone(UTC) >= instant.astimezone(UTC)
    assert working_time_between(cal, instant, found) == timedelta()


@CALENDARS
@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=st.integers(min_value=0, max_value=250))
def test_working_days_fall_due_at_close_of_business_on_a_working_date(cal, data, n):
    start = data.draw(instants_in(cal.tz))

    due = add_working_days(cal, start, n)

    due_date = due.astimezone(cal.tz).date()
    assert is_working_date(cal, due_date)
    assert due == close_of_business(cal, due_date)
    assert due > start


@CALENDARS
@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=days)
def test_adding_working_days_then_counting_gives_back_the_days(cal, data, n):
    start = data.draw(instants_in(cal.tz))

    due = add_working_days(cal, start, n)

    assert working_days_between(cal, start, due) == n


@CALENDARS
@settings(max_examples=100, deadline=None)
@given(data=st.data(), a=days, b=days)
def test_more_working_days_never_give_an_earlier_deadline(cal, data, a, b):
    start = data.draw(instants_in(cal.tz))
    fewer, more = sorted((a, b))

    assert add_working_days(cal, start, fewer) <= add_working_days(cal, start, more)


@CALENDARS
@settings(max_examples=100, deadline=None)
@given(data=st.data(), n=st.integers(min_value=0, max_value=250))
def test_a_later_start_never_gives_an_earlier_working_day_deadline(cal, data, n):
    early, late = in_order(data.draw(instants_in(cal.tz)), data.draw(instants_in(cal.tz)))

    assert add_working_days(cal, early, n) <= add_working_days(cal, late, n)


# --- working minutes ---------------------------------------------------------


def test_friday_afternoon_runs_into_monday_morning():
    # Given Friday 6 March 2026 at 15:00; Friday closes at 16:00.
    friday = at(2026, 3, 6, 15, 0)

    # When two working hours are added
    due = add_working_minutes(CAL, friday, 120)

    # Then one hour is worked on Friday and one on Monday from 08:00.
    assert due == at(2026, 3, 9, 9, 0)


def test_time_that_runs_out_at_closing_time_ends_at_closing_time():
    # A full Monday (08:00-16:30) ends at 16:30, not at Tuesday's 08:00 opening.
    assert add_working_minutes(CAL, at(2026, 3, 2, 8, 0), 510) == at(2026, 3, 2, 16, 30)


def test_zero_minutes_during_working_time_is_the_start_itself():
    assert add_working_minutes(CAL, at(2026, 3, 2, 10, 15, 30), 0) == at(2026, 3, 2, 10, 15, 30)


def test_zero_minutes_after_hours_is_the_next_opening():
    assert add_working_minutes(CAL, at(2026, 3, 6, 16, 0), 0) == at(2026, 3, 9, 8, 0)


def test_the_results_are_in_the_calendars_zone_whatever_the_input_zone():
    in_utc = datetime(2026, 3, 6, 13, 0, tzinfo=UTC)  # 15:00 in Johannesburg

    due = add_working_minutes(CAL, in_utc, 120)

    assert due.tzinfo is SAST
    assert due == at(2026, 3, 9, 9, 0)


def test_ten_thousand_working_minutes_are_counted_by_the_week():
    # A week has 4 x 510 + 480 = 2,520 minutes: three weeks leave 2,440 minutes,
    # 2,040 of them Monday to Thursday and 400 on Friday from 08:00.
    assert add_working_minutes(PLAIN, at(2026, 3, 2, 8, 0), 10_000) == at(2026, 3, 27, 14, 40)


def test_working_time_between_counts_only_working_hours():
    assert working_minutes_between(CAL, at(2026, 3, 6, 15, 0), at(2026, 3, 9, 9, 0)) == 120


def test_working_time_between_is_zero_when_the_end_comes_first():
    assert working_minutes_between(CAL, at(2026, 3, 9, 9, 0), at(2026, 3, 6, 15, 0)) == 0


def test_working_minutes_and_seconds_are_rounded_down():
    start, end = at(2026, 3, 2, 8, 0), at(2026, 3, 2, 8, 1, 59, 999_999)

    assert working_minutes_between(CAL, start, end) == 1
    assert working_seconds_between(CAL, start, end) == 119


def test_split_shifts_skip_the_lunch_break():
    lunch = ((time(8, 0), time(12, 0)), (time(13, 0), time(16, 0)))
    cal = WorkingCalendar(tz=SAST, hours=(lunch,) * 5 + ((), ()))

    assert add_working_minutes(cal, at(2026, 3, 2, 11, 0), 120) == at(2026, 3, 2, 14, 0)


# --- holidays and closures ---------------------------------------------------


@pytest.mark.parametrize(
    "holiday",
    [date(2026, 12, 25), date(2026, 12, 16), date(2026, 4, 3), date(2026, 4, 6)],
    ids=["christmas", "reconciliation", "good-friday", "family-day"],
)
def test_public_holidays_are_not_working_days(holiday):
    assert holiday.weekday() < 5
    assert not is_working_date(CAL, holiday)


@pytest.mark.parametrize(
    ("sunday", "monday"),
    [(date(2025, 4, 27), date(2025, 4, 28)), (date(2023, 9, 24), date(2023, 9, 25))],
    ids=["freedom-day-2025", "heritage-day-2023"],
)
def test_a_holiday_on_a_sunday_gives_the_monday_off(sunday, monday):
    assert sunday.weekday() == 6
    assert not is_working_date(CAL, monday)


def test_work_resumes_on_the_tuesday_after_a_sunday_holiday():
    # Freedom Day, 27 April 2025, was a Sunday; Monday the 28th was off.
    assert next_working_instant(CAL, at(2025, 4, 26, 12, 0)) == at(2025, 4, 29, 8, 0)


def test_working_minutes_skip_christmas_and_the_weekend():
    # Given Thursday 24 December 2026 at 16:00: half an hour left that day, then
    # Christmas (Friday), the Day of Goodwill (Saturday) and Sunday.
    start = at(2026, 12, 24, 16, 0)

    # When an hour of working time is added
    due = add_working_minutes(CAL, start, 60)

    # Then the other half hour is worked on Monday 28 December.
    assert due == at(2026, 12, 28, 8, 30)


def test_a_case_opened_on_christmas_eve_afternoon_is_due_on_the_monday_after():
    # Given a case opened on Thursday 24 December 2026 at 16:00 with a 1 working day target
    promise = Target(1, "working_days")

    # When its due instant is worked out
    due = promise.due_from(CAL, at(2026, 12, 24, 16, 0))

    # Then it is close of business on Monday 28 December, the next working day.
    assert due == at(2026, 12, 28, 16, 30)


def test_institution_closures_are_not_working_days():
    assert not is_working_date(CAL, date(2026, 12, 31))


def test_a_closure_pushes_a_working_day_deadline_past_it():
    # Wednesday 30 Dec 2026: the 31st is closed, 1 January is a holiday, then the weekend.
    assert add_working_days(CAL, at(2026, 12, 30, 9, 0), 1) == at(2027, 1, 4, 16, 30)


def test_the_calendar_knows_only_the_holidays_of_its_years():
    cal = south_african_calendar(years=[2025])

    assert not is_working_date(cal, date(2025, 4, 28))
    assert is_working_date(cal, date(2026, 4, 27))  # Freedom Day 2026, outside the years


def test_the_calendar_closes_on_the_holidays_of_its_country():
    kenya = public_holiday_calendar(country="KE", tz_name="Africa/Nairobi", years=[2026])

    assert not is_working_date(kenya, date(2026, 6, 1))  # Madaraka Day, a Monday
    assert is_working_date(kenya, date(2026, 4, 27))  # Freedom Day in South Africa only


def test_a_subdivision_adds_its_own_holidays_to_the_national_ones():
    # Australia: Labour Day is the first Monday of October in New South Wales,
    # the second Monday of March in Victoria; Australia Day everywhere.
    nsw = public_holiday_calendar(country="AU", holiday_subdivision="NSW",
                                  tz_name="Australia/Sydney", years=[2026])
    vic = public_holiday_calendar(country="AU", holiday_subdivision="VIC",
                                  tz_name="Australia/Melbourne", years=[2026])

    assert not is_working_date(nsw, date(2026, 10, 5))
    assert is_working_date(vic, date(2026, 10, 5))
    assert not is_working_date(vic, date(2026, 3, 9))
    assert not is_working_date(nsw, date(2026, 1, 26)) and not is_working_date(vic, date(2026, 1, 26))


# --- working days ------------------------------------------------------------


def test_five_working_days_from_a_monday_end_the_next_monday():
    assert add_working_days(PLAIN, at(2026, 3, 2, 9, 0), 5) == at(2026, 3, 9, 16, 30)


def test_working_days_from_a_weekend_count_from_the_monday():
    # Saturday 7 March 2026: day 1 is Monday the 9th, day 5 Friday the 13th (closes at 16:00).
    assert add_working_days(PLAIN, at(2026, 3, 7, 11, 0), 5) == at(2026, 3, 13, 16, 0)


def test_a_report_made_after_closing_does_not_count_that_day():
    # Monday after 16:30: Monday is still the start's day, so day 1 is Tuesday.
    assert add_working_days(PLAIN, at(2026, 3, 2, 18, 0), 1) == at(2026, 3, 3, 16, 30)


def test_two_hundred_and_fifty_working_days_are_fifty_weeks():
    assert add_working_days(PLAIN, at(2026, 3, 2, 9, 0), 250) == at(2027, 2, 15, 16, 30)


def test_zero_working_days_before_closing_is_close_of_business_today():
    assert add_working_days(CAL, at(2026, 3, 2, 10, 0), 0) == at(2026, 3, 2, 16, 30)


def test_zero_working_days_after_closing_is_close_of_business_next_working_day():
    assert add_working_days(CAL, at(2026, 3, 6, 16, 0), 0) == at(2026, 3, 9, 16, 30)


def test_working_days_between_counts_dates_after_the_start_up_to_the_end():
    # Friday 6 March to Tuesday 10 March 2026: Monday and Tuesday.
    assert working_days_between(CAL, at(2026, 3, 6, 9, 0), at(2026, 3, 10, 8, 0)) == 2


def test_working_days_between_is_zero_on_the_same_date():
    assert working_days_between(CAL, at(2026, 3, 2, 8, 0), at(2026, 3, 2, 16, 0)) == 0


def test_close_of_business_of_a_closed_date_is_refused():
    with pytest.raises(ValueError, match="2026-12-25 is not a working day"):
        close_of_business(CAL, date(2026, 12, 25))


# --- zones that change their clocks ------------------------------------------


def test_a_period_across_a_forward_jump_is_shorter():
    # London, 29 March 2026: 01:00 becomes 02:00, so 00:30-01:45 lasts 30 minutes.
    night = at(2026, 3, 29, 0, 0, tz=LONDON), at(2026, 3, 29, 2, 0, tz=LONDON)

    assert working_minutes_between(NIGHT_SHIFTS, *night) == 30


def test_a_period_across_a_backward_jump_is_longer():
    # London, 25 October 2026: 02:00 BST becomes 01:00 GMT, so 00:30-02:30 lasts three hours.
    cal = WorkingCalendar(tz=LONDON, hours=(((time(0, 30), time(2, 30)),),) * 7)
    day = at(2026, 10, 25, 0, 0, tz=LONDON), at(2026, 10, 25, 12, 0, tz=LONDON)

    assert working_minutes_between(cal, *day) == 180


def test_a_skipped_opening_time_opens_at_the_jump():
    # Open from 01:30 on 29 March 2026 in London, a wall time the clock skips.
    cal = WorkingCalendar(tz=LONDON, hours=(((time(1, 30), time(3, 0)),),) * 7)

    opening = next_working_instant(cal, at(2026, 3, 29, 0, 0, tz=LONDON))

    assert opening == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:00 BST


def test_a_date_the_zone_skipped_is_not_a_working_day():
    # Samoa skipped Friday 30 December 2011 when it crossed the date line.
    apia = ZoneInfo("Pacific/Apia")
    cal = WorkingCalendar(tz=apia, hours=(((time(9, 0), time(17, 0)),),) * 7)

    assert add_working_days(cal, at(2011, 12, 29, 10, 0, tz=apia), 1) == at(2011, 12, 31, 17, 0, tz=apia)


# --- targets -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (Target(1, "working_days"), "1 working day"),
        (Target(5, "working_days"), "5 working days"),
        (Target(1, "working_hours"), "1 working hour"),
        (Target(4, "working_hours"), "4 working hours"),
        (Target(48, "calendar_hours"), "48 hours"),
        (Target(1, "calendar_days"), "1 day"),
    ],
)
def test_a_target_describes_itself_in_plain_english(target, words):
    assert target.describe() == words


@pytest.mark.parametrize(
    ("target", "due"),
    [
        (Target(2, "working_hours"), at(2026, 3, 9, 9, 0)),
        (Target(1, "working_days"), at(2026, 3, 9, 16, 30)),
        (Target(3, "calendar_hours"), at(2026, 3, 6, 18, 0)),
        (Target(2, "calendar_days"), at(2026, 3, 8, 15, 0)),
    ],
    ids=["working-hours", "working-days", "calendar-hours", "calendar-days"],
)
def test_a_target_falls_due_by_its_unit(target, due):
    # Given something started on Friday 6 March 2026 at 15:00
    assert target.due_from(CAL, at(2026, 3, 6, 15, 0)) == due


def test_calendar_hours_count_elapsed_time_across_a_clock_change():
    cal = WorkingCalendar(tz=LONDON)

    due = Target(3, "calendar_hours").due_from(cal, at(2026, 3, 29, 0, 0, tz=LONDON))

    assert due == at(2026, 3, 29, 4, 0, tz=LONDON)


def test_calendar_days_keep_the_wall_clock_time_across_a_clock_change():
    cal = WorkingCalendar(tz=LONDON)

    due = Target(1, "calendar_days").due_from(cal, at(2026, 3, 28, 9, 0, tz=LONDON))

    assert due == at(2026, 3, 29, 9, 0, tz=LONDON)


# --- refusals ----------------------------------------------------------------

MONDAY_9 = at(2026, 3, 2, 9, 0)
NAIVE = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: add_working_minutes(CAL, NAIVE, 10), "start must be timezone-aware"),
        (lambda: add_working_minutes(CAL, MONDAY_9, -1), "minutes must be 0 or more"),
        (lambda: add_working_minutes(CAL, MONDAY_9, 1.5), "minutes must be a whole number"),
        (lambda: add_working_days(CAL, MONDAY_9, -2), "days must be 0 or more"),
        (lambda: add_working_days(CAL, NAIVE, 1), "start must be timezone-aware"),
        (lambda: working_minutes_between(CAL, MONDAY_9, NAIVE), "end must be timezone-aware"),
        (lambda: working_days_between(CAL, NAIVE, MONDAY_9), "start must be timezone-aware"),
        (lambda: next_working_instant(CAL, NAIVE), "at must be timezone-aware"),
        (lambda: is_working_instant(CAL, NAIVE), "at must be timezone-aware"),
        (lambda: Target(1, "fortnights"), "Unknown target unit 'fortnights'"),
        (lambda: Target(-1, "working_days"), "cannot be negative"),
        (lambda: south_african_calendar(tz_name="Africa/Gotham"), "Unknown time zone 'Africa/Gotham'"),
        (lambda: south_african_calendar(country="XX"), "No public holidays known for country 'XX'"),
        (lambda: south_african_calendar(holiday_subdivision="NSW"),
         "No public holidays known for country 'ZA' and subdivision 'NSW'"),
    ],
)
def test_bad_input_is_refused_with_the_reason(call, words):
    with pytest.raises(ValueError, match=words):
        call()


NINE_TO_FIVE = ((time(9), time(17)),)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"hours": ((),) * 7}, "no working hours on any weekday"),
        ({"hours": ((),) * 6}, "7 weekdays"),
        ({"hours": [NINE_TO_FIVE] * 7}, "tuple of 7 weekdays"),
        ({"hours": (((time(9), time(8)),),) * 7}, "Monday: a working period must start before it ends"),
        ({"hours": (NINE_TO_FIVE,) * 6 + (((time(9), time(12)), (time(11), time(13))),)},
         "Sunday: working periods overlap"),
        ({"hours": (((time(9),),),) * 7}, r"Monday: a working period must be a \(start, end\) pair"),
        ({"hours": (((time(9, tzinfo=UTC), time(17)),),) * 7}, "naive times"),
        ({"closed_dates": {date(2026, 1, 2)}}, "closed_dates must be a frozenset"),
        ({"closed_dates": frozenset({datetime(2026, 1, 2, tzinfo=UTC)})}, "closed_dates must hold dates"),
        ({"tz": "Africa/Johannesburg"}, "tz must be a time zone"),
    ],
)
def test_an_invalid_calendar_is_refused_with_the_reason(fields, words):
    with pytest.raises(ValueError, match=words):
        WorkingCalendar(**{"tz": SAST, **fields})


def test_a_calendar_closed_for_years_says_so_instead_of_searching_for_ever():
    cal = WorkingCalendar(
        tz=SAST, closed_dates=frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(4000))
    )

    with pytest.raises(ValueError, match="No working time in the 3660 days"):
        add_working_minutes(cal, at(2026, 1, 1, 8, 0), 60)


def test_long_closures_shorter_than_the_limit_are_waited_out():
    closed = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(2000))
    cal = WorkingCalendar(tz=SAST, closed_dates=closed)

    # The first open date, 2000 days after 1 January 2026, is Tuesday 24 June 2031.
    assert next_working_instant(cal, at(2026, 1, 1, 8, 0)) == at(2031, 6, 24, 8, 0)


def test_a_deadline_more_than_ten_years_away_is_still_found():
    # 600 full weeks of 2,520 minutes from a Monday opening end at a Friday's 16:00 close.
    assert add_working_minutes(PLAIN, at(2026, 3, 2, 8, 0), 600 * 2520) == at(2037, 8, 28, 16, 0)


def test_equal_calendars_hash_alike_and_a_copy_from_a_pickle_finds_the_same_periods():
    import pickle

    tz = ZoneInfo("Africa/Johannesburg")
    cal = WorkingCalendar(tz, closed_dates=frozenset({date(2025, 3, 21)}))
    other = WorkingCalendar(tz, closed_dates=frozenset({date(2025, 3, 21)}))
    hash(cal)  # worked out and kept

    copied = pickle.loads(pickle.dumps(cal))  # noqa: S301 (bytes made just above)

    assert hash(other) == hash(cal) == hash(copied) == hash((tz, cal.hours, cal.closed_dates))
    assert {cal: "found"}[copied] == "found"
    assert hash(WorkingCalendar(tz)) != hash(cal)
    assert copied.periods_on(date(2025, 3, 20)) == cal.periods_on(date(2025, 3, 20))
