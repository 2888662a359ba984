import datetime

import pytest
import time_machine

from imbizo.org.models import Role
from imbizo.outreach import meetings
from tests.factories import DepartmentFactory, StaffFactory
from tests.support import sast

# Every test of the meetings package runs on a fixed Tuesday morning.
NOW = sast(2026, 3, 3, 9, 0)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clerk(world):
    return StaffFactory(office=world.office, role=Role.AGENT)


@pytest.fixture
def roads():
    return DepartmentFactory(code="roads", name="Roads and Stormwater")


@pytest.fixture
def plan(world, clerk):
    """Plan a meeting in world.ward, starting `days` from now at 18:00."""
    def planned(days: int = 7, **changes):
        starts = NOW.replace(hour=18) + datetime.timedelta(days=days)
        options = {"actor": clerk, "title": "Ward imbizo", "ward": world.ward,
                   "starts_at": starts, "ends_at": starts + datetime.timedelta(hours=2),
                   "place": "Community hall, 12 Main Road", "leaders": "Executive Mayor"}
        options.update(changes)
        return meetings.meeting_plan(**options)
    return planned


@pytest.fixture
def held(plan, clerk):
    """A meeting planned ahead and then held: the clock travels past its start."""
    def hold(days: int = 1, **record):
        meeting = plan(days=days)
        with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=1), tick=False):
            meetings.meeting_record(meeting=meeting, actor=clerk,
                                    attendance_total=record.pop("attendance_total", 80), **record)
        meeting.refresh_from_db()
        return meeting
    return hold
