"""Reads about cases."""

from collections.abc import Collection
from datetime import datetime, timedelta

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .access import case_scope, require
from .disclosure import PUBLIC_CASES, contact_details_masked
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


def case_public_events(*, case: Case) -> list[CaseEvent]:
    """The events a citizen may see: no internal notes, no staff names, and no
    phone numbers or email addresses in the notes (a reference can be shared or
    guessed, and a reopen reason or an update may quote someone's number)."""
    events = list(case.events.filter(public=True).only(
        "kind", "at", "note", "from_status", "to_status", "details"
    ))
    for event in events:
        event.note = contact_details_masked(event.note)
    return events


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor__user")


def case_list_open() -> QuerySet[Case]:
    return Case.objects.filter(status__in=OPEN_STATUSES)


def case_get_for(*, staff, reference: str) -> Case:
    """The case with `reference` if `staff` may see it; DomainError otherwise.

    A case outside the staff member's scope is reported as not found, so
    references of other departments cannot be probed.
    """
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
    cases = Case.objects.filter(case_scope(staff))
    if reference:
        canonical = reference_parse(reference)
        cases = cases.filter(reference=canonical) if canonical else cases.none()
    elif phone:
        cases = cases.filter(citizen_phone=phone)
    else:
        return cases.none()
    return cases.select_related("service").order_by("-opened_at")[:20]


def _latest_public_note():
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("pk"), public=True).exclude(note="")
        .order_by("-at", "-id").values("note")[:1]
    )


def case_list_open_data(
    *, references: Collection[str] = (), service_codes: Collection[str] = (),
    opened_from: datetime | None = None, opened_to: datetime | None = None,
    statuses: Collection[str] = (), updated_after: datetime | None = None,
    updated_before: datetime | None = None, with_public_events: bool = False,
) -> QuerySet[Case]:
    """Cases for open-data interfaces (Open311), newest first, in one query
    (two `with_public_events`, prefetched as `public_events`).

    With `references` only those cases are given, public or private (as the
    tracking page gives any case to whoever holds its reference), and every
    other filter is ignored; otherwise only public cases (cases.disclosure).
    Each case carries `latest_public_note`, the newest note it shows the public.
    """
    cases = Case.objects.select_related(
        "service__department", "office__department", "ward", "parent", "standard",
    ).annotate(latest_public_note=_latest_public_note())
    if references:
        canonical = {c for c in map(reference_parse, references) if c}
        cases = cases.filter(reference__in=canonical)
    else:
        cases = cases.filter(PUBLIC_CASES)
        if service_codes:
            cases = cases.filter(service__code__in=list(service_codes))
        if statuses:
            cases = cases.filter(status__in=list(statuses))
        if opened_from is not None:
            cases = cases.filter(opened_at__gte=opened_from)
        if opened_to is not None:
            cases = cases.filter(opened_at__lte=opened_to)
        if updated_after is not None:
            cases = cases.filter(updated_at__gt=updated_after)
        if updated_before is not None:
            cases = cases.filter(updated_at__lt=updated_before)
    if with_public_events:
        cases = cases.prefetch_related(Prefetch(
            "events", queryset=CaseEvent.objects.filter(public=True).only(
                "case_id", "kind", "at", "note", "to_status", "details"),
            to_attr="public_events"))
    return cases.order_by("-opened_at", "-id")


def case_get_by_idempotency_key(*, key: str) -> Case:
    """The case opened with `key` (an Open311 token), or DomainError(NOT_FOUND)."""
    case = Case.objects.filter(idempotency_key=key).only("reference").first() if key else None
    if case is None:
        raise DomainError(CaseError.NOT_FOUND, _("No service request was made with this token."),
                          field="token")
    return case


def case_public_updates(*, since: datetime, until: datetime | None = None) -> QuerySet[CaseEvent]:
    """Events of public cases shown to the public, oldest first from `since`, each
    with `status_then` (the case's status after it) and its case and service."""
    status_then = Subquery(
        CaseEvent.objects.filter(case=OuterRef("case_id"), at__lte=OuterRef("at"))
        .exclude(to_status="").order_by("-at", "-id").values("to_status")[:1]
    )
    public_case = Q(**{f"case__{key}": value for key, value in PUBLIC_CASES.children})
    events = CaseEvent.objects.filter(public_case, public=True, at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return (
        events.select_related("case").only(
            "kind", "at", "note", "to_status", "details", "case__reference", "case__status",
            "case__outcome")
        .annotate(status_then=status_then)
        .order_by("at", "id")
    )
