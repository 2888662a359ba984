"""Who may see and do what with cases: pure rules over a staff member's role
and scope, used by selectors and by every interface.

What a role may do is the permission table (imbizo.org.permissions); each
case action `x` is the permission `case.x`. Which cases a staff member may
open is `case_scope`.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.org.models import Role, Staff
from imbizo.org.permissions import INSTITUTION_WIDE_ROLES, staff_allows

from .errors import CaseError


def case_scope(staff: Staff) -> Q:
    """The cases `staff` may open by id or reference, as a filter on Case.

    Officers and supervisors: their office's cases. Managers: cases handled by
    an office of their department or for a service of their department.
    Agents (who serve callers about any case), auditors and administrators:
    every case. Anyone else (analysts): none.
    """
    if not staff.active:
        return Q(pk__in=[])
    if staff.role in (Role.OFFICER, Role.SUPERVISOR):
        return Q(office_id=staff.office_id) if staff.office_id else Q(pk__in=[])
    if staff.role == Role.MANAGER:
        if staff.department_id:
            return Q(office__department_id=staff.department_id) | Q(
                service__department_id=staff.department_id
            )
        return Q(pk__in=[])
    if staff.role in INSTITUTION_WIDE_ROLES:
        return Q()
    return Q(pk__in=[])


def can(staff: Staff, action: str) -> bool:
    """Whether `staff`'s role allows the case action `action` ("view", "resolve", ...)."""
    return staff_allows(staff, f"case.{action}")


def require(staff: Staff, action: str) -> None:
    if not can(staff, action):
        raise DomainError(
            CaseError.FORBIDDEN,
            _("Your role does not allow this action on cases."),
        )
