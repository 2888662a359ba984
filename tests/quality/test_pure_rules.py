"""Pure rules of the quality programme: the cycle table, score formulas,
judging an action, scoring a story, candidates, anonymising text."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imbizo.quality.action_transitions import ALLOWED as ACTION_MOVES
from imbizo.quality.action_transitions import ENDED_STATES, ActionState, may_move
from imbizo.quality.anonymise import anonymise, scrub
from imbizo.quality.cycle import Stage, Step, advance, plan_open, steps_allowed
from imbizo.quality.scoring import (
    STAFF_BAR,
    Classification,
    Direction,
    ItemScore,
    Verdict,
    compare,
    is_candidate,
    percent,
    scorecard,
    story_points,
    verdict,
    windows,
)

# --- an action's status --------------------------------------------------------------------


def test_every_action_status_has_its_row_in_the_table():
    assert set(ACTION_MOVES) == set(ActionState)


def test_an_open_action_ends_judged_or_cancelled_and_an_ended_one_stays_as_it_ended():
    assert {target for target in ActionState if may_move(ActionState.OPEN, target)} == {
        ActionState.EFFECTIVE, ActionState.NOT_EFFECTIVE, ActionState.CANCELLED}
    assert not any(may_move(source, target) for source in ENDED_STATES for target in ActionState)


# --- the cycle ---------------------------------------------------------------------------


def test_a_cycle_runs_baseline_feedback_plan_revisit_in_that_order():
    stage = Stage.BASELINE
    for step in (Step.BASELINE_VISITED, Step.FEEDBACK_HELD, Step.PLAN_AGREED, Step.REVISITED):
        stage = advance(stage, step)

    assert stage == Stage.DONE


@pytest.mark.parametrize("stage, step", [
    (Stage.BASELINE, Step.REVISITED),
    (Stage.BASELINE, Step.PLAN_AGREED),
    (Stage.FEEDBACK, Step.BASELINE_VISITED),
    (Stage.PLAN, Step.REVISITED),
    (Stage.DONE, Step.CANCELLED),
])
def test_steps_out_of_order_are_refused(stage, step):
    with pytest.raises(ValueError):
        advance(stage, step)


def test_an_open_cycle_can_be_cancelled_but_a_finished_one_cannot():
    assert Step.CANCELLED in steps_allowed(Stage.PLAN)
    assert steps_allowed(Stage.DONE) == frozenset()


def test_actions_are_added_to_the_plan_between_the_baseline_and_the_agreed_plan():
    assert [stage for stage in Stage if plan_open(stage)] == [Stage.FEEDBACK, Stage.PLAN]


# --- scorecards --------------------------------------------------------------------------


def test_a_scorecard_averages_each_area_and_all_items():
    card = scorecard([ItemScore(1, "Safety", 2), ItemScore(2, "Safety", 3),
                      ItemScore(3, "Signage", 4)])

    assert card.areas == {"Safety": 2.5, "Signage": 4.0}
    assert card.overall == 3.0
    assert card.percent == 67


def test_a_comparison_shows_the_change_per_area_item_and_overall():
    before = scorecard([ItemScore(1, "Safety", 2), ItemScore(2, "Signage", 1)])
    after = scorecard([ItemScore(1, "Safety", 3), ItemScore(2, "Signage", 4)])

    result = compare(before, after)

    assert result.areas["Signage"].delta == 3.0
    assert result.items[1].delta == 1.0
    assert (result.overall.before, result.overall.after, result.overall.delta) == (1.5, 3.5, 2.0)


def test_an_empty_visit_has_no_overall_score():
    assert scorecard([]).overall is None
    assert scorecard([]).percent is None


# --- judging actions ---------------------------------------------------------------------


def test_a_figure_that_rose_as_expected_is_effective():
    assert verdict(before=60.0, before_count=20, after=75.0, after_count=20,
                   direction=Direction.UP) == Verdict.EFFECTIVE


def test_a_figure_that_stood_still_is_not_effective():
    assert verdict(before=60.0, before_count=20, after=60.0, after_count=20,
                   direction=Direction.UP) == Verdict.NOT_EFFECTIVE


def test_a_falling_figure_is_effective_when_lower_is_better():
    assert verdict(before=12.0, before_count=30, after=8.0, after_count=30,
                   direction=Direction.DOWN) == Verdict.EFFECTIVE


def test_a_rise_short_of_the_target_is_not_effective():
    assert verdict(before=60.0, before_count=20, after=75.0, after_count=20,
                   direction=Direction.UP, target=80.0) == Verdict.NOT_EFFECTIVE


def test_too_few_cases_in_a_window_are_not_evidence():
    assert verdict(before=60.0, before_count=20, after=100.0, after_count=4,
                   direction=Direction.UP) == Verdict.NOT_ENOUGH_EVIDENCE


def test_the_after_window_starts_at_the_due_date_and_is_capped_at_its_length():
    agreed = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    due = datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC)
    late = datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)

    periods = windows(agreed_at=agreed, due_at=due, days=30, now=late)

    assert periods.before_since == agreed - datetime.timedelta(days=30)
    assert periods.before_until == agreed
    assert (periods.after_since, periods.after_until) == (due, due + datetime.timedelta(days=30))


def test_before_the_due_date_there_is_no_after_window():
    agreed = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    due = datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC)

    periods = windows(agreed_at=agreed, due_at=due, days=30, now=due - datetime.timedelta(days=1))

    assert not periods.after_started


# --- stories -----------------------------------------------------------------------------


def test_a_failure_is_scored_on_outcome_principle_and_strategy():
    key = Classification("failure", "courtesy", "courtesy")

    assert story_points(key, Classification("failure", "courtesy", "courtesy")) == (3, 3)
    assert story_points(key, Classification("failure", "redress", "courtesy")) == (2, 3)
    assert story_points(key, Classification("success", "courtesy", None)) == (1, 3)


def test_a_success_is_scored_out_of_two():
    key = Classification("success", "information", None)

    assert story_points(key, Classification("success", "information", None)) == (2, 2)


def test_the_learning_record_is_the_share_of_points_earned():
    assert percent([(3, 3), (1, 2)]) == 80
    assert percent([]) is None


# --- recognition -------------------------------------------------------------------------


def test_a_compliment_makes_a_candidate_and_so_do_many_high_ratings():
    assert is_candidate(compliments=1, average=None, responses=0, bar=STAFF_BAR)
    assert is_candidate(compliments=0, average=4.6, responses=5, bar=STAFF_BAR)
    assert not is_candidate(compliments=0, average=4.9, responses=2, bar=STAFF_BAR)
    assert not is_candidate(compliments=0, average=4.0, responses=50, bar=STAFF_BAR)


# --- anonymising -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Call me on 082 555 1234 please", "Call me on +27 82 555 1234 please",
    "Call me on (011) 555-1234 please", "Call me on 0825551234 please",
])
def test_phone_numbers_are_scrubbed(text):
    assert scrub(text) == "Call me on [number] please"


def test_emails_and_links_are_scrubbed():
    assert scrub("Write to thandi.m@example.org or see https://x.example/a?b=1") == (
        "Write to [email] or see [link]")


def test_short_numbers_stay():
    assert scrub("Ward 12, pothole 30 cm deep, reported 3 times") == (
        "Ward 12, pothole 30 cm deep, reported 3 times")


def test_known_names_and_the_address_are_removed_whole_words_only():
    text = "Mrs Thandi Mokoena at 14 Church Street says Thandiwe was kind."

    result = anonymise(text, names=["Thandi Mokoena"], addresses=["14 Church Street"])

    assert result == "Mrs [name] [name] at [address] says Thandiwe was kind."


@given(st.sampled_from(["0", "+27", "27", "+27 (0)"]), st.lists(st.integers(0, 9), min_size=9,
                                                               max_size=9),
       st.sampled_from([" ", "-", "", ".", "  "]))
def test_no_south_african_phone_number_survives_scrubbing(prefix, digits, separator):
    """A national or international number (0 or +27, then nine digits), however spaced."""
    groups = ("".join(map(str, digits[:2])), "".join(map(str, digits[2:5])),
              "".join(map(str, digits[5:])))
    number = prefix + separator + separator.join(groups)

    assert not any(ch.isdigit() for ch in scrub(f"Call me on {number} tonight"))
