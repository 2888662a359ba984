"""What of a case the public may see: one rule, the same in Python and in SQL."""

import itertools

import pytest

from imbizo.cases.disclosure import (
    PUBLIC_CASES,
    contact_details_masked,
    disclosure_of,
)
from imbizo.cases.models import Case, ClientType, Kind
from imbizo.catalogue.models import Offering
from tests.factories import InstitutionFactory, ServiceFactory


def test_a_request_from_a_named_member_of_the_public_is_public():
    assert disclosure_of(kind="request", anonymous=False, client_type="external",
                         offering="standard").listed


@pytest.mark.parametrize("changes", [
    {"anonymous": True}, {"kind": "complaint"}, {"kind": "compliment"}, {"kind": "enquiry"},
    {"kind": "suggestion"}, {"client_type": "internal"}, {"offering": "customised"},
    {"kept_private": True},
])
def test_anonymous_personal_and_internal_matters_are_private(changes):
    fields = {"kind": "request", "anonymous": False, "client_type": "external",
              "offering": "standard", **changes}

    disclosure = disclosure_of(**fields)

    assert disclosure.private
    assert not (disclosure.exact_location or disclosure.description or disclosure.media)


@pytest.mark.django_db
def test_the_sql_filter_lists_exactly_the_cases_the_rule_calls_public(world):
    services = {o: ServiceFactory(offering=o) for o in Offering.values}
    expected = set()
    combinations = itertools.product(Kind.values, (False, True), ClientType.values, Offering.values,
                                     (False, True))
    for n, (kind, anonymous, client_type, offering, kept) in enumerate(combinations):
        case = Case.objects.create(
            reference=f"T{n:03d}", kind=kind, anonymous=anonymous, client_type=client_type,
            service=services[offering], description="x", channel="web", kept_private=kept,
            opened_at="2026-03-02T10:00:00+02:00")
        if disclosure_of(kind=kind, anonymous=anonymous, client_type=client_type,
                         offering=offering, kept_private=kept).listed:
            expected.add(case.pk)

    assert set(Case.objects.filter(PUBLIC_CASES).values_list("pk", flat=True)) == expected
    assert expected


@pytest.mark.parametrize(("text", "masked"), [
    ("Call me on 082 123 4567 please", "Call me on [removed] please"),
    ("or +27 82 999 0001", "or [removed]"),
    ("write to thandi.m@example.org", "write to [removed]"),
    ("hole 40 cm deep since 2026-03-01 at no. 45", "hole 40 cm deep since 2026-03-01 at no. 45"),
])
def test_contact_details_are_masked_in_published_text(text, masked):
    assert contact_details_masked(text, region="ZA") == masked


def test_numbers_are_found_as_the_institutions_country_writes_them(db):
    InstitutionFactory(country="KE")

    # A Nairobi landline: no South African number is written so.
    assert contact_details_masked("Call me on 020 2222 222") == "Call me on [removed]"
    assert contact_details_masked("Call me on 020 2222 222", region="ZA") == "Call me on 020 2222 222"
