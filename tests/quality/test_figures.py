"""The figures actions are judged on, each checked against the raw rows."""

from datetime import timedelta

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_acknowledge, case_open, case_reopen
from imbizo.engagement.models import Answer, Instrument, Response
from imbizo.quality.figures import Metric, figure
from tests.factories import OfficeFactory
from tests.quality.factories import finished_case
from tests.support import inside, sast

pytestmark = pytest.mark.django_db
FEB, MAR = sast(2026, 2, 1, 0, 0), sast(2026, 3, 1, 0, 0)
DAY = timedelta(days=1)


def opened(world, at):
    with time_machine.travel(at, tick=False):
        return case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                         channel="web", **inside(world.ward)))


def test_the_share_acknowledged_within_the_pledge_counts_cases_opened_in_the_period(world,
                                                                                    staff):
    cases = [opened(world, sast(2026, 2, d, 9)) for d in (2, 3, 4, 5)]
    with time_machine.travel(sast(2026, 2, 2, 11), tick=False):
        case_acknowledge(case=cases[0], actor=staff.officer)  # within a working day
    with time_machine.travel(sast(2026, 2, 16, 11), tick=False):
        case_acknowledge(case=cases[1], actor=staff.officer)  # late
    finished_case(world, opened_at=sast(2026, 2, 6, 9), took=timedelta(hours=2))  # answered
    opened(world, sast(2026, 2, 27, 15))  # not yet due at the end of February: not counted

    result = figure(metric=Metric.ACKNOWLEDGED_WITHIN_PLEDGE, office=world.office, since=FEB,
                    until=MAR)

    rows = [c for c in Case.objects.filter(opened_at__gte=FEB, opened_at__lt=MAR)
            if c.ack_due_at < MAR]
    on_time = [c for c in rows if (c.acknowledged_at or c.resolved_at or MAR) <= c.ack_due_at]
    assert (result.value, result.count) == (round(100 * len(on_time) / len(rows), 1), 5) == (
        40.0, 5)


def test_the_complaint_share_is_complaints_among_all_cases_opened(world):
    for kind in ("complaint", "request", "request", "compliment"):
        finished_case(world, opened_at=sast(2026, 2, 3, 9), took=DAY, kind=kind)

    result = figure(metric=Metric.COMPLAINT_SHARE, office=world.office, since=FEB, until=MAR)

    assert (result.value, result.count) == (25.0, 4)


def test_the_reopened_share_counts_resolved_cases_the_citizen_reopened(world):
    first = finished_case(world, opened_at=sast(2026, 2, 3, 9), took=DAY)
    finished_case(world, opened_at=sast(2026, 2, 4, 9), took=DAY)
    with time_machine.travel(sast(2026, 2, 10, 9), tick=False):
        case_reopen(case=first, actor=None, reason="Still leaking")

    result = figure(metric=Metric.REOPENED, office=world.office, since=FEB, until=MAR)

    assert (result.value, result.count) == (50.0, 2)


def test_the_average_rating_covers_the_scored_answers_of_the_office(world, staff):
    instrument = Instrument.objects.get(code="after-contact")
    questions = {q.driver: q for q in instrument.questions.all()}
    for office, scores in ((world.office, (5, 4, 3)), (world.office, (2, 2, 2)),
                           (OfficeFactory(), (1, 1, 1))):
        response = Response.objects.create(instrument=instrument, office=office,
                                           submitted_at=sast(2026, 2, 10, 9))
        for driver, number in zip(("concern", "friendliness", "civility"), scores, strict=True):
            Answer.objects.create(response=response, question=questions[driver], driver=driver,
                                  number=number)

    result = figure(metric=Metric.AVERAGE_RATING, office=world.office, since=FEB, until=MAR)

    assert (result.value, result.count) == (round((5 + 4 + 3 + 2 + 2 + 2) / 6, 2), 2)


def test_a_figure_without_data_has_no_value(world):
    result = figure(metric=Metric.RESOLVED_WITHIN_PLEDGE, office=world.office, since=FEB,
                    until=MAR)

    assert (result.value, result.count) == (None, 0)
