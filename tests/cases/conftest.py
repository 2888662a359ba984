# Shared fixtures live in tests/conftest.py; helpers in tests/support.py.
# Here: an officer and a case at the depot, opened on a Monday at 10:00, for
# the life-cycle tests.
import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.support import SAST, inside, sast  # noqa: F401

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def at(*args):
    """Travel to the SAST instant `args` (year, month, day, hour, minute)."""
    return time_machine.travel(sast(*args), tick=False)


@pytest.fixture
def officer(world):
    return StaffFactory(office=world.office, role=Role.OFFICER)


@pytest.fixture
def case(world):
    with time_machine.travel(MONDAY_10, tick=False):
        return case_open(draft=CaseDraft(
            service_code="water-leak", description="Leak", channel="hotline",
            citizen_email="c@example.org", contact_consent=True, **inside(world.ward),
        ))
