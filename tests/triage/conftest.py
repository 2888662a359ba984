# Shared fixtures live in tests/conftest.py. Here: a few services and the
# examples the triage tests train on (the demo's phrasings: small and quick).
import random

import pytest

from imbizo.demo.triage_descriptions import describe
from imbizo.triage.model import model_forget
from imbizo.triage.training import Example
from tests.factories import ServiceFactory

CODES = ("water-leak", "no-water", "power-outage", "pothole", "missed-bin", "staff-conduct")


@pytest.fixture(autouse=True)
def _no_loaded_model():
    """The loaded model is per process: each test starts without one."""
    model_forget()
    yield
    model_forget()


@pytest.fixture
def services(world):
    """The world's water-leak service and five more."""
    made = {"water-leak": world.service}
    for code in CODES[1:]:
        made[code] = ServiceFactory(code=code, name=code.replace("-", " ").capitalize(),
                                    department=world.office.department)
    return made


def examples(n: int = 900, seed: int = 1) -> list[Example]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        code = CODES[i % len(CODES)]
        text, principles = describe(rng, code, code)
        out.append(Example(text, code, tuple(principles)))
    return out
