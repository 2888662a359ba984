"""The figures actions are judged on, read from the insights rollups, each
checked against the raw rows."""

from datetime import timedelta

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_acknowledge, case_open, case_reopen
from imbizo.engagement.models import Invitation
from imbizo.engagement.services import invitation_create, invitation_get, response_submit
from imbizo.insights.rollups import rollups_fold
from imbizo.quality.figures import PERCENT_METRICS, Metric, figure
from tests.quality.factories import finished_case
from tests.support import inside, sast

pytestmark = pytest.mark.django_db
FEB, MAR = sast(2026, 2, 1, 0, 0), sast(2026, 3, 1, 0, 0)
DAY = timedelta(days=1)


def opened(world, at, **citizen):
    with time_machine.travel(at, tick=False):
        return case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                         channel="web", **citizen, **inside(world.ward)))


def test_the_share_resolved_in_time_counts_the_resolutions_of_the_period(world):
    for day, took in ((2, 1), (3, 12), (4, 1), (24, 10)):  # the last resolves in March
        finished_case(world, opened_at=sast(2026, 2, day, 9), took=took * DAY)

    result = figure(metric=Metric.SHARE_RESOLVED_IN_TIME, office=world.office, since=FEB,
                    until=MAR)

    resolved = [c for c in Case.objects.all() if FEB <= c.resolved_at < MAR]
    on_time = [c for c in resolved if c.resolved_at <= c.resolve_due_at]
    assert (result.value, result.count) == (
        round(100 * len(on_time) / len(resolved), 1), len(resolved)) == (66.7, 3)


def test_the_share_acknowledged_in_time_counts_the_acknowledgements_of_the_period(world,
                                                                                 staff):
    cases = [opened(world, sast(2026, 2, d, 9)) for d in (2, 3, 4)]
    with time_machine.travel(sast(2026, 2, 2, 11), tick=False):
        case_acknowledge(case=cases[0], actor=staff.officer)  # within a working day
    with time_machine.travel(sast(2026, 2, 16, 11), tick=False):
        case_acknowledge(case=cases[1], actor=staff.officer)  # late
    rollups_fold()

    result = figure(metric=Metric.SHARE_ACKNOWLEDGED_IN_TIME, office=world.office, since=FEB,
                    until=MAR)

    acknowledged = [c for c in Case.objects.all() if c.acknowledged_at]
    met = [c for c in acknowledged if c.acknowledged_at <= c.ack_due_at]
    assert (result.value, result.count) == (
        round(100 * len(met) / len(acknowledged), 1), len(acknowledged)) == (50.0, 2)


def test_the_reopen_rate_is_reopenings_per_case_resolved(world):
    first = finished_case(world, opened_at=sast(2026, 2, 3, 9), took=DAY)
    finished_case(world, opened_at=sast(2026, 2, 4, 9), took=DAY)
    with time_machine.travel(sast(2026, 2, 10, 9), tick=False):
        case_reopen(case=first, actor=None, reason="Still leaking")
    rollups_fold()

    result = figure(metric=Metric.REOPEN_RATE, office=world.office, since=FEB, until=MAR)

    assert (result.value, result.count) == (50.0, 2)


def rate(case, **scores):
    token = invitation_create(instrument_code="after-contact", source=Invitation.Source.EMAIL,
                              case=case, identifier=f"{case.pk}@example.org")
    with time_machine.travel(sast(2026, 2, 10, 9), tick=False):
        response_submit(invitation=invitation_get(token),
                        answers={k: str(v) for k, v in scores.items()})


def test_a_rating_figure_averages_its_own_question_for_the_office(world):
    with time_machine.travel(sast(2026, 2, 9, 9), tick=False):
        cases = [case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                           channel="web", **inside(world.ward)))
                 for _ in range(2)]
    rate(cases[0], concern=5, friendliness=4, civility=4, overall=3)
    rate(cases[1], concern=4, friendliness=4, civility=2, overall=1)
    rollups_fold()

    overall = figure(metric=Metric.RATING_OVERALL, office=world.office, since=FEB, until=MAR)
    civility = figure(metric=Metric.RATING_CIVILITY, office=world.office, since=FEB, until=MAR)

    assert (overall.value, overall.count) == ((3 + 1) / 2, 2)
    assert (civility.value, civility.count) == ((4 + 2) / 2, 2)


def test_a_figure_without_data_has_no_value(world):
    result = figure(metric=Metric.SHARE_RESOLVED_IN_TIME, office=world.office, since=FEB,
                    until=MAR)

    assert (result.value, result.count) == (None, 0)


def test_shares_read_in_percent_and_ratings_do_not():
    assert Metric.SHARE_RESOLVED_IN_TIME in PERCENT_METRICS
    assert Metric.RATING_OVERALL not in PERCENT_METRICS
