import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.core.errors import DomainError
from imbizo.people.timelog import (
    timelog_save,
    timelog_suggest,
    timelog_team,
    timelog_trend,
    timelog_week,
)
from imbizo.people.timelog_models import TimeLogEntry, TimeLogWeek, WorkKind
from tests.factories import StaffFactory
from tests.support import inside

from .factories import case_events, contact

pytestmark = pytest.mark.django_db
SAST = ZoneInfo("Africa/Johannesburg")
MONDAY = datetime.date(2026, 11, 30)
NOW = datetime.datetime(2026, 12, 4, 15, 0, tzinfo=SAST)  # that Friday


def at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(MONDAY + datetime.timedelta(days=day),
                                     datetime.time(hour), tzinfo=SAST)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_week_starts_from_contact_handling_time_and_case_events(world):
    officer = StaffFactory(office=world.office)
    other = StaffFactory(office=world.office)
    contact(officer, at(0), handling_minutes=30)
    contact(officer, at(0, 14), handling_minutes=60)
    contact(officer, at(2), handling_minutes=45)
    contact(other, at(0), handling_minutes=600)  # someone else's
    contact(officer, at(7), handling_minutes=600)  # the next week
    case = case_open(draft=CaseDraft(service_code="water-leak", description="x", channel="web",
                                     **inside(world.ward)))
    # six events moving the case (1 h at 10 min each), three notes (30 min of administration)
    case_events(case, officer, at(1), ["status"] * 3 + ["public_update"] * 3 + ["note"] * 3)

    suggested = timelog_suggest(staff=officer, week_start=MONDAY)

    assert suggested == {(0, WorkKind.CLIENTS): Decimal("1.50"),
                         (2, WorkKind.CLIENTS): Decimal("0.75"),
                         (1, WorkKind.CLIENTS): Decimal("1.00"),
                         (1, WorkKind.ADMIN): Decimal("0.50")}


def test_the_suggestion_costs_two_queries(world, django_assert_num_queries):
    officer = StaffFactory(office=world.office)
    for day in range(5):
        contact(officer, at(day))
    with django_assert_num_queries(2):
        timelog_suggest(staff=officer, week_start=MONDAY)


def test_an_unsaved_week_shows_the_suggestion_and_its_share(world):
    officer = StaffFactory(office=world.office)
    contact(officer, at(0), handling_minutes=120)

    week = timelog_week(staff=officer, week_start=MONDAY)

    assert week.saved is None
    assert week.total == Decimal(2) and week.share == 100


def test_the_person_corrects_the_week_and_sets_a_goal(world):
    officer = StaffFactory(office=world.office)
    contact(officer, at(0), handling_minutes=120)
    hours = {(d, WorkKind.CLIENTS): Decimal(4) for d in range(5)}
    hours |= {(d, WorkKind.ADMIN): Decimal(3) for d in range(5)}
    hours[(0, WorkKind.INTERNAL)] = Decimal(1)

    timelog_save(staff=officer, week_start=MONDAY, hours=hours, goal_share=70,
                 goal_note="Answer emails after four")

    week = timelog_week(staff=officer, week_start=MONDAY)
    assert week.saved.goal_share == 70
    assert week.total == Decimal(36) and week.serving == Decimal(21) and week.share == 58
    assert week.rows[0].suggested[0] == Decimal(2)  # what Imbizo had suggested is kept


def test_a_week_over_168_hours_is_refused_and_nothing_is_stored(world):
    officer = StaffFactory(office=world.office)
    hours = {(d, k): Decimal(20) for d in range(7) for k in (WorkKind.CLIENTS, WorkKind.OTHER)}

    with pytest.raises(DomainError) as refused:
        timelog_save(staff=officer, week_start=MONDAY, hours=hours, goal_share=50)

    assert refused.value.code == "week_too_long" and "280" in refused.value.message
    assert not TimeLogWeek.objects.exists() and not TimeLogEntry.objects.exists()


def test_a_day_over_24_hours_is_refused(world):
    officer = StaffFactory(office=world.office)
    with pytest.raises(DomainError) as refused:
        timelog_save(staff=officer, week_start=MONDAY,
                     hours={(2, WorkKind.CLIENTS): Decimal(20), (2, WorkKind.ADMIN): Decimal(5)})
    assert refused.value.code == "day_too_long" and "Wednesday" in refused.value.message


def test_a_negative_entry_is_refused_and_the_saved_week_stays_as_it_was(world):
    officer = StaffFactory(office=world.office)
    timelog_save(staff=officer, week_start=MONDAY, hours={(0, WorkKind.CLIENTS): Decimal(5)},
                 goal_share=60)

    with pytest.raises(DomainError) as refused:
        timelog_save(staff=officer, week_start=MONDAY,
                     hours={(0, WorkKind.CLIENTS): Decimal(8), (1, WorkKind.ADMIN): Decimal(-2)},
                     goal_share=90)

    assert refused.value.code == "negative" and refused.value.field == "h_1_admin"
    week = TimeLogWeek.objects.get()
    assert week.goal_share == 60
    assert list(week.entries.values_list("hours", flat=True)) == [Decimal(5)]


@pytest.mark.parametrize(("week_start", "code"), [
    (MONDAY + datetime.timedelta(days=1), "not_a_monday"),
    (MONDAY + datetime.timedelta(days=7), "in_the_future"),
])
def test_a_week_must_start_on_a_monday_that_has_come(world, week_start, code):
    officer = StaffFactory(office=world.office)
    with pytest.raises(DomainError) as refused:
        timelog_save(staff=officer, week_start=week_start, hours={})
    assert refused.value.code == code


def test_a_goal_outside_0_to_100_is_refused(world):
    officer = StaffFactory(office=world.office)
    with pytest.raises(DomainError) as refused:
        timelog_save(staff=officer, week_start=MONDAY, hours={}, goal_share=120)
    assert refused.value.field == "goal_share"


def test_the_trend_shows_each_weeks_share_against_the_goal_set_the_week_before(world):
    officer = StaffFactory(office=world.office)
    for weeks_back, serving, goal in ((2, 20, 60), (1, 25, 70), (0, 30, 75)):
        timelog_save(staff=officer, week_start=MONDAY - datetime.timedelta(weeks=weeks_back),
                     hours={(0, WorkKind.CLIENTS): Decimal(serving) / 5,
                            (1, WorkKind.ADMIN): Decimal(40 - serving) / 5},
                     goal_share=goal)

    trend = timelog_trend(staff=officer)

    assert [(p.share, p.goal) for p in trend] == [(50, None), (63, 60), (75, 70)]


def test_the_team_view_gives_each_members_distribution_in_one_query(
        world, django_assert_num_queries):
    manager = StaffFactory(office=world.office, role="supervisor")
    members = [StaffFactory(office=world.office, manager=manager) for _ in range(4)]
    for member in members[:3]:
        timelog_save(staff=member, week_start=MONDAY,
                     hours={(0, WorkKind.CLIENTS): Decimal(6), (0, WorkKind.OTHER): Decimal(2)},
                     goal_share=80)

    with django_assert_num_queries(1):
        rows = timelog_team(members=members, week_start=MONDAY)

    assert [(r.logged, r.share) for r in rows] == [(True, 75)] * 3 + [(False, None)]
    assert rows[0].hours["clients"] == Decimal(6) and rows[0].goal == 80
