"""Who may do what: one table of permissions by role, as data.

Every staff page, admin page and API operation declares the permission it
needs (see imbizo.org.authorisation); what a role may do is read from
PERMISSION_ROLES and nowhere else. Which *objects* a permitted staff member
may touch (their office's cases, their department's offices) is a separate,
object-level question answered by the selectors (cases.selectors.case_get_for).

To add a permission: add a member to Permission and one line to
PERMISSION_ROLES, then declare it on the view and extend the authorisation
matrix test (tests/trust/test_authorisation_matrix.py).
"""

from enum import StrEnum

from .models import Role, Staff


class Permission(StrEnum):
    STAFF_AREA = "staff.area"  # the back office home; every active staff member
    # Cases, within the staff member's case scope (cases.selectors.case_scope).
    CASE_VIEW = "case.view"
    CASE_PERSONAL_DATA = "case.personal_data"  # see the citizen's contact details (logged)
    CASE_INTAKE = "case.intake"
    CASE_NOTE = "case.note"
    CASE_UPDATE_CITIZEN = "case.update_citizen"
    CASE_ACKNOWLEDGE = "case.acknowledge"
    CASE_START = "case.start"
    CASE_WAIT = "case.wait"
    CASE_RESUME = "case.resume"
    CASE_RESOLVE = "case.resolve"
    CASE_CLOSE = "case.close"
    CASE_REOPEN = "case.reopen"
    CASE_ASSIGN = "case.assign"
    CASE_ASSIGN_SELF = "case.assign_self"
    CASE_MERGE = "case.merge"
    # File the report being taken as a duplicate of an open incident, at intake:
    # the new report only, never an existing case (that is CASE_MERGE).
    CASE_MERGE_AT_INTAKE = "case.merge_at_intake"
    CASE_PUBLIC_TEXT = "case.public_text"  # correct what the public reads of a case
    CASE_PRIORITY = "case.priority"  # change how pressing a case is (moves its clocks)
    CASE_LANGUAGE = "case.language"  # correct the language the citizen is written to in
    CASE_SERVICE = "case.service"  # correct a case's service (moves its clocks and figures)
    CALLER_LOOKUP = "caller.lookup"  # find a caller's cases by phone (logged)
    CITIZEN_JOURNEY = "citizen.journey"  # a citizen's contacts across cases (logged)
    # Ratings and aggregates.
    FEEDBACK_VIEW = "feedback.view"
    FEEDBACK_COMMENTS = "feedback.comments"  # citizens' free text: may name people; not for analysts
    INSIGHTS_VIEW = "insights.view"  # aggregates: war room, scorecards, needs map
    OFFICE_COUNTER_QR = "office.counter_qr"
    # Field capture door to door (imbizo.field).
    FIELD_CAPTURE = "field.capture"  # send household visits and cases from a phone
    FIELD_SUPERVISE = "field.supervise"  # assign wards, see progress, devices, conflicts
    # Ward alerts: subscribe a caller (their number or address, with their consent),
    # and send a notice to every subscriber of some wards.
    ALERTS_SUBSCRIBE = "alerts.subscribe"
    ALERTS_SEND = "alerts.send"
    # Outreach meetings and commitments (issue 16): plan and record meetings
    # (a clerk opens the issues raised as cases), report back on commitments.
    MEETING_MANAGE = "meeting.manage"
    COMMITMENT_UPDATE = "commitment.update"  # those their department owns (outreach.meetings)
    # Service interruptions: record, update, restore (seeing them is STAFF_AREA).
    INTERRUPTION_MANAGE = "interruption.manage"
    # People's development (issue 20): one's own record, and one's team's when
    # people report to one (people.access decides whose record; ADR 0035);
    # the institution's aggregates, never a person's record.
    PEOPLE_DEVELOPMENT = "people.development"
    PEOPLE_FIGURES = "people.figures"
    # Client groups (issue 21): the quarterly reviews and the services x groups
    # matrix of every group, read; holding a review and turning its suggestions
    # into quality actions, run (imbizo.clients).
    CLIENT_REVIEW_VIEW = "clients.review_view"
    CLIENT_REVIEW_RUN = "clients.review_run"
    # Key clients (issue 21): their pages, visits, signals and retention. Who
    # records a visit or a corrective action is clients.key_clients' rule (the
    # account manager, supervisors, managers); analysts read.
    KEY_CLIENTS = "clients.key"
    # Triage: the model's versions and their evaluation (imbizo.triage).
    TRIAGE_MODELS = "triage.models"
    # The client-service survey (imbizo.clients.survey): send a round now, draw
    # and export a third-party sample (personal data of consenting people), import
    # its results. Its scorecard is INSIGHTS_VIEW.
    CLIENT_SURVEYS = "clients.surveys"
    # Oversight and administration.
    AUDIT_ACCESS_LOG = "audit.access_log"
    PRIVACY_REQUESTS = "privacy.requests"  # a citizen's data export and erasure
    ADMIN_SITE = "admin.site"


