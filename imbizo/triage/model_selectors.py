"""What administrators read about the triage model's versions."""

import csv
from pathlib import Path

from .model import model_in_use
from .model_models import ModelVersion
from .training import Example, evaluate


def model_versions(limit: int = 20) -> list[ModelVersion]:
    """The newest versions, with their evaluation (not their arrays)."""
    return list(ModelVersion.objects.defer("arrays").order_by("-trained_at", "-pk")[:limit])


def model_evaluate_file(path: Path) -> dict:
    """The model in use, evaluated on a CSV file with `description` and `service`
    columns (e.g. tests/fixtures/triage/descriptions.csv)."""
    model = model_in_use()
    if model is None:
        raise LookupError("no model has been trained yet")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [Example(r["description"], r["service"]) for r in csv.DictReader(handle)]
    return {"version": model.version, "cases": len(rows), **evaluate(model, rows)}
