"""Cases for the Open311 tests, opened through the real service."""

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from tests.support import inside

PERSONAL = ("Nokuthula", "Zwelithini", "+27829990001", "082 999 0001",
            "nokuthula.z@example.org")


def open_case(world, **changes):
    fields = {
        "service_code": world.service.code,
        "description": "Water pouring from a pipe near the school.",
        "channel": "web",
        "citizen_name": "Nokuthula Zwelithini",
        "citizen_phone": "082 999 0001",
        "citizen_email": "nokuthula.z@example.org",
        "contact_consent": True,
        "address": "12 School Street",
        **inside(world.ward),
    }
    fields.update(changes)
    return case_open(draft=CaseDraft(**fields))