_CASE_WORKERS = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.ADMINISTRATOR})
_LEADS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMINISTRATOR})
_EVERYONE = frozenset(Role)

PERMISSION_ROLES: dict[Permission, frozenset[str]] = {
    Permission.STAFF_AREA: _EVERYONE,
    Permission.CASE_VIEW: _CASE_WORKERS | {Role.AGENT, Role.AUDITOR},
    Permission.CASE_PERSONAL_DATA: _CASE_WORKERS | {Role.AGENT},
    Permission.CASE_INTAKE: _CASE_WORKERS | {Role.AGENT},
    Permission.CASE_NOTE: _CASE_WORKERS | {Role.AGENT},
    Permission.CASE_UPDATE_CITIZEN: _CASE_WORKERS | {Role.AGENT},
    Permission.CASE_ACKNOWLEDGE: _CASE_WORKERS,
    Permission.CASE_START: _CASE_WORKERS,
    Permission.CASE_WAIT: _CASE_WORKERS,
    Permission.CASE_RESUME: _CASE_WORKERS,
    Permission.CASE_RESOLVE: _CASE_WORKERS,
    Permission.CASE_CLOSE: _CASE_WORKERS,
    Permission.CASE_REOPEN: _CASE_WORKERS,
    Permission.CASE_ASSIGN: _LEADS,
    Permission.CASE_ASSIGN_SELF: _CASE_WORKERS,
    Permission.CASE_MERGE: _LEADS,
    Permission.CASE_MERGE_AT_INTAKE: _CASE_WORKERS | {Role.AGENT},
    Permission.CASE_PUBLIC_TEXT: _CASE_WORKERS | {Role.AGENT},
    Permission.CASE_PRIORITY: _CASE_WORKERS,
    Permission.CASE_LANGUAGE: _CASE_WORKERS | {Role.AGENT},
    Permission.CASE_SERVICE: _CASE_WORKERS,
    Permission.CALLER_LOOKUP: _CASE_WORKERS | {Role.AGENT},
    Permission.CITIZEN_JOURNEY: _CASE_WORKERS,
    Permission.FEEDBACK_VIEW: _EVERYONE - {Role.AUDITOR},
    Permission.FEEDBACK_COMMENTS: _EVERYONE - {Role.ANALYST, Role.AUDITOR},
    Permission.INSIGHTS_VIEW: _LEADS | {Role.ANALYST},
    Permission.OFFICE_COUNTER_QR: _LEADS,
    Permission.FIELD_CAPTURE: _CASE_WORKERS | {Role.AGENT},
    Permission.FIELD_SUPERVISE: _LEADS,
    Permission.ALERTS_SUBSCRIBE: _CASE_WORKERS | {Role.AGENT},
    Permission.ALERTS_SEND: _LEADS,
    Permission.MEETING_MANAGE: _LEADS | {Role.AGENT},
    Permission.COMMITMENT_UPDATE: _CASE_WORKERS,
    Permission.INTERRUPTION_MANAGE: _CASE_WORKERS,
    Permission.PEOPLE_DEVELOPMENT: _EVERYONE,
    Permission.PEOPLE_FIGURES: _LEADS | {Role.ANALYST},
    Permission.CLIENT_REVIEW_VIEW: _LEADS | {Role.ANALYST, Role.AUDITOR},
    Permission.CLIENT_REVIEW_RUN: _LEADS,
    Permission.KEY_CLIENTS: _CASE_WORKERS | {Role.ANALYST},
    Permission.TRIAGE_MODELS: frozenset({Role.ADMINISTRATOR}),
    Permission.CLIENT_SURVEYS: frozenset({Role.MANAGER, Role.ADMINISTRATOR}),
    Permission.AUDIT_ACCESS_LOG: frozenset({Role.AUDITOR, Role.ADMINISTRATOR}),
    Permission.PRIVACY_REQUESTS: frozenset({Role.ADMINISTRATOR}),
    Permission.ADMIN_SITE: frozenset({Role.ADMINISTRATOR}),
}

# Roles whose case scope is the whole institution; the others see their office
# or department only (cases.selectors.case_scope).
INSTITUTION_WIDE_ROLES = frozenset({Role.AGENT, Role.AUDITOR, Role.ADMINISTRATOR})


def role_allows(role: str, permission: Permission | str) -> bool:
    """Whether `role` holds `permission`; an unknown permission is held by nobody."""
    try:
        permission = Permission(permission)
    except ValueError:
        return False
    return role in PERMISSION_ROLES.get(permission, frozenset())


def staff_allows(staff: Staff | None, permission: Permission | str) -> bool:
    """Whether `staff` (active) holds `permission` through their role."""
    return staff is not None and staff.active and role_allows(staff.role, permission)


def staff_permissions(staff: Staff | None) -> frozenset[str]:
    """Every permission `staff` holds, for templates (`perms.case_view` style checks)."""
    if staff is None or not staff.active:
        return frozenset()
    return frozenset(p.value for p, roles in PERMISSION_ROLES.items() if staff.role in roles)
