"""suggest(): the contract shared with the API and the forms (triage-interface)."""

import pytest
from django.test.utils import override_settings

from imbizo.triage.errors import TriageError, TriageInputError
from imbizo.triage.suggest import (
    MAX_DESCRIPTION,
    ServiceGuess,
    Suggestion,
    services_suggested,
    suggest,
)
from imbizo.triage.training import Example, model_train
from tests.triage.conftest import examples


def test_with_no_model_nothing_is_suggested_and_the_reason_given(services):
    answer = suggest(description="Live wire hanging over the road")

    assert isinstance(answer, Suggestion)
    assert answer.services == [] and answer.model == ""
    assert answer.reason == "no model has been trained yet"
    # Urgency and language need no model.
    assert answer.urgency == "urgent" and answer.urgency_reasons == ["live wire"]
    assert answer.language == "en"


def test_the_best_services_first_at_most_three_with_names_and_confidence(services):
    row = model_train(examples=examples())

    with override_settings(TRIAGE_CONFIDENCE_THRESHOLD=0.0):
        answer = suggest(description="the pipe burst and water is running down the road")

    assert answer.model == row.version and answer.reason == ""
    assert 1 <= len(answer.services) <= 3
    assert all(isinstance(s, ServiceGuess) for s in answer.services)
    assert answer.services[0].code == "water-leak"
    assert answer.services[0].name == services["water-leak"].name
    confidences = [s.confidence for s in answer.services]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 1 for c in confidences)
    assert answer.urgency == "high"  # the leak service's usual urgency
    assert answer.urgency_reasons == ["the service's usual urgency"]


def test_below_the_threshold_nothing_is_suggested(services):
    model_train(examples=examples())

    with override_settings(TRIAGE_CONFIDENCE_THRESHOLD=0.99):
        answer = suggest(description="something happened somewhere")

    assert answer.services == []
    assert answer.reason.startswith("no service is likely enough")
    with override_settings(TRIAGE_CONFIDENCE_THRESHOLD=0.3):
        assert suggest(description="Burst pipe flooding the road").services[0].code == "water-leak"


def test_words_never_seen_get_a_reason_not_a_guess(services):
    model_train(examples=examples())

    answer = suggest(description="zzqx")

    assert answer.services == [] and answer.reason


def test_a_retired_service_is_never_suggested(services):
    model_train(examples=examples())
    services["water-leak"].active = False
    services["water-leak"].save()

    with override_settings(TRIAGE_CONFIDENCE_THRESHOLD=0.0):
        answer = suggest(description="Burst pipe flooding the road")

    assert "water-leak" not in [s.code for s in answer.services]


def test_principles_are_learned_from_tagged_cases(services):
    tagged = [Example(f"Pothole on street {n}. The lady on the phone was rude to me.",
                      "pothole", ("courtesy",)) for n in range(40)]
    row = model_train(examples=examples() + tagged)

    assert "courtesy" in row.evaluation["principles"]
    assert suggest(description="No water again and the man on the phone was rude to me"
                   ).principles == ["courtesy"]
    assert suggest(description="Burst pipe flooding the road").principles == []


def test_no_principles_are_learned_from_too_few_tags(services):
    few = [Example("Pothole. Rude staff.", "pothole", ("courtesy",))] * 5
    row = model_train(examples=examples(600) + few)
    assert "courtesy" not in row.evaluation["principles"]


@pytest.mark.parametrize(("description", "code"), [
    ("", TriageError.EMPTY_DESCRIPTION),
    ("   \n ", TriageError.EMPTY_DESCRIPTION),
    ("x" * (MAX_DESCRIPTION + 1), TriageError.DESCRIPTION_TOO_LONG),
])
def test_an_empty_or_overlong_description_is_a_clear_error(services, description, code):
    with pytest.raises(TriageInputError) as caught:
        suggest(description=description)
    assert caught.value.code == code and caught.value.field == "description"


def test_an_unknown_service_code_is_a_clear_error(services):
    with pytest.raises(TriageInputError) as caught:
        suggest(description="Burst pipe", service_code="no-such-service")
    assert caught.value.code == TriageError.UNKNOWN_SERVICE
    assert "no-such-service" in caught.value.message


def test_a_chosen_service_sets_the_usual_urgency(services):
    assert suggest(description="please come and look", service_code="power-outage").urgency == "high"
    assert suggest(description="please come and look", service_code="pothole").urgency == "normal"


@pytest.mark.parametrize("threshold", [0.0, 0.99])
def test_the_services_alone_are_those_of_the_whole_suggestion(services, threshold):
    row = model_train(examples=examples())
    services["pothole"].active = False
    services["pothole"].save()
    text = "the pipe burst and water is running down the road, and a pothole"

    with override_settings(TRIAGE_CONFIDENCE_THRESHOLD=threshold):
        codes, model = services_suggested(description=text)
        whole = suggest(description=text)

    assert (codes, model) == ([s.code for s in whole.services], row.version)
    assert "pothole" not in codes


def test_the_services_alone_without_a_model_or_words(services):
    assert services_suggested(description="Burst pipe") == ([], "")
    with pytest.raises(TriageInputError):
        services_suggested(description="  ")
