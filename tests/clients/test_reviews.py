"""Quarterly reviews: suggestions, up to three chosen and turned into quality
actions (through quality's own service), figures frozen when held."""

import datetime

import pytest
import time_machine

from imbizo.clients.errors import ClientError
from imbizo.clients.group_models import Measure, MeasureSource, Rating, ReviewFigure
from imbizo.clients.models import KeyClient, OrganisationKind
from imbizo.clients.reviews import (
    review_hold,
    review_open,
    suggestion_record,
    suggestion_to_action,
    suggestions_choose,
)
from imbizo.core import clock
from imbizo.quality.models import ActionSource
from tests.clients.factories import at, case, group, people

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC)  # Q2 2026; Q1 is over
H = datetime.timedelta(hours=1)


@pytest.fixture
def staff(world):
    return people(world)


@pytest.fixture
def review(world, staff):
    households = group("households", default=True)
    with time_machine.travel(NOW, tick=False):
        return review_open(group=households, year=2026, quarter=1, actor=staff["supervisor"])


def _suggestions(review, staff, n):
    return [suggestion_record(review=review, actor=staff["supervisor"], text=f"Idea {i}")
            for i in range(n)]


@time_machine.travel(NOW, tick=False)
def test_a_review_of_a_quarter_not_begun_is_refused(world, staff):
    with pytest.raises(ClientError) as error:
        review_open(group=group("schools"), year=2026, quarter=3, actor=staff["supervisor"])
    assert "2026 Q3" in error.value.message


@time_machine.travel(NOW, tick=False)
def test_a_second_review_of_the_same_quarter_is_refused(review, staff):
    with pytest.raises(ClientError) as error:
        review_open(group=review.group, year=2026, quarter=1, actor=staff["manager"])
    assert "already" in error.value.message


@time_machine.travel(NOW, tick=False)
def test_officers_and_analysts_do_not_run_reviews(world, staff):
    for role in ("officer", "analyst"):
        with pytest.raises(ClientError):
            review_open(group=group(f"g-{role}"), year=2026, quarter=1, actor=staff[role])


@time_machine.travel(NOW, tick=False)
def test_a_suggestion_from_another_groups_key_client_is_refused(review, staff):
    school = KeyClient.objects.create(
        name="Ubuntu High", kind=OrganisationKind.SCHOOL, group=group("schools"),
        account_manager=staff["manager"], created_at=clock.now())
    with pytest.raises(ClientError) as error:
        suggestion_record(review=review, actor=staff["supervisor"], text="More forums",
                          key_client=school)
    assert "Ubuntu High" in error.value.message


@time_machine.travel(NOW, tick=False)
def test_choosing_more_than_three_suggestions_is_refused(review, staff):
    ideas = _suggestions(review, staff, 4)

    with pytest.raises(ClientError) as error:
        suggestions_choose(review=review, actor=staff["supervisor"],
                           chosen_ids=[s.pk for s in ideas])

    assert "at most three" in error.value.message and "4" in error.value.message
    assert not review.suggestions.filter(chosen=True).exists()


@time_machine.travel(NOW, tick=False)
def test_a_chosen_suggestion_becomes_a_quality_action_from_the_client_review(review, staff):
    idea = _suggestions(review, staff, 2)[0]
    suggestions_choose(review=review, actor=staff["supervisor"], chosen_ids=[idea.pk])

    action = suggestion_to_action(
        suggestion=idea, actor=staff["supervisor"], owner=staff["supervisor"],
        due_on=datetime.date(2026, 6, 30), principle="information",
        metric="share_resolved_in_time", office=staff["supervisor"].office)

    idea.refresh_from_db()
    assert idea.action == action and idea.chosen
    assert action.source == ActionSource.CLIENT_REVIEW
    assert action.title == "Idea 0" and "2026 Q1" in action.detail
    # Judged on later figures like every action: its "before" window is set by quality.
    assert action.window_days == 60 and action.created_at == clock.now()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("missing", "words"), [("owner", "owner"), ("due_on", "due")])
