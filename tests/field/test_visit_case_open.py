"""A visit can open cases (channel "field"), exactly once per case made on the phone."""

import pytest

from imbizo.cases.models import Case
from imbizo.field.models import FieldCase, FieldRecord
from imbizo.field.services import record_receive, visit_case_open
from tests.field.factories import household

pytestmark = pytest.mark.django_db


def visit(world, survey, instance="uuid:visit-1", **answers):
    ring = world.ward.boundary["coordinates"][0]
    lon, lat = (ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2
    record_receive(form_code="household-needs", form_version="1", instance_id=instance,
                   answers=household(location=f"{lat} {lon}", **answers))
    return FieldRecord.objects.get(instance_id=instance)


def test_a_visit_opens_a_field_case_in_the_households_ward(world, survey):
    record = visit(world, survey)

    case = visit_case_open(record=record, service="water-leak",
                           description="The standpipe at the corner leaks day and night.",
                           key="case-1")

    assert case.channel == "field"
    assert case.ward == world.ward and case.service == world.service
    assert case.citizen_phone == "" and case.lat is not None
    assert FieldCase.objects.get().record == record
    assert case.public_description == ""  # staff typed it: private unless summarised


def test_sending_the_same_case_again_opens_no_second_case(world, survey):
    record = visit(world, survey)

    first = visit_case_open(record=record, service="water-leak", description="Leak.", key="c1")
    again = visit_case_open(record=record, service="water-leak", description="Leak.", key="c1")

    assert again.pk == first.pk
    assert Case.objects.count() == 1


def test_the_households_number_goes_on_the_case_only_with_consent(world, survey):
    record = visit(world, survey, contact_phone="082 123 4567", consent="yes")

    case = visit_case_open(record=record, service=world.service, description="Leak.")

    assert case.citizen_phone == "+27821234567"
    assert case.contact_consent
