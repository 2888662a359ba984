"""The record of triage in use: suggested, chosen, corrected later, and the
accuracy-in-use figure computed from it."""

import datetime

import pytest
import time_machine

from imbizo.cases.services import case_service_change
from imbizo.triage.usage import choice_record, suggestion_record, usage_by_model, usage_figures
from imbizo.triage.usage_models import SuggestionRecord
from tests.triage.use.conftest import MONDAY_10, report


@pytest.fixture
def opened(world, services, here):
    with time_machine.travel(MONDAY_10, tick=False):
        return [report(services.leak, f"Burst pipe number {n}", point=here) for n in range(4)]


def test_a_record_keeps_the_suggestions_in_order_and_the_rank_of_the_choice(opened):
    record = suggestion_record(case=opened[0], door="intake",
                               suggested=["no-water", "water-leak", "pothole", "extra"],
                               model="3")

    assert record.suggested == ["no-water", "water-leak", "pothole"]
    assert record.first_suggested.code == "no-water"
    assert (record.chosen.code, record.chosen_rank, record.model) == ("water-leak", 2, "3")


def test_recording_the_same_case_twice_keeps_the_first_record(opened):
    """Two copies of one form sent at the same moment both reach the one case
    its idempotency key names; the second must not fail on the first's row."""
    first = suggestion_record(case=opened[0], door="report", suggested=["water-leak"], model="3")
    again = suggestion_record(case=opened[0], door="report", suggested=["pothole"], model="4")

    assert again.pk == first.pk and again.model == "3"
    assert SuggestionRecord.objects.filter(case=opened[0]).count() == 1


def test_unknown_codes_are_dropped_and_nothing_suggested_is_no_rank(opened):
    record = suggestion_record(case=opened[0], door="report", suggested=["nope", "nope"])
    assert (record.suggested, record.first_suggested, record.chosen_rank) == ([], None, None)


def test_a_later_service_correction_is_noted_through_the_case_hook(opened, services,
                                                                   supervisor):
    suggestion_record(case=opened[0], door="intake", suggested=["water-leak"])

    case_service_change(case=opened[0], actor=supervisor, service=services.pothole)

    record = SuggestionRecord.objects.get()
    assert record.corrected_to == services.pothole and record.corrected_at is not None


def test_a_correction_back_to_the_choice_clears_it(opened, services, supervisor):
    suggestion_record(case=opened[0], door="intake", suggested=["water-leak"])
    case_service_change(case=opened[0], actor=supervisor, service=services.pothole)
    case_service_change(case=opened[0], actor=supervisor, service=services.leak)

    assert SuggestionRecord.objects.get().corrected_to is None


def test_a_correction_of_a_case_without_a_record_changes_nothing(opened, services, supervisor):
    case_service_change(case=opened[0], actor=supervisor, service=services.pothole)
    assert not SuggestionRecord.objects.exists()


def test_accuracy_in_use_counts_the_final_service_against_the_first_suggestion(
        opened, services, supervisor, django_assert_num_queries):
    a, b, c, d = opened
    suggestion_record(case=a, door="intake", suggested=["water-leak", "no-water"])  # right
    suggestion_record(case=b, door="intake", suggested=["pothole", "water-leak"])  # 2nd chosen
    suggestion_record(case=c, door="report", suggested=["water-leak"])  # chosen, then corrected
    suggestion_record(case=d, door="report", suggested=[])  # nothing offered
    case_service_change(case=c, actor=supervisor, service=services.no_water)
    # b was chosen second but staff corrected it to the first suggestion: right after all.
    case_service_change(case=b, actor=supervisor, service=services.pothole)

    with django_assert_num_queries(1):
        figures = usage_figures()

    assert (figures.cases, figures.offered, figures.accepted_first, figures.accepted_any,
            figures.corrected, figures.final_first) == (4, 3, 2, 3, 2, 2)
    assert figures.accuracy_in_use == pytest.approx(2 / 3, abs=0.001)
    assert figures.acceptance == 1.0
    assert figures.correction_rate == 0.5
    assert usage_figures(door="report").cases == 2
    assert usage_figures(since=MONDAY_10 + datetime.timedelta(days=1)).cases == 0
    assert usage_figures(since=MONDAY_10 + datetime.timedelta(days=1)).accuracy_in_use is None


def test_choice_record_is_once_per_case(opened):
    first = choice_record(case=opened[0], door="intake")
    again = choice_record(case=opened[0], door="report")
    assert first.pk == again.pk and SuggestionRecord.objects.count() == 1


def test_the_figures_by_model_version_are_one_query(opened, django_assert_num_queries):
    suggestion_record(case=opened[0], door="intake", suggested=["water-leak"], model="1")
    suggestion_record(case=opened[1], door="intake", suggested=["pothole"], model="2")
    suggestion_record(case=opened[2], door="intake", suggested=["water-leak"], model="2")

    with django_assert_num_queries(1):
        by_model = usage_by_model()

    assert set(by_model) == {"1", "2"}
    assert (by_model["1"].accuracy_in_use, by_model["2"].accuracy_in_use) == (1.0, 0.5)
