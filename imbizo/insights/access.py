"""Who may see the staff dashboards: pure rules over a staff member's role."""

from imbizo.org.models import Role

# The war room, the office scorecard and the satisfaction drivers show
# institution-wide operations (no personal data).
INSIGHT_ROLES = frozenset({Role.ANALYST, Role.MANAGER, Role.SUPERVISOR, Role.ADMINISTRATOR})


def can_see_insights(staff) -> bool:
    return staff is not None and staff.active and staff.role in INSIGHT_ROLES
