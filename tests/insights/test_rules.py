"""Pure rules: hotspots, Poisson tails, correlations, medians, periods, map classes."""

import datetime
import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imbizo.dashboards.maps import COLOURS, NO_DATA, classes
from imbizo.insights.metrics import Metric, median_days, value_of
from imbizo.insights.rules import (
    correlation,
    driver_scores,
    hotspot,
    hotspot_possible,
    poisson_tail,
)
from imbizo.insights.selectors import period_split

D = datetime.date


def poisson_tail_by_sum(k, rate):
    return 1 - sum(math.exp(-rate) * rate ** i / math.factorial(i) for i in range(k))


@pytest.mark.parametrize(("k", "rate"), [(0, 3), (1, 3), (5, 2.5), (12, 1), (40, 30), (31, 30),
                                         (3, 2.5), (45, 30.5), (30, 30)])
def test_the_poisson_tail_matches_the_textbook_sum(k, rate):
    assert poisson_tail(k, rate) == pytest.approx(poisson_tail_by_sum(k, rate), abs=1e-12)


def test_the_poisson_tail_stays_finite_for_busy_wards():
    assert 0 < poisson_tail(900, 700) < 1e-10
    assert poisson_tail(600, 700) == pytest.approx(1, abs=1e-3)


def test_a_ward_far_above_its_own_baseline_is_a_hotspot():
    verdict = hotspot(recent=30, baseline=40)  # usual week 10

    assert verdict.is_hotspot and verdict.ratio == 3


@pytest.mark.parametrize(("recent", "baseline"), [
    (9, 0),     # too few cases, however sudden
    (14, 40),   # 1.4 times usual: below the ratio
    (15, 40),   # 1.5 times, but chance is about 1 in 20
])
def test_small_or_likely_rises_are_not_hotspots(recent, baseline):
    assert not hotspot(recent=recent, baseline=baseline).is_hotspot


@given(st.integers(0, 3000), st.integers(0, 12000))
def test_the_cheap_check_never_rules_out_a_hotspot(recent, baseline):
    if hotspot(recent=recent, baseline=baseline).is_hotspot:
        assert hotspot_possible(recent=recent, baseline=baseline)


def test_a_busy_ward_at_its_usual_pace_skips_the_poisson_tail():
    # A province ward: some 460 cases a week, 1,840 in the four weeks before.
    assert not hotspot_possible(recent=460, baseline=1840)
    assert not hotspot_possible(recent=680, baseline=1840)  # 1.48 times: below the ratio
    assert hotspot_possible(recent=700, baseline=1840)


def test_a_quiet_ward_counts_as_one_case_a_week():
    assert hotspot(recent=10, baseline=0).expected == 1


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=3, max_size=40))
def test_correlation_from_sums_equals_pearsons_r(pairs):
    xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
    r = correlation(n=len(pairs), sx=sum(xs), sy=sum(ys), sxx=sum(x * x for x in xs),
                    syy=sum(y * y for y in ys), sxy=sum(x * y for x, y in pairs))
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        assert r is None
    else:
        assert r == pytest.approx(statistics.correlation(xs, ys), abs=1e-9)


def test_drivers_below_the_minimum_pairs_get_no_importance():
    sums = {"civility": {"n": 10, "total": 30, "total_sq": 100, "pn": 10, "px": 30, "py": 30,
                         "pxx": 100, "pyy": 100, "pxy": 95}}

    (score,) = driver_scores(sums, min_pairs=30)

    assert score.importance is None and score.mean == 3


def test_the_median_is_read_from_the_band_of_the_middle_case():
    # 1 case under 4 h, 2 in [24 h, 48 h): the middle case is in the second band.
    assert median_days({"rt0": 1, "rt3": 2}) == pytest.approx(30 / 24, abs=0.06)
    assert median_days({}) is None


def test_shares_are_none_when_nothing_was_measured():
    assert value_of(Metric.SHARE_RESOLVED_IN_TIME, {}) is None
    assert value_of(Metric.SHARE_RESOLVED_IN_TIME, {"resolved_on_time": 3,
                                                    "resolved_late": 1}) == 0.75


@pytest.mark.parametrize(("since", "until", "months", "days"), [
    (D(2026, 1, 1), D(2026, 4, 1), (D(2026, 1, 1), D(2026, 4, 1)), ()),
    (D(2026, 1, 15), D(2026, 4, 10), (D(2026, 2, 1), D(2026, 4, 1)),
     ((D(2026, 1, 15), D(2026, 2, 1)), (D(2026, 4, 1), D(2026, 4, 10)))),
    (D(2026, 1, 15), D(2026, 2, 10), None, ((D(2026, 1, 15), D(2026, 2, 10)),)),
    (None, D(2026, 2, 10), (None, D(2026, 2, 1)), ((D(2026, 2, 1), D(2026, 2, 10)),)),
])
def test_a_period_is_whole_months_plus_edge_days(since, until, months, days):
    split = period_split(since, until)

    assert (split.use_months and (split.months_from, split.months_until)) == (months or False)
    assert split.days == days


@given(st.dates(D(2020, 1, 1), D(2030, 1, 1)), st.integers(0, 800))
def test_a_split_period_covers_every_day_once(since, length):
    until = since + datetime.timedelta(days=length)
    split = period_split(since, until)
    covered = []
    for low, high in split.days:
        covered += [low + datetime.timedelta(days=i) for i in range((high - low).days)]
    if split.use_months:
        day = split.months_from
        while day < split.months_until:
            covered.append(day)
            day += datetime.timedelta(days=1)
    assert sorted(covered) == [since + datetime.timedelta(days=i) for i in range(length)]


def test_map_classes_run_from_zero_to_the_largest_value():
    painted, legend = classes({"A": 0.0, "B": 5.5, "C": 10.5, "D": None})

    assert [painted[k]["colour"] for k in "ABCD"] == [COLOURS[0], COLOURS[2], COLOURS[4], NO_DATA]
    assert legend[0].low == 0 and legend[-1].high == 10.5


def test_counts_get_whole_number_classes():
    painted, legend = classes({"A": 0, "B": 3, "C": 9})

    assert [(c.low, c.high) for c in legend] == [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)]
    assert painted["B"]["colour"] == COLOURS[1] and painted["C"]["colour"] == COLOURS[4]


def test_a_read_uses_the_smallest_monthly_table_that_has_its_columns():
    from imbizo.insights.models import MonthlyCases, ServiceMonthlyCases, WardMonthlyOpenings
    from imbizo.insights.selectors import _monthly_for

    assert _monthly_for("cases", {"service_id", "office_id", "opened"}) is ServiceMonthlyCases
    assert _monthly_for("cases", {"ward_id", "service_id", "opened"}) is WardMonthlyOpenings
    assert _monthly_for("cases", {"ward_id", "resolved"}) is MonthlyCases
    assert _monthly_for("cases", {"ward_id", "office_id", "opened"}) is MonthlyCases


def test_grouping_by_service_group_needs_the_groups():
    from imbizo.insights.selectors import SERVICE_GROUP, period_sums

    with pytest.raises(TypeError, match="service_groups"):
        period_sums("cases", ("opened",), group_by=("ward_id", SERVICE_GROUP))
