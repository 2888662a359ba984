"""A field worker with a connected phone, and the household needs survey."""

import pytest

from imbizo.field.models import FieldAssignment
from imbizo.field.services import device_register, household_survey_ensure
from tests.factories import StaffFactory, UserFactory, WardFactory


@pytest.fixture
def survey(db):
    return household_survey_ensure()


@pytest.fixture
def worker(db):
    return StaffFactory(user=UserFactory(username="fieldworker", first_name="Thandi",
                                         last_name="Mokoena")).user


@pytest.fixture
def ward(db):
    return WardFactory(code="W001", name="Ward 1")


@pytest.fixture
def phone(worker, ward, survey):
    """(device, token) of the worker's connected phone; the worker is assigned ward W001."""
    FieldAssignment.objects.create(worker=worker, ward=ward, target_households=100)
    return device_register(worker=worker, label="Thandi's phone")


@pytest.fixture
def bearer(phone):
    return {"HTTP_AUTHORIZATION": f"Bearer {phone[1]}"}
