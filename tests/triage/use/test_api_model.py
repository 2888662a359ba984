"""POST /api/v1/triage with a model really trained (triage.training), not a
stand-in: best first, at most three, confidences in order, and nothing
suggested below the threshold."""

import itertools

import pytest

from imbizo.triage.training import Example, model_train

PHRASES = {
    "water-leak": ["burst pipe water running in the street", "pipe leaking on the corner",
                   "water pouring from a broken pipe", "leak at the water main"],
    "pothole": ["big pothole in the road", "deep hole in the tar damaging cars",
                "pothole near the school", "road broken with holes"],
    "no-water": ["no water in the taps since morning", "taps are dry the whole day",
                 "no water supply in our area", "water cut off no water"],
    "drivers-licence": ["renew my driving licence", "licence card expired renewal",
                        "driving licence renewal booking", "my licence needs renewing"],
}


@pytest.fixture
def model(world, services, settings):
    settings.TRIAGE_MODEL_CHECK_SECONDS = 0
    examples = [Example(f"{text} {n}", code) for (code, texts), n in
                itertools.product(PHRASES.items(), range(20)) for text in texts]
    return model_train(examples=examples, trained_by="test")


def test_a_trained_model_answers_best_first_at_most_three(model, reader):
    response = reader.post("/triage", {"description": "a pipe burst and water is running "
                                                      "down the street"})

    body = response.json()
    assert response.status_code == 200
    assert body["model"] == model.version and body["reason"] == ""
    assert 1 <= len(body["services"]) <= 3
    assert body["services"][0]["code"] == "water-leak"
    confidences = [s["confidence"] for s in body["services"]]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 < c <= 1 for c in confidences)


def test_below_the_threshold_nothing_is_suggested_and_the_reason_is_given(model, reader,
                                                                        settings):
    settings.TRIAGE_CONFIDENCE_THRESHOLD = 0.99
    body = reader.post("/triage", {"description": "something happened somewhere"}).json()

    assert body["services"] == []
    assert body["reason"]
    assert body["model"] == model.version
