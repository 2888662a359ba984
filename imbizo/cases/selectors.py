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
