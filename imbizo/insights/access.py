"""Who may see the staff dashboards: pure rules over a staff member's role."""

from imbizo.org.models import Role
from imbizo.org.permissions import Permission, staff_allows

# The war room, the office scorecard and the satisfaction drivers show
# institution-wide operations (no personal data).
INSIGHT_ROLES = frozenset({Role.ANALYST, Role.MANAGER, Role.SUPERVISOR, Role.ADMINISTRATOR})


def can_see_insights(staff) -> bool:
    return staff_allows(staff, Permission.INSIGHTS_VIEW)
