"""Who may see and do what in the quality programme: pure rules over a staff
member's role and scope, used by services, selectors and every interface.

Supervisors run the programme for their office, managers for their
department, administrators everywhere. Analysts and auditors may look.
Everyone may record a visit as a citizen (to an office not their own), learn
from stories, and see and consent to nominations of themselves.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.org.models import Role

from .errors import QualityError

EVERYONE = frozenset({"visit_as_citizen", "learn", "my_recognition", "wall"})
RUNNERS = frozenset({"view", "run_visits", "plan", "focus_groups", "write_stories"})

PERMISSIONS_BY_ROLE: dict[str, frozenset[str]] = {
    Role.AGENT: EVERYONE,
    Role.OFFICER: EVERYONE,
    Role.SUPERVISOR: EVERYONE | RUNNERS,
    Role.MANAGER: EVERYONE | RUNNERS | {"candidates", "nominate"},
    Role.ADMINISTRATOR: EVERYONE | RUNNERS | {"candidates", "nominate"},
    Role.ANALYST: EVERYONE | {"view"},
    Role.AUDITOR: EVERYONE | {"view"},
}

# Roles that see every office.
INSTITUTION_WIDE = frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.AUDITOR})


def can(staff, permission: str) -> bool:
    return bool(staff.active) and permission in PERMISSIONS_BY_ROLE.get(staff.role, frozenset())


def require(staff, permission: str) -> None:
    if not can(staff, permission):
        raise DomainError(QualityError.FORBIDDEN,
                          _("Your role does not allow this in the quality programme."))


def office_scope(staff, path: str = "office") -> Q:
    """The offices `staff` looks after (or may look at), as a filter through `path`
    ("office" on a model with an office, "" on Office itself)."""
    field = f"{path}__" if path else ""
    if not staff.active:
        return Q(pk__in=[])
    if staff.role in INSTITUTION_WIDE:
        return Q()
    if staff.role == Role.SUPERVISOR and staff.office_id:
        return Q(**{f"{field}pk": staff.office_id})
    if staff.role == Role.MANAGER and staff.department_id:
        return Q(**{f"{field}department_id": staff.department_id})
    return Q(pk__in=[])


def manages_office(staff, office) -> bool:
    """True when `staff` may run visits and plans for `office` (an Office)."""
    if not can(staff, "run_visits"):
        return False
    if staff.role == Role.ADMINISTRATOR:
        return True
    if staff.role == Role.SUPERVISOR:
        return staff.office_id is not None and office.pk == staff.office_id
    if staff.role == Role.MANAGER:
        return staff.department_id is not None and office.department_id == staff.department_id
    return False


def may_visit_as_citizen(staff, office) -> bool:
    """Anyone may experience another office as a citizen does; not their own."""
    return can(staff, "visit_as_citizen") and office.pk != staff.office_id


def action_scope(staff) -> Q:
    """The actions `staff` may see: their own, and those of the offices or
    services they look after."""
    own = Q(owner_id=staff.pk)
    if not can(staff, "view"):
        return own
    if staff.role in INSTITUTION_WIDE:
        return Q()
    where = own | office_scope(staff)
    if staff.role == Role.MANAGER and staff.department_id:
        where |= Q(service__department_id=staff.department_id)
    return where


def may_close_action(staff, action) -> bool:
    """The owner, a manager of the action's office or service, or an administrator."""
    if not staff.active:
        return False
    if action.owner_id == staff.pk or staff.role == Role.ADMINISTRATOR:
        return True
    if staff.role != Role.MANAGER or not staff.department_id:
        return False
    office_department = action.office.department_id if action.office_id else None
    service_department = action.service.department_id if action.service_id else None
    return staff.department_id in (office_department, service_department)


def may_consent(staff, nomination) -> bool:
    """A staff member consents for themselves; a team's supervisor for the team."""
    if not staff.active:
        return False
    if nomination.staff_id is not None:
        return nomination.staff_id == staff.pk
    return staff.role == Role.SUPERVISOR and staff.office_id == nomination.office_id
