"""The one read path for cases: filters whose bounds say whether they count,
who may see which cases, and one rule for masking contact details."""

import random

import pytest

from imbizo.cases.bulk_export import text_masked
from imbizo.cases.disclosure import MASK, contact_details_masked
from imbizo.cases.models import Case, CaseEvent
from imbizo.cases.reference import reference_new
from imbizo.cases.selectors import (
    INSTITUTION,
    PUBLIC,
    Bound,
    CaseFilter,
    Span,
    case_event_list,
    case_filtered,
    case_get_for,
    case_scope,
)
from imbizo.core.errors import DomainError
from imbizo.integrations.services import apikey_create
from tests.factories import DepartmentFactory, OfficeFactory, ServiceFactory
from tests.support import sast

AT = sast(2026, 3, 2, 10)
LATER = sast(2026, 3, 3, 10)


def opened(reference: str, *, at=AT, **fields) -> Case:
    fields.setdefault("service", ServiceFactory())
    return Case.objects.create(reference=reference, kind="request", description="x",
                               channel="web", opened_at=at, **fields)


def references(cases) -> set[str]:
    return set(cases.values_list("reference", flat=True))


def selected(filters: CaseFilter) -> set[str]:
    return references(case_filtered(viewer=INSTITUTION, filters=filters))


def key_of(department=None):
    key, _raw = apikey_create(name=f"key {department}", scopes="read", department=department)
    return key


# --- bounds --------------------------------------------------------------------------------


def test_a_span_by_default_takes_its_start_and_leaves_out_its_end():
    assert Span(AT, LATER).lookups("opened_at") == {"opened_at__gte": AT, "opened_at__lt": LATER}


def test_a_span_with_both_bounds_exclusive_leaves_both_out():
    span = Span(AT, LATER, start_bound=Bound.EXCLUSIVE)

    assert span.lookups("updated_at") == {"updated_at__gt": AT, "updated_at__lt": LATER}


def test_a_span_without_bounds_filters_nothing():
    assert Span().lookups("opened_at") == {}


@pytest.mark.django_db
def test_a_case_opened_on_the_start_of_a_span_is_in_it(world):
    opened("T001", at=AT)

    assert selected(CaseFilter(opened=Span(AT, LATER))) == {"T001"}


@pytest.mark.django_db
def test_a_case_opened_on_an_exclusive_end_is_left_out(world):
    opened("T001", at=LATER)

    assert selected(CaseFilter(opened=Span(AT, LATER))) == set()


@pytest.mark.django_db
def test_a_case_opened_on_an_inclusive_end_is_in_it(world):
    opened("T001", at=LATER)

    assert selected(CaseFilter(opened=Span(AT, LATER, end_bound=Bound.INCLUSIVE))) == {"T001"}


@pytest.mark.django_db
def test_a_case_updated_on_an_exclusive_start_is_left_out(world):
    case = opened("T001")
    Case.objects.filter(pk=case.pk).update(updated_at=AT)

    assert selected(CaseFilter(updated=Span(AT, start_bound=Bound.EXCLUSIVE))) == set()


@pytest.mark.django_db
def test_an_unknown_office_code_is_refused_naming_the_filter(world):
    with pytest.raises(DomainError) as refused:
        selected(CaseFilter(office=("nowhere",)))

    assert refused.value.field == "office"


# --- viewers -------------------------------------------------------------------------------


@pytest.fixture
def two_departments(world):
    """A case of each of two departments (by office), and a private case."""
    water, roads = DepartmentFactory(code="water"), DepartmentFactory(code="roads")
    opened("W001", office=OfficeFactory(department=water))
    opened("R001", office=OfficeFactory(department=roads))
    opened("P001", anonymous=True)
    return water, roads


def test_a_department_key_sees_its_departments_cases_only(two_departments):
    water, _roads = two_departments

    assert references(Case.objects.filter(case_scope(key_of(water)))) == {"W001"}


def test_a_key_without_a_department_sees_every_case(two_departments):
    assert references(Case.objects.filter(case_scope(key_of()))) == {"W001", "R001", "P001"}


def test_the_public_sees_no_private_case(two_departments):
    assert references(Case.objects.filter(case_scope(PUBLIC))) == {"W001", "R001"}


def test_a_scope_through_the_case_selects_the_events_of_the_viewers_cases(two_departments):
    water, _roads = two_departments
    for case in Case.objects.all():
        CaseEvent.objects.create(case=case, kind="opened", at=AT)

    events = case_event_list(viewer=key_of(water))

    assert set(events.values_list("case__reference", flat=True)) == {"W001"}


def test_another_departments_case_is_not_found_by_reference(two_departments):
    water, roads = two_departments
    theirs = opened(reference_new(random.Random(1)), office=OfficeFactory(department=roads))

    with pytest.raises(DomainError) as refused:
        case_get_for(viewer=key_of(water), reference=theirs.reference)

    assert refused.value.code == "not_found"


# --- masking -------------------------------------------------------------------------------


@pytest.mark.django_db  # the region of numbers is the institution's country
def test_published_text_masks_with_the_documented_token():
    assert contact_details_masked("Call 082 123 4567") == f"Call {MASK}"


@pytest.mark.django_db
def test_the_export_masks_a_number_written_with_slashes_as_public_pages_do():
    # One rule: the export once looked only at runs of digits and spaces.
    text = "Call 082/123/4567 after five"

    assert (text_masked(text), contact_details_masked(text)) == (
        "Call [phone] after five", f"Call {MASK} after five")
