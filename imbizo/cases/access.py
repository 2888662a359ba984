"""Who may see and do what with cases: pure rules over a staff member's role
and scope, used by selectors and by every interface."""

from django.db.models import Q
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.org.models import Role, Staff

from .errors import CaseError

# Actions a role may take on a case it can see.
ACTIONS_BY_ROLE: dict[str, frozenset[str]] = {
    Role.AGENT: frozenset({"view", "note", "update_citizen", "intake"}),
    Role.OFFICER: frozenset(
        {"view", "note", "update_citizen", "acknowledge", "start", "wait", "resume", "resolve",
         "close", "reopen", "assign_self", "intake"}
    ),
    Role.SUPERVISOR: frozenset(
        {"view", "note", "update_citizen", "acknowledge", "start", "wait", "resume", "resolve",
         "close", "reopen", "assign", "assign_self", "merge", "intake"}
    ),
    Role.MANAGER: frozenset(
        {"view", "note", "update_citizen", "acknowledge", "start", "wait", "resume", "resolve",
         "close", "reopen", "assign", "assign_self", "merge", "intake"}
    ),
    Role.ADMINISTRATOR: frozenset(
        {"view", "note", "update_citizen", "acknowledge", "start", "wait", "resume", "resolve",
         "close", "reopen", "assign", "assign_self", "merge", "intake"}
    ),
    Role.ANALYST: frozenset(),
    Role.AUDITOR: frozenset({"view"}),
}


def case_scope(staff: Staff) -> Q:
    """The cases `staff` may open by id or reference, as a filter on Case."""
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
    if staff.role == Role.AGENT:
        # Agents serve callers about any case, but see its personal data only
        # through the intake screen's look-up (see the back office).
        return Q()
    if staff.role in (Role.ADMINISTRATOR, Role.AUDITOR):
        return Q()
    return Q(pk__in=[])


def can(staff: Staff, action: str) -> bool:
    return staff.active and action in ACTIONS_BY_ROLE.get(staff.role, frozenset())


def require(staff: Staff, action: str) -> None:
    if not can(staff, action):
        raise DomainError(
            CaseError.FORBIDDEN,
            _("Your role does not allow this action on cases."),
        )
