"""Where a case is: its ward from the point or a chosen ward, and the rule that a
service needing a place has one when staff take the report (issue 13 point 5)."""

import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.core.errors import DomainError
from tests.factories import WardFactory
from tests.support import inside

pytestmark = pytest.mark.django_db


def draft(**changes) -> CaseDraft:
    fields = {"service_code": "water-leak", "description": "Water running down the street.",
              "channel": "walk_in", "address": "12 Long Street", **changes}
    return CaseDraft(**fields)


@pytest.fixture
def needs_place(world):
    world.service.needs_place = True
    world.service.save()
    return world


def test_a_point_gives_the_case_the_ward_it_lies_in(world):
    other = WardFactory(code="W002")

    case = case_open(draft=draft(**inside(other)))

    assert case.ward == other


def test_a_ward_chosen_by_code_is_the_ward_of_a_case_without_a_point(world):
    case = case_open(draft=draft(ward_code="W001"))

    assert case.ward == world.ward
    assert case.lat is None


def test_the_points_own_ward_wins_over_a_chosen_ward(world):
    other = WardFactory(code="W002")

    case = case_open(draft=draft(ward_code="W001", **inside(other)))

    assert case.ward == other


def test_an_unknown_ward_code_is_refused_naming_it(world):
    with pytest.raises(DomainError) as refused:
        case_open(draft=draft(ward_code="NOPE"))

    assert refused.value.code == "unknown_ward"
    assert "NOPE" in refused.value.message


def test_staff_intake_of_a_service_needing_a_place_without_a_ward_is_refused(needs_place):
    with pytest.raises(DomainError) as refused:
        case_open(draft=draft(place_asked=True))

    assert refused.value.code == "place_needed"
    assert refused.value.field == "ward"


def test_the_agent_may_say_the_place_is_unknown(needs_place):
    case = case_open(draft=draft(place_asked=True, place_unknown=True))

    assert case.ward is None


@pytest.mark.parametrize("kind", ["enquiry", "compliment", "suggestion"])
def test_an_enquiry_compliment_or_suggestion_needs_no_place(needs_place, kind):
    case = case_open(draft=draft(place_asked=True, kind=kind))

    assert case.ward is None


def test_a_door_that_does_not_ask_keeps_an_address_alone_valid(needs_place):
    # Open311 and the citizen's web form: an address string is enough.
    case = case_open(draft=draft(channel="web"))

    assert case.ward is None
    assert case.address == "12 Long Street"


def test_a_service_that_needs_no_place_opens_without_a_ward_at_the_desk(world):
    case = case_open(draft=draft(place_asked=True))

    assert case.ward is None
