"""Reads about cases."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .errors import CaseError
from .models import Case, CaseEvent
from .reference import reference_parse
from .transitions import OPEN_STATUSES


def case_get_public(*, reference: str) -> Case:
    """The case with `reference` as typed by a citizen, or DomainError(NOT_FOUND)."""
    canonical = reference_parse(reference)
    case = (
        Case.objects.select_related("service", "standard", "ward", "parent")
        .filter(reference=canonical)
        .first()
        if canonical
        else None
    )
    if case is None:
        raise DomainError(
            CaseError.NOT_FOUND,
            _("We found no case with that reference. Check it and try again."),
            field="reference",
        )
    return case


def case_public_events(*, case: Case) -> QuerySet[CaseEvent]:
    """The events a citizen may see: no internal notes, no staff names."""
    return case.events.filter(public=True).only(
        "kind", "at", "note", "from_status", "to_status", "details"
    )


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor__user")


def case_list_open() -> QuerySet[Case]:
    return Case.objects.filter(status__in=OPEN_STATUSES)


def case_get_for(*, staff, reference: str) -> Case:
    """The case with `reference` if `staff` may see it; DomainError otherwise.

    A case outside the staff member's scope is reported as not found, so
    references of other departments cannot be probed.
    """
    from .access import case_scope, require

    require(staff, "view")
    canonical = reference_parse(reference)
    case = (
        Case.objects.filter(case_scope(staff), reference=canonical)
        .select_related("service", "standard", "ward", "office", "assignee__user", "parent")
        .first()
        if canonical
        else None
    )
    if case is None:
        raise DomainError(CaseError.NOT_FOUND, _("No such case in your area."), field="reference")
    return case


def case_queue(*, staff, view: str, now) -> QuerySet[Case]:
    """The back-office lists: mine, office, due_soon, overdue, escalated."""
    from datetime import timedelta

    from .access import case_scope

    cases = Case.objects.filter(case_scope(staff), status__in=OPEN_STATUSES)
    if view == "mine":
        cases = cases.filter(assignee=staff)
    elif view == "due_soon":
        cases = cases.filter(resolve_due_at__gt=now, resolve_due_at__lte=now + timedelta(days=2))
    elif view == "overdue":
        cases = cases.filter(resolve_breached_at__isnull=False)
    elif view == "escalated":
        cases = cases.filter(escalation_level__gt=0)
    elif view == "unacknowledged":
        cases = cases.filter(acknowledged_at__isnull=True)
    return cases.select_related("service", "ward", "office", "assignee__user").order_by(
        "resolve_due_at", "opened_at"
    )


def case_find_for_caller(*, staff, phone: str = "", reference: str = "") -> QuerySet[Case]:
    """Earlier cases of a caller, by phone number (E.164) or reference, newest first."""
    from .access import case_scope

    cases = Case.objects.filter(case_scope(staff))
    if reference:
        canonical = reference_parse(reference)
        cases = cases.filter(reference=canonical) if canonical else cases.none()
    elif phone:
        cases = cases.filter(citizen_phone=phone)
    else:
        return cases.none()
    return cases.select_related("service").order_by("-opened_at")[:20]
