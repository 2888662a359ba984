import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.core.errors import DomainError
from imbizo.people.reflection import (
    contacts_to_pick,
    extra_step_add,
    reflection_save,
    weekly_review,
)
from imbizo.people.reflection_models import ContactReflection
from imbizo.people.timelog import timelog_save
from tests.factories import StaffFactory

from .factories import contact, rated_contact

pytestmark = pytest.mark.django_db
SAST = ZoneInfo("Africa/Johannesburg")
MONDAY = datetime.date(2026, 11, 30)
NOW = datetime.datetime(2026, 12, 4, 15, 0, tzinfo=SAST)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team(world):
    manager = StaffFactory(office=world.office, role="supervisor")
    return manager, [StaffFactory(office=world.office, manager=manager) for _ in range(3)]


def test_a_person_picks_a_good_and_a_difficult_contact_of_their_own(team, instruments):
    _manager, (officer, *_rest) = team
    good = rated_contact(officer, NOW - datetime.timedelta(days=2), overall=5)
    hard = contact(officer, NOW - datetime.timedelta(days=1))

    assert [c.pk for c in contacts_to_pick(staff=officer, week_start=MONDAY)] == [hard.pk, good.pk]
    reflection_save(staff=officer, week_start=MONDAY, pick="good", contact_id=good.pk,
                    what_i_did="Explained the repair plan", shared=True)
    reflection_save(staff=officer, week_start=MONDAY, pick="difficult", contact_id=hard.pk,
                    what_i_did="Lost patience", do_differently="Summarise what I heard")
    reflection_save(staff=officer, week_start=MONDAY, pick="good", contact_id=good.pk,
                    what_i_did="Explained the repair plan and phoned back")  # corrected

    assert ContactReflection.objects.filter(staff=officer).count() == 2
    assert ContactReflection.objects.get(pick="good").what_i_did.endswith("phoned back")


def test_someone_elses_contact_cannot_be_picked(team):
    _manager, (officer, colleague, _third) = team
    theirs = contact(colleague, NOW - datetime.timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        reflection_save(staff=officer, week_start=MONDAY, pick="good", contact_id=theirs.pk,
                        what_i_did="x")
    assert refused.value.code == "not_your_contact"
    assert not ContactReflection.objects.exists()


def test_the_same_contact_cannot_be_both_good_and_difficult(team):
    _manager, (officer, *_rest) = team
    mine = contact(officer, NOW - datetime.timedelta(days=1))
    reflection_save(staff=officer, week_start=MONDAY, pick="good", contact_id=mine.pk,
                    what_i_did="x")
    with pytest.raises(DomainError) as refused:
        reflection_save(staff=officer, week_start=MONDAY, pick="difficult", contact_id=mine.pk,
                        what_i_did="y")
    assert refused.value.code == "same_contact"


def test_a_reflection_needs_what_was_done(team):
    _manager, (officer, *_rest) = team
    mine = contact(officer, NOW - datetime.timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        reflection_save(staff=officer, week_start=MONDAY, pick="good", contact_id=mine.pk,
                        what_i_did="   ")
    assert refused.value.field == "what_i_did"


def test_something_extra_cannot_be_in_the_future(team):
    _manager, (officer, *_rest) = team
    with pytest.raises(DomainError) as refused:
        extra_step_add(staff=officer, done_on=NOW.date() + datetime.timedelta(days=1), note="x")
    assert refused.value.field == "done_on"


def test_the_weekly_review_lists_what_was_shared_and_who_has_not_logged(
        team, django_assert_max_num_queries):
    manager, (first, second, third) = team
    mine = contact(first, NOW - datetime.timedelta(days=1))
    other = contact(first, NOW - datetime.timedelta(days=2))
    timelog_save(staff=first, week_start=MONDAY, hours={})
    reflection_save(staff=first, week_start=MONDAY, pick="good", contact_id=mine.pk,
                    what_i_did="Shared one", shared=True)
    reflection_save(staff=first, week_start=MONDAY, pick="difficult", contact_id=other.pk,
                    what_i_did="Kept to myself")
    extra_step_add(staff=second, done_on=MONDAY, note="Walked her to the right office",
                   shared=True)
    extra_step_add(staff=third, done_on=MONDAY, note="Private", shared=False)

    with django_assert_max_num_queries(5):
        review = weekly_review(members=[first, second, third], week_start=MONDAY)

    assert [r.what_i_did for r in review.shared.reflections] == ["Shared one"]
    assert [e.note for e in review.shared.extras] == ["Walked her to the right office"]
    assert review.not_logged == [second, third]
    assert [(r.time_logged, r.picks, r.extras) for r in review.rows] == [
        (True, 2, 0), (False, 0, 1), (False, 0, 1)]
