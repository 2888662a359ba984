import datetime
from zoneinfo import ZoneInfo

import pytest

from imbizo.cases.services import calendar_reset
from tests.factories import (
    InstitutionFactory,
    OfficeFactory,
    ServiceFactory,
    ServiceStandardFactory,
    WardFactory,
)

SAST = ZoneInfo("Africa/Johannesburg")


def sast(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SAST)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar_reset()
    yield
    calendar_reset()


@pytest.fixture
def world(db):
    """An institution with one ward, one office and a water service whose standard
    promises acknowledgement in 1 working day, updates every 2, resolution in 5."""
    InstitutionFactory()
    ward = WardFactory(code="W001")
    office = OfficeFactory(code="depot")
    service = ServiceFactory(code="water-leak", department=office.department)
    standard = ServiceStandardFactory(service=service, warn_before_hours=4)
    from imbizo.cases.models import RoutingRule

    RoutingRule.objects.create(service=service, office=office)
    return type("World", (), {"ward": ward, "office": office, "service": service,
                              "standard": standard})


def inside(ward) -> dict:
    return {"lat": ward.centroid_lat, "lon": ward.centroid_lon}
