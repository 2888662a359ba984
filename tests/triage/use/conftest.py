"""Fixtures of the tests of triage in use (duplicates, the doors, the record of
the choice made): services with duplicate windows around the world's ward,
and a helper that opens a report at a point. `services` here overrides the
model tests' fixture of that name (tests/triage/conftest.py)."""

import datetime

import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import RoutingRule
from imbizo.cases.services import case_open
from imbizo.org.models import Role
from imbizo.triage.duplicates_models import DuplicateScope, DuplicateWindow
from tests.api.conftest import anonymous, reader  # noqa: F401 - the API tests use them
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import sast

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return (point[0] + metres / 111_320.0, point[1])


def service_with_window(world, code: str, group: str, scope=DuplicateScope.DISTANCE,
                        distance_m: int = 100, hours: int = 72):
    service = ServiceFactory(code=code, group=group, department=world.office.department)
    ServiceStandardFactory(service=service, effective_from=datetime.date(2020, 1, 1))
    RoutingRule.objects.create(service=service, office=world.office)
    DuplicateWindow.objects.create(service=service, scope=scope, distance_m=distance_m,
                                   window_hours=hours)
    return service


@pytest.fixture
def services(world):
    """The world's water-leak (50 m, 2 days), no-water in the same group (the
    whole ward, 2 days), a pothole (30 m, 14 days) and a licence (never)."""
    DuplicateWindow.objects.create(service=world.service, scope=DuplicateScope.DISTANCE,
                                   distance_m=50, window_hours=48)
    return type("Services", (), {
        "leak": world.service,
        "no_water": service_with_window(world, "no-water", "Water", DuplicateScope.WARD, 1, 48),
        "pothole": service_with_window(world, "pothole", "Roads", distance_m=30, hours=336),
        "licence": service_with_window(world, "drivers-licence", "Licensing",
                                       DuplicateScope.OFF),
    })


@pytest.fixture
def here(world) -> tuple[float, float]:
    """The centre of the world's ward (a square about 1.1 km across)."""
    return (world.ward.centroid_lat, world.ward.centroid_lon)


def report(service, description: str, point, **changes):
    fields = {"service_code": service.code, "description": description, "channel": "web",
              "citizen_email": "thandi@example.org", "contact_consent": True}
    if point is not None:
        fields.update(lat=point[0], lon=point[1])
    fields.update(changes)
    return case_open(draft=CaseDraft(**fields))


@pytest.fixture
def trained(monkeypatch):
    """A stand-in for a trained model (helper E's, tested there): suggest()
    (and services_suggested(), which the record of triage in use reads)
    answers "water-leak, then no-water, then pothole" for any words, so what is
    tested is what the doors do with a suggestion."""
    from imbizo.triage.suggest import ServiceGuess, Suggestion

    calls = []

    def fake(*, description, lat=None, lon=None, service_code=None):
        calls.append({"description": description, "lat": lat, "lon": lon,
                      "service_code": service_code})
        return Suggestion(
            services=[ServiceGuess("water-leak", "Water leak or burst pipe", 0.8123),
                      ServiceGuess("no-water", "No water supply", 0.1),
                      ServiceGuess("pothole", "Pothole", 0.05)],
            urgency="high", urgency_reasons=["flooding"], principles=["redress"],
            language="en", model="7", reason="")

    def fake_services(*, description):
        whole = fake(description=description)
        return [s.code for s in whole.services], whole.model

    for where in ("imbizo.api.triage.suggest", "imbizo.web.triage.suggest"):
        monkeypatch.setattr(where, fake)
    monkeypatch.setattr("imbizo.triage.usage.services_suggested", fake_services)
    return calls


@pytest.fixture
def supervisor(world):
    return StaffFactory(office=world.office, role=Role.SUPERVISOR)


@pytest.fixture
def agent(world):
    return StaffFactory(office=world.office, role=Role.AGENT)
