"""A triage model for the demo, so `make run` suggests services from the start."""

from imbizo.triage.training import model_train

# The newest closed cases it learns from: enough for every service's phrasings,
# few enough to keep `imbizo demo` quick.
DEMO_SAMPLE = 10_000


def triage_model_build() -> str:
    """Train and promote the demo's first model; its version."""
    return model_train(trained_by="demo", limit=DEMO_SAMPLE).version
