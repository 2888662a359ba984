# Shared fixtures live in tests/conftest.py; helpers in tests/support.py.
from tests.support import SAST, inside, sast  # noqa: F401