def test_an_action_without_owner_or_due_date_is_refused(review, staff, missing, words):
    idea = _suggestions(review, staff, 1)[0]
    given = {"owner": staff["supervisor"], "due_on": datetime.date(2026, 6, 30)}
    given[missing] = None

    with pytest.raises(ClientError) as error:
        suggestion_to_action(suggestion=idea, actor=staff["supervisor"], principle="information",
                             metric="share_resolved_in_time",
                             office=staff["supervisor"].office, **given)

    assert words in error.value.message and error.value.field == missing
    idea.refresh_from_db()
    assert idea.action is None


@time_machine.travel(NOW, tick=False)
def test_a_fourth_action_is_refused_when_three_are_chosen(review, staff):
    ideas = _suggestions(review, staff, 4)
    suggestions_choose(review=review, actor=staff["supervisor"],
                       chosen_ids=[s.pk for s in ideas[:3]])

    with pytest.raises(ClientError) as error:
        suggestion_to_action(suggestion=ideas[3], actor=staff["supervisor"],
                             owner=staff["supervisor"], due_on=datetime.date(2026, 6, 30),
                             principle="information", metric="share_resolved_in_time",
                             office=staff["supervisor"].office)
    assert "Three" in error.value.message


@time_machine.travel(NOW, tick=False)
def test_quality_refuses_an_action_outside_the_actors_offices(review, staff):
    from tests.factories import OfficeFactory

    idea = _suggestions(review, staff, 1)[0]
    with pytest.raises(ClientError):
        suggestion_to_action(suggestion=idea, actor=staff["supervisor"],
                             owner=staff["supervisor"], due_on=datetime.date(2026, 6, 30),
                             principle="information", metric="share_resolved_in_time",
                             office=OfficeFactory())


def test_holding_freezes_the_quarters_figures_rated_against_targets(world, review, staff):
    opened = at(2026, 2, 3)
    case(world, opened_at=opened, acknowledged_at=opened + 2 * H, resolved_at=opened + 9 * H,
         resolve_due_at=opened + 40 * H)
    case(world, opened_at=opened, acknowledged_at=opened + 6 * H, resolved_at=opened + 50 * H,
         resolve_due_at=opened + 40 * H)
    compliance = Measure.objects.create(group=review.group, name="On time", target=80,
                                        source=MeasureSource.COMPLIANCE)
    by_hand = Measure.objects.create(group=review.group, name="Forums", target=3,
                                     source=MeasureSource.MANUAL)

    with time_machine.travel(NOW, tick=False):
        review_hold(review=review, actor=staff["manager"], manual={by_hand.pk: 3.0})
        # Later cases of the quarter do not move a held review's figures.
        case(world, opened_at=opened, acknowledged_at=opened + H, resolved_at=opened + 2 * H,
             resolve_due_at=opened + 40 * H)

    frozen = {f.measure_id: f for f in ReviewFigure.objects.filter(review=review)}
    assert (frozen[compliance.pk].value, frozen[compliance.pk].count) == (50.0, 2)
    assert frozen[compliance.pk].rating == Rating.MISSED
    assert (frozen[by_hand.pk].value, frozen[by_hand.pk].rating) == (3.0, Rating.MET)
    review.refresh_from_db()
    assert review.is_held and review.held_by == staff["manager"]
    with time_machine.travel(NOW, tick=False), pytest.raises(ClientError):
        review_hold(review=review, actor=staff["manager"])


def test_a_quarter_not_over_cannot_be_held(world, staff):
    with time_machine.travel(NOW, tick=False):
        current = review_open(group=group("schools"), year=2026, quarter=2,
                              actor=staff["supervisor"])
        with pytest.raises(ClientError) as error:
            review_hold(review=current, actor=staff["supervisor"])
    assert "2026-07-01" in error.value.message
