from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imbizo.engagement.perception import (
    RatedContact,
    contact_score,
    contact_weight,
    perception_score,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def ago(days, *answers):
    return RatedContact(at=NOW - timedelta(days=days), answers=answers)


def test_a_contact_score_rescales_one_to_five_onto_zero_to_a_hundred():
    assert contact_score((1, 1, 1)) == 0
    assert contact_score((5, 5)) == 100
    assert contact_score((3,)) == 50
    assert contact_score(()) is None


def test_a_single_contact_is_the_journey():
    assert perception_score([ago(10, 4, 4, 4)], now=NOW) == 75.0


def test_recent_contacts_weigh_more_than_old_ones():
    old_good_new_bad = perception_score([ago(360, 5, 5), ago(1, 2, 2)], now=NOW)
    old_bad_new_good = perception_score([ago(360, 2, 2), ago(1, 5, 5)], now=NOW)

    assert old_good_new_bad < 50 < old_bad_new_good


def test_a_bad_contact_outweighs_an_equally_good_one_of_the_same_age():
    # 100 and 0 on the same day: the bad one counts double, so the mean is 100/3.
    assert perception_score([ago(5, 5), ago(5, 1)], now=NOW) == pytest.approx(33.3, abs=0.1)


def test_weights_halve_every_ninety_days():
    assert contact_weight(80, 90) == pytest.approx(0.5)
    assert contact_weight(20, 0) == 2.0


def test_no_rated_contact_means_no_score():
    assert perception_score([], now=NOW) is None
    assert perception_score([ago(1)], now=NOW) is None


@pytest.mark.parametrize("answers", [(0,), (6,), (3, 9)])
def test_answers_outside_one_to_five_are_refused(answers):
    with pytest.raises(ValueError, match="1 to 5"):
        contact_score(answers)


@given(st.lists(st.tuples(st.floats(0, 1000), st.lists(st.integers(1, 5), min_size=1,
                                                          max_size=7)), min_size=1, max_size=30))
def test_the_score_stays_between_the_worst_and_best_contact(items):
    contacts = [ago(days, *answers) for days, answers in items]

    score = perception_score(contacts, now=NOW)

    scores = [contact_score(tuple(a)) for _, a in items]
    assert min(scores) - 0.1 <= score <= max(scores) + 0.1
