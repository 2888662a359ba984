"""Training, storing and promoting the triage model (imbizo.triage.training)."""

import io

import numpy as np
import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.triage import training
from imbizo.triage.errors import TriageError, TriageInputError
from imbizo.triage.model import (
    ARRAY_NAMES,
    arrays_dump,
    arrays_load,
    model_from_arrays,
    model_in_use,
)
from imbizo.triage.model_models import ModelVersion
from imbizo.triage.training import Example, examples_closed, model_train
from tests.outreach.conftest import MONDAY_10
from tests.support import inside
from tests.triage.conftest import examples


def test_a_model_is_stored_as_plain_arrays_and_loads_without_pickle(services):
    row = model_train(examples=examples())

    stored = ModelVersion.objects.get(pk=row.pk)
    # np.load refuses anything pickled: the model is plain arrays only.
    with np.load(io.BytesIO(bytes(stored.arrays)), allow_pickle=False) as archive:
        assert set(archive.files) == set(ARRAY_NAMES)
        assert all(archive[name].dtype != object for name in archive.files)
        weights, vocabulary = archive["weights"], archive["vocabulary"]
        # Pre-transposed: one row per n-gram, one column per service.
        assert weights.shape == (len(vocabulary), len(archive["services"]))
    assert sorted(arrays_load(stored.arrays)["services"].tolist()) == sorted(services)


def test_the_loaded_model_ranks_as_the_stored_one(services):
    row = model_train(examples=examples())
    again = model_from_arrays(row.version, arrays_load(arrays_dump(arrays_load(row.arrays))))
    loaded = model_in_use()

    for text in ("burst pipe, water everywhere", "no power in the whole street"):
        a = loaded.service_scores(*loaded.features(text))
        b = again.service_scores(*again.features(text))
        assert np.allclose(a, b)
        assert abs(a.sum() - 1) < 1e-6
    cols, values = loaded.features("burst pipe, water everywhere")
    assert loaded.services[int(np.argmax(loaded.service_scores(cols, values)))] == "water-leak"


def test_arrays_that_would_need_pickle_are_refused():
    arrays = {name: np.zeros(1) for name in ARRAY_NAMES}
    arrays["vocabulary"] = np.array(["a", None], dtype=object)
    with pytest.raises(ValueError, match="pickle"):
        arrays_dump(arrays)


def test_the_first_model_is_evaluated_on_a_held_back_tenth_and_promoted(services):
    row = model_train(examples=examples(900), trained_by="test")

    assert row.in_use and row.promoted
    assert row.held_back == 90 and row.cases == 810
    assert 0.9 <= row.accuracy <= 1 and 0.9 <= row.macro_f1 <= 1 and row.top3 >= row.accuracy
    per_service = row.evaluation["services"]
    assert set(per_service) == set(services)
    assert sum(s["support"] for s in per_service.values()) == 90
    assert row.decision == "Promoted: the first model."


def test_a_model_that_does_worse_is_kept_but_not_promoted(services, monkeypatch):
    first = model_train(examples=examples(900))
    fit = training._fit

    def crippled(train, timings=None):
        arrays = fit(train, timings)
        arrays["weights"] = np.zeros_like(arrays["weights"])  # guesses at random
        return arrays

    monkeypatch.setattr(training, "_fit", crippled)
    worse = model_train(examples=examples(900, seed=2))

    assert not worse.promoted and not worse.in_use
    assert worse.macro_f1 < worse.evaluation["compared"]["macro_f1"]
    assert worse.decision.startswith("Not promoted")
    assert first.version in worse.decision
    assert ModelVersion.objects.get(in_use=True).version == first.version
    assert model_in_use().version == first.version


def test_a_model_as_good_replaces_the_one_in_use(services):
    first = model_train(examples=examples(900))
    second = model_train(examples=examples(900, seed=3))

    assert second.in_use and second.decision.startswith("Promoted")
    assert second.evaluation["compared"]["version"] == first.version
    assert list(ModelVersion.objects.filter(in_use=True).values_list("version", flat=True)) == [
        second.version]
    # Every process sees the new version at its next check.
    assert model_in_use().version == second.version


def test_too_few_cases_is_a_clear_error(services):
    with pytest.raises(TriageInputError) as caught:
        model_train(examples=[Example("burst pipe", "water-leak")] * 10)
    assert caught.value.code == TriageError.TOO_FEW_CASES
    assert "at least 50" in caught.value.message
    with pytest.raises(TriageInputError):
        model_train(examples=[Example("burst pipe", "water-leak")] * 60)  # one service
    assert not ModelVersion.objects.exists()


@time_machine.travel(MONDAY_10, tick=False)
def test_closed_cases_are_learned_by_their_final_service(services, world):
    def opened(text):
        return case_open(draft=CaseDraft(service_code="water-leak", description=text,
                                         channel="web", **inside(world.ward)))

    corrected = opened("Huge pothole outside the school")
    still_open = opened("Water pouring out of the pipe")
    closed = opened("Pipe burst on the corner")
    Case.objects.filter(pk=corrected.pk).update(service=services["pothole"], status="closed")
    Case.objects.filter(pk=closed.pk).update(status="resolved")

    got = {e.text: e.service for e in examples_closed()}

    assert got == {"Huge pothole outside the school": "pothole",
                   "Pipe burst on the corner": "water-leak"}
    assert still_open.description not in got
