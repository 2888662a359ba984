import datetime

import pytest

from imbizo.catalogue.models import ServiceStandard, TargetUnit
from imbizo.catalogue.selectors import standard_in_force
from imbizo.catalogue.services import standard_revise
from imbizo.core.errors import DomainError
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

FIRST = {
    "pledge": "We repair leaks fast.",
    "redress": "Ask for the depot supervisor.",
    "effective_from": datetime.date(2025, 1, 1),
    "resolve_amount": 5,
    "resolve_unit": TargetUnit.WORKING_DAYS,
    "published": True,
}


def test_first_revision_is_version_one():
    service = ServiceFactory()

    standard = standard_revise(service=service, **FIRST)

    assert standard.version == 1
    assert standard.pledge == "We repair leaks fast."


def test_revising_keeps_the_old_version_unchanged_and_carries_fields_over():
    service = ServiceFactory()
    first = standard_revise(service=service, **FIRST)

    second = standard_revise(service=service, resolve_amount=3)

    first.refresh_from_db()
    assert (first.version, first.resolve_amount) == (1, 5)
    assert (second.version, second.resolve_amount) == (2, 3)
    assert second.pledge == first.pledge
    assert ServiceStandard.objects.filter(service=service).count() == 2


def test_first_version_without_a_pledge_is_refused_naming_the_field():
    service = ServiceFactory()

    with pytest.raises(DomainError) as caught:
        standard_revise(service=service, redress="x", effective_from=datetime.date(2025, 1, 1))

    assert caught.value.field == "pledge"


def test_unknown_field_is_refused():
    service = ServiceFactory()

    with pytest.raises(DomainError, match="colour"):
        standard_revise(service=service, colour="red", **FIRST)


def test_standard_in_force_is_the_latest_published_effective_version():
    service = ServiceFactory()
    standard_revise(service=service, **FIRST)
    v2 = standard_revise(service=service, effective_from=datetime.date(2025, 6, 1))
    standard_revise(service=service, published=False, resolve_amount=1)  # a draft
    standard_revise(service=service, published=True, effective_from=datetime.date(2030, 1, 1))

    in_force = standard_in_force(service=service, on=datetime.date(2026, 1, 1))

    assert in_force == v2


def test_no_standard_in_force_before_the_first_effective_date():
    service = ServiceFactory()
    standard_revise(service=service, **FIRST)

    assert standard_in_force(service=service, on=datetime.date(2024, 12, 31)) is None
