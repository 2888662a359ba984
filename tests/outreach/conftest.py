# Shared fixtures live in tests/conftest.py; helpers in tests/support.py.
# Here: the loopback SMTP server and HTTP SMS gateway of the delivery tests,
# and a water cut in the world's ward, drafted for the interruption tests.
from datetime import timedelta

import pytest

from imbizo.org.models import Role
from imbizo.outreach.interruptions import InterruptionDraft
from tests.factories import StaffFactory
from tests.notify.conftest import sms_gateway, smtp_server  # noqa: F401
from tests.support import sast

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def cut(world, **changes) -> InterruptionDraft:
    """An unplanned water cut in the world's ward from Monday 09:00 to 18:00."""
    fields = {
        "service": world.service, "ward_ids": [world.ward.pk], "kind": "unplanned",
        "title": "Burst main on Vilakazi Street",
        "public_text": "No water in Ward 1 while the main is repaired.",
        "starts_at": MONDAY_10 - timedelta(hours=1),
        "expected_restoration_at": MONDAY_10 + timedelta(hours=8),
    }
    fields.update(changes)
    return InterruptionDraft(**fields)


@pytest.fixture
def officer(world):
    return StaffFactory(office=world.office, role=Role.SUPERVISOR)
