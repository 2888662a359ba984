"""What a staff member may do with cases: pure rules over their role, used by
selectors and by every interface.

What a role may do is the permission table (imbizo.org.permissions); each
case action `x` is the permission `case.x`. Which cases anyone may see is
cases.selectors.case_scope.
"""

from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.org.models import Staff
from imbizo.org.permissions import staff_allows

from .errors import CaseError


def can(staff: Staff, action: str) -> bool:
    """Whether `staff`'s role allows the case action `action` ("view", "resolve", ...)."""
    return staff_allows(staff, f"case.{action}")


def require(staff: Staff, action: str) -> None:
    if not can(staff, action):
        raise DomainError(
            CaseError.FORBIDDEN,
            _("Your role does not allow this action on cases."),
        )
