"""Training the triage model on the institution's closed cases (scikit-learn is
used here only: the web processes predict from the stored arrays).

Cases are learned by their FINAL service (after any staff correction: the
case's service now), a tenth held back to evaluate. The new version is promoted
only if it does at least as well (macro F1) on that same held-back tenth as the
version in use; otherwise it is kept, with its evaluation, but not used.
"""

from __future__ import annotations

import logging
import random
import time
import warnings
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.cases.models import Case
from imbizo.cases.transitions import DONE_STATUSES
from imbizo.core import clock

from .errors import TriageError, TriageInputError
from .model import LoadedModel, arrays_dump, arrays_load, model_forget, model_from_arrays
from .model_features import ngrams
from .model_models import ModelVersion

logger = logging.getLogger("imbizo.triage")

MIN_CASES = 50          # fewer closed cases than this: nothing worth learning
MIN_PRINCIPLE_TAGS = 15  # a principle needs this many tagged cases to be learned
SEED = 19
EPOCHS = 3  # passes over the cases: more cost time and gained nothing on the fixture


@dataclass(frozen=True)
class Example:
    text: str
    service: str
    principles: tuple[str, ...] = ()


def examples_closed(limit: int | None = None) -> list[Example]:
    """The closed cases' descriptions, final services and principle tags."""
    rows = (Case.objects.filter(status__in=DONE_STATUSES).exclude(description="")
            .order_by("-pk").values_list("description", "service__code", "principles"))
    if limit:
        rows = rows[:limit]
    return [Example(text, code, tuple(p or ())) for text, code, p in rows.iterator(chunk_size=5000)]


