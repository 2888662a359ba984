"""Devices (tokens shown once, stored as digests) and what a worker is given."""

import datetime

import pytest
import time_machine

from imbizo.core.errors import DomainError
from imbizo.field.models import FieldAssignment, FieldDevice, FieldForm
from imbizo.field.services import (
    assignments_save,
    device_authenticate,
    device_register,
    device_report,
    device_revoke,
    forms_for,
    wards_for,
)
from tests.factories import StaffFactory, UserFactory
from tests.field.factories import ward_at

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def worker(db):
    return StaffFactory().user


def test_a_device_token_works_and_only_its_digest_is_stored(worker):
    device, token = device_register(worker=worker, label="Nokia G21")

    assert device_authenticate(token) == device
    assert token not in FieldDevice.objects.values_list("token_hash", flat=True).get()
    assert device_authenticate(token + "x") is None
    assert device_authenticate("") is None


def test_a_revoked_device_or_an_inactive_worker_is_refused(worker):
    device, token = device_register(worker=worker, label="Lost phone")
    other, other_token = device_register(worker=worker, label="Second phone")

    device_revoke(device=device)
    worker.is_active = False
    worker.save()

    assert device_authenticate(token) is None
    assert device_authenticate(other_token) is None


def test_a_device_is_seen_when_it_authenticates_and_reports_what_waits(worker):
    with time_machine.travel(NOW, tick=False):
        device, token = device_register(worker=worker, label="Phone")
    with time_machine.travel(NOW + datetime.timedelta(hours=3), tick=False):
        device_authenticate(token)
        device_report(device, 12)

    device.refresh_from_db()
    assert device.last_seen_at == NOW + datetime.timedelta(hours=3)
    assert device.unsynced_reported == 12


def test_a_worker_gets_the_latest_active_version_of_each_form(survey):
    week_ago = survey.published_at - datetime.timedelta(days=7)
    FieldForm.objects.filter(pk=survey.pk).update(published_at=week_ago)
    FieldForm.objects.create(code="household-needs", version="2", title="v2",
                             definition=survey.definition,
                             published_at=week_ago + datetime.timedelta(days=1))
    FieldForm.objects.create(code="household-needs", version="3", title="not yet",
                             definition=survey.definition,
                             published_at=survey.published_at + datetime.timedelta(days=30))
    FieldForm.objects.create(code="old-form", version="1", title="retired",
                             definition=survey.definition, published_at=survey.published_at,
                             active=False)

    forms = forms_for(None)

    assert [(f.code, f.version) for f in forms] == [("household-needs", "2")]


def test_a_worker_gets_the_wards_assigned_to_them(worker):
    west, east = ward_at("W1", 28.0), ward_at("W2", 28.01)
    ward_at("W3", 28.02)

    assignments_save(worker=worker, wards=[east, west], target_households=50)
    assignments_save(worker=worker, wards=[west], street="Main Road", target_households=20)

    assert [w.code for w in wards_for(worker)] == ["W1", "W2"]
    assert FieldAssignment.objects.count() == 3


def test_only_active_staff_can_be_given_wards():
    ward = ward_at("W1", 28.0)
    citizen = UserFactory()

    with pytest.raises(DomainError):
        assignments_save(worker=citizen, wards=[ward], target_households=10)
