"""The triage model in use: loaded once per process from plain arrays, refreshed
when a newer version is promoted, and asked without scikit-learn.

Prediction is a sparse dot product: the n-grams of the text, looked up in the
vocabulary, weighted (1 + log count) x idf, normalised, multiplied by the rows
of the pre-transposed weight matrix that those n-grams select.
"""

from __future__ import annotations

import io
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from .model_features import ngrams
from .model_models import ModelVersion

# The arrays an .npz of a model holds (ADR 0033).
ARRAY_NAMES = ("vocabulary", "idf", "weights", "intercepts", "services",
               "principle_weights", "principle_intercepts", "principles")


@dataclass
class LoadedModel:
    version: str
    index: dict[str, int]
    idf: np.ndarray                   # (n_features,) float32
    weights: np.ndarray               # (n_features, n_services) float32
    intercepts: np.ndarray            # (n_services,)
    services: list[str]               # service codes, in the weights' column order
    principle_weights: np.ndarray     # (n_features, n_principles)
    principle_intercepts: np.ndarray
    principles: list[str]

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The indices and tf-idf values (l2-normalised) of `text`'s known n-grams."""
        counts = Counter(ngrams(text))
        index = self.index
        pairs = [(index[g], c) for g, c in counts.items() if g in index]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cols = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        tf = np.fromiter((1.0 + math.log(p[1]) for p in pairs), dtype=np.float32,
                         count=len(pairs))
        values = tf * self.idf[cols]
        norm = float(np.sqrt(values @ values))
        return cols, values / norm if norm else values

    def service_matrix(self, texts: list[str]) -> np.ndarray:
        """Each text's service probabilities, one row per text, in one sparse
        product (evaluation over many texts; suggest() asks one at a time)."""
        # Evaluation only (training's dependency): web processes need NumPy alone.
        from scipy.sparse import csr_matrix

        indptr, indices, data = [0], [], []
        for text in texts:
            cols, values = self.features(text)
            indices.extend(cols.tolist())
            data.extend(values.tolist())
            indptr.append(len(indices))
        x = csr_matrix((np.array(data, dtype=np.float32), np.array(indices, dtype=np.int64),
                        np.array(indptr)), shape=(len(texts), len(self.idf)))
        raw = np.asarray(x @ self.weights, dtype=np.float64) + self.intercepts
        p = 1.0 / (1.0 + np.exp(-raw))
        total = p.sum(axis=1, keepdims=True)
        return p / np.where(total > 0, total, 1.0)

    def service_scores(self, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Each service's probability (one-vs-rest logistic, normalised to sum 1)."""
        raw = values @ self.weights[cols] + self.intercepts
        p = 1.0 / (1.0 + np.exp(-raw.astype(np.float64)))
        total = p.sum()
        return p / total if total else p

    def principle_scores(self, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
        if not self.principles:
            return np.zeros(0)
        raw = values @ self.principle_weights[cols] + self.principle_intercepts
        return 1.0 / (1.0 + np.exp(-raw.astype(np.float64)))


def arrays_dump(arrays: dict[str, np.ndarray]) -> bytes:
    """The .npz bytes of a model's arrays (plain dtypes only: never pickled)."""
    missing = set(ARRAY_NAMES) - set(arrays)
    if missing:
        raise ValueError(f"model arrays missing: {sorted(missing)}")
    for name, value in arrays.items():
        if value.dtype == object:
            raise ValueError(f"model array {name} would need pickle")
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def arrays_load(data: bytes) -> dict[str, np.ndarray]:
    """The arrays of an .npz made by arrays_dump; refuses anything pickled."""
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def model_from_arrays(version: str, arrays: dict[str, np.ndarray]) -> LoadedModel:
    vocabulary = arrays["vocabulary"].tolist()
    return LoadedModel(
        version=version,
        index={g: i for i, g in enumerate(vocabulary)},
        idf=arrays["idf"].astype(np.float32),
        weights=np.ascontiguousarray(arrays["weights"], dtype=np.float32),
        intercepts=arrays["intercepts"].astype(np.float32),
        services=arrays["services"].tolist(),
        principle_weights=np.ascontiguousarray(arrays["principle_weights"], dtype=np.float32),
        principle_intercepts=arrays["principle_intercepts"].astype(np.float32),
        principles=arrays["principles"].tolist(),
    )


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.model: LoadedModel | None = None
        self.version: str = ""
        self.checked_at: float = -math.inf


_cache = _Cache()


def model_in_use() -> LoadedModel | None:
    """The promoted model, loaded once per process; a cheap version check at most
    every TRIAGE_MODEL_CHECK_SECONDS reloads it when a newer one is promoted."""
    every = getattr(settings, "TRIAGE_MODEL_CHECK_SECONDS", 30)
    now = time.monotonic()
    if now - _cache.checked_at < every:
        return _cache.model
    version = (ModelVersion.objects.filter(in_use=True)
               .values_list("version", flat=True).first() or "")
    with _cache.lock:
        _cache.checked_at = now
        if version == _cache.version:
            return _cache.model
        if not version:
            _cache.model, _cache.version = None, ""
            return None
        row = ModelVersion.objects.filter(version=version).values_list("arrays", flat=True).first()
        if row is None:
            return _cache.model
        _cache.model = model_from_arrays(version, arrays_load(row))
        _cache.version = version
        return _cache.model


def model_forget() -> None:
    """Drop this process's loaded model (tests; a promotion elsewhere is seen by
    the version check)."""
    with _cache.lock:
        _cache.model, _cache.version, _cache.checked_at = None, "", -math.inf