def _split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    shuffled = list(examples)
    random.Random(SEED).shuffle(shuffled)  # noqa: S311 - a repeatable split, not a secret
    cut = max(1, len(shuffled) // 10)
    return shuffled[cut:], shuffled[:cut]


def _fit(train: list[Example], timings: dict | None = None):
    """The arrays of the fitted vectoriser, service classifier and principle
    classifiers; `timings` gets the seconds of each step."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    # scikit-learn only when training: web processes never import it.
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer  # as above
    from sklearn.linear_model import SGDClassifier  # as above

    # A few epochs are enough for these sparse texts; more only cost time.
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    texts = [e.text for e in train]
    vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=2,
                                 max_features=getattr(settings, "TRIAGE_MAX_FEATURES", 150_000),
                                 dtype=np.float32)
    # Analysing is the slow part: each distinct text once (demo and real intake
    # repeat many short texts), then the rows are picked from them.
    unique = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(unique)}
    x_unique = vectorizer.fit_transform(unique)
    x = x_unique[[position[t] for t in texts]].astype(np.float64)
    timings["features"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    labels = np.array([e.service for e in train])
    classifier = SGDClassifier(loss="log_loss", alpha=1e-6, max_iter=EPOCHS, tol=None,
                               random_state=SEED, n_jobs=2)
    classifier.fit(x, labels)
    timings["services"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    counts = Counter(p for e in train for p in set(e.principles))
    learned = sorted(p for p, n in counts.items() if n >= MIN_PRINCIPLE_TAGS)
    p_weights = np.zeros((x.shape[1], len(learned)), dtype=np.float32)
    p_intercepts = np.zeros(len(learned), dtype=np.float32)
    for j, principle in enumerate(learned):
        target = np.array([principle in e.principles for e in train])
        binary = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=EPOCHS, tol=None,
                               random_state=SEED)
        binary.fit(x, target)
        p_weights[:, j] = binary.coef_[0]
        p_intercepts[j] = binary.intercept_[0]
    timings["principles"] = round(time.perf_counter() - started, 2)
    vocabulary = np.empty(len(vectorizer.vocabulary_), dtype=object)
    for gram, i in vectorizer.vocabulary_.items():
        vocabulary[i] = gram
    coef = classifier.coef_
    if coef.shape[0] == 1:  # two services: one column; the other is its negation
        coef = np.vstack([-coef[0], coef[0]])
        intercepts = np.array([-classifier.intercept_[0], classifier.intercept_[0]])
    else:
        intercepts = classifier.intercept_
    return {
        "vocabulary": vocabulary.astype(str),
        "idf": vectorizer.idf_.astype(np.float32),
        "weights": np.ascontiguousarray(coef.T, dtype=np.float32),
        "intercepts": intercepts.astype(np.float32),
        "services": np.array(classifier.classes_, dtype=str),
        "principle_weights": p_weights,
        "principle_intercepts": p_intercepts,
        "principles": np.array(learned, dtype=str).reshape(-1),
    }


def _ranked(model: LoadedModel, texts: list[str]) -> list[list[str]]:
    """Each text's services, best first (top three), as production ranks them."""
    out: list[list[str]] = []
    for start in range(0, len(texts), 5000):
        scores = model.service_matrix(texts[start:start + 5000])
        top = np.argsort(-scores, axis=1)[:, :3]
        out.extend([model.services[i] for i in row] for row in top)
    return out


def evaluate(model: LoadedModel, held: list[Example]) -> dict:
    """Accuracy, macro F1 (over the services in the held-back cases), per-service
    precision/recall/F1 and top-3 accuracy of `model` on `held`."""
    ranked = _ranked(model, [e.text for e in held])
    truth = [e.service for e in held]
    first = [r[0] if r else "" for r in ranked]
    services = sorted(set(truth))
    per: dict[str, dict] = {}
    for code in services:
        tp = sum(1 for t, p in zip(truth, first, strict=True) if t == code and p == code)
        predicted = sum(1 for p in first if p == code)
        support = sum(1 for t in truth if t == code)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[code] = {"precision": round(precision, 4), "recall": round(recall, 4),
                     "f1": round(f1, 4), "support": support}
    n = len(held) or 1
    return {
        "accuracy": sum(1 for t, p in zip(truth, first, strict=True) if t == p) / n,
        "macro_f1": sum(v["f1"] for v in per.values()) / (len(per) or 1),
        "top3": sum(1 for t, r in zip(truth, ranked, strict=True) if t in r) / n,
        "services": per,
    }


def _version_name(now) -> str:
    n = ModelVersion.objects.count() + 1
    return f"v{n}-{now:%Y%m%d-%H%M%S}"


def model_train(*, examples: list[Example] | None = None, trained_by: str = "command",
                limit: int | None = None) -> ModelVersion:
    """Train a version on the closed cases (or `examples`), evaluate it on a
    held-back tenth, store it, and promote it unless it does worse than the
    version in use on that same tenth. Raises TriageInputError when there is
    too little to learn from."""
    started = time.perf_counter()
    if examples is None:
        examples = examples_closed(limit)
    examples = [e for e in examples if e.text.strip()]
    if len(examples) < MIN_CASES or len({e.service for e in examples}) < 2:
        raise TriageInputError(
            TriageError.TOO_FEW_CASES,
            _("Too few closed cases to learn from: %(n)d; at least %(min)d, in two services "
              "or more.") % {"n": len(examples), "min": MIN_CASES})
    train, held = _split(examples)
    timings: dict[str, float] = {}
    arrays = _fit(train, timings)
    evaluating = time.perf_counter()
    now = clock.now()
    version = _version_name(now)
    model = model_from_arrays(version, arrays)
    figures = evaluate(model, held)
    figures["principles"] = arrays["principles"].tolist()
    current = ModelVersion.objects.filter(in_use=True).first()
    compared = None
    promote = True
    if current is not None:
        old = evaluate(model_from_arrays(current.version, arrays_load(current.arrays)), held)
        compared = {"version": current.version, "macro_f1": old["macro_f1"],
                    "accuracy": old["accuracy"], "top3": old["top3"]}
        promote = figures["macro_f1"] >= old["macro_f1"]
    figures["compared"] = compared
    timings["evaluation"] = round(time.perf_counter() - evaluating, 2)
    figures["timings"] = timings
    if current is None:
        decision = _("Promoted: the first model.")
    elif promote:
        decision = _("Promoted: macro F1 %(new).3f against %(old).3f for %(version)s on the "
                     "same held-back cases.") % {"new": figures["macro_f1"],
                                                 "old": compared["macro_f1"],
                                                 "version": current.version}
    else:
        decision = _("Not promoted: macro F1 %(new).3f is worse than %(old).3f for %(version)s, "
                     "which stays in use.") % {"new": figures["macro_f1"],
                                               "old": compared["macro_f1"],
                                               "version": current.version}
    services = figures.pop("services")
    figures["services"] = services
    with transaction.atomic():
        if promote:
            ModelVersion.objects.filter(in_use=True).update(in_use=False)
        row = ModelVersion.objects.create(
            version=version, trained_at=now, trained_by=trained_by, cases=len(train),
            held_back=len(held), seconds=round(time.perf_counter() - started, 2),
            accuracy=figures["accuracy"], macro_f1=figures["macro_f1"], top3=figures["top3"],
            evaluation={k: v for k, v in figures.items()
                        if k not in ("accuracy", "macro_f1", "top3")},
            promoted=promote, in_use=promote, decision=decision,
            arrays=arrays_dump(arrays))
    model_forget()
    logger.info("triage: trained %s on %d cases in %.1f s: %s", version, len(train),
                row.seconds, decision)
    return row
