"""Default duplicate windows, and the window in force for a service.

The defaults fit the demo's services (imbizo/demo/catalogue_data.py) and are
a starting point for a real institution: the demo writes them as
DuplicateWindow rows, which administrators then edit in the admin. A service
with no row uses DEFAULT_WINDOW.
"""

from dataclasses import dataclass

from .duplicates_models import DuplicateScope, DuplicateWindow


@dataclass(frozen=True)
class Window:
    scope: str  # a DuplicateScope value
    distance_m: int  # used when scope is DISTANCE
    hours: int

    @property
    def off(self) -> bool:
        return self.scope == DuplicateScope.OFF


DEFAULT_WINDOW = Window(DuplicateScope.DISTANCE, 100, 72)

_D, _W, _OFF = DuplicateScope.DISTANCE, DuplicateScope.WARD, DuplicateScope.OFF
_DAY, _WEEK = 24, 24 * 7

# Service code -> window. Matters of one household or one person (an
# application, a meter, a licence, a complaint about a member of staff) are
# never duplicates of a neighbour's; problems at a spot are the same within a
# few metres; an outage is the same anywhere in the ward.
DEMO_WINDOWS: dict[str, Window] = {
    "water-leak": Window(_D, 50, 2 * _DAY),
    "no-water": Window(_W, 0, 2 * _DAY),
    "water-quality": Window(_W, 0, 3 * _DAY),
    "water-meter": Window(_OFF, 0, _DAY),
    "sewer-blockage": Window(_D, 100, 3 * _DAY),
    "toilet-facility": Window(_D, 50, 3 * _DAY),
    "power-outage": Window(_W, 0, _DAY),
    "streetlight-out": Window(_D, 50, _WEEK),
    "prepaid-fault": Window(_OFF, 0, _DAY),
    "electricity-connection": Window(_OFF, 0, _DAY),
    "illegal-connection": Window(_D, 100, _WEEK),
    "pothole": Window(_D, 30, 2 * _WEEK),
    "traffic-signal": Window(_D, 100, 2 * _DAY),
    "stormwater-drain": Window(_D, 50, 3 * _DAY),
    "road-marking": Window(_D, 50, 2 * _WEEK),
    "sidewalk-repair": Window(_D, 30, 2 * _WEEK),
    "missed-bin": Window(_D, 300, 2 * _DAY),
    "illegal-dumping": Window(_D, 50, _WEEK),
    "new-bin": Window(_OFF, 0, _DAY),
    "dead-animal": Window(_D, 50, 2 * _DAY),
    "garden-refuse": Window(_D, 200, 3 * _DAY),
    "housing-application": Window(_OFF, 0, _DAY),
    "housing-list": Window(_OFF, 0, _DAY),
    "housing-defect": Window(_OFF, 0, _DAY),
    "informal-settlement": Window(_D, 200, _WEEK),
    "indigent-registration": Window(_OFF, 0, _DAY),
    "food-relief": Window(_OFF, 0, _DAY),
    "ecd-registration": Window(_OFF, 0, _DAY),
    "vulnerable-person": Window(_OFF, 0, _DAY),
    "clinic-complaint": Window(_OFF, 0, _DAY),
    "clinic-medicine": Window(_D, 200, _WEEK),
    "food-safety": Window(_D, 50, _WEEK),
    "pest-control": Window(_D, 100, _WEEK),
    "noise-nuisance": Window(_D, 200, _DAY),
    "drivers-licence": Window(_OFF, 0, _DAY),
    "learners-booking": Window(_OFF, 0, _DAY),
    "vehicle-registration": Window(_OFF, 0, _DAY),
    "business-licence": Window(_OFF, 0, _DAY),
    "informal-trading": Window(_OFF, 0, _DAY),
    "account-query": Window(_OFF, 0, _DAY),
    "staff-conduct": Window(_OFF, 0, _DAY),
    "compliment": Window(_OFF, 0, _DAY),
    "feedback-follow-up": Window(_OFF, 0, _DAY),
    "general-enquiry": Window(_OFF, 0, _DAY),
}


def window_of(service_id: int) -> Window:
    """The window in force for the service (one indexed read)."""
    row = (DuplicateWindow.objects.filter(service_id=service_id)
           .values_list("scope", "distance_m", "window_hours").first())
    return Window(*row) if row else DEFAULT_WINDOW


def windows_seed(services) -> int:
    """Write DEMO_WINDOWS rows for those of `services` that have none; returns
    how many were written."""
    have = set(DuplicateWindow.objects.values_list("service_id", flat=True))
    rows = [DuplicateWindow(service=s, scope=w.scope, distance_m=max(w.distance_m, 1),
                            window_hours=w.hours)
            for s in services if s.pk not in have and (w := DEMO_WINDOWS.get(s.code))]
    DuplicateWindow.objects.bulk_create(rows)
    return len(rows)
