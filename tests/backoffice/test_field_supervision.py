"""Field supervision pages: assign wards, see progress, settle conflicts, see
records outside every ward, as a supervisor does through the browser's forms."""

import pytest
from django.urls import reverse

from imbizo.field.models import FieldAssignment, FieldConflict, FieldRecord, FieldVisitDaily
from imbizo.field.services import (
    device_authenticate,
    device_register,
    device_report,
    household_survey_ensure,
    record_receive,
)
from imbizo.org.models import Role
from tests.factories import StaffFactory, UserFactory
from tests.field.factories import household, ward_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(client, world):
    staff = StaffFactory(role=Role.SUPERVISOR, office=world.office,
                         user=UserFactory(username="boss"))
    client.force_login(staff.user)
    return staff


@pytest.fixture
def worker(world):
    return StaffFactory(role=Role.OFFICER, office=world.office,
                        user=UserFactory(username="thandi", first_name="Thandi",
                                         last_name="Mokoena")).user


def receive(instance, answers, **kwargs):
    return record_receive(form_code="household-needs", form_version="1", instance_id=instance,
                          answers=answers, **kwargs)


def test_a_supervisor_assigns_wards_and_sees_progress_against_target(client, supervisor, worker):
    household_survey_ensure()
    ward_at("W1", 30.0)  # away from the world's own ward
    ward_at("W2", 30.01)

    response = client.post(reverse("backoffice:field_assign"), {
        "worker": worker.pk, "wards": "w1, W2", "street": "", "target_households": "4"})
    for n in range(3):
        receive(f"uuid:{n}", household(location="-26.195 30.005"))

    assert response.status_code == 302
    assert set(FieldAssignment.objects.values_list("ward__code", "target_households")) == {
        ("W1", 4), ("W2", 4)}
    page = client.get(reverse("backoffice:field_home"))
    rows = {row.code: row for row in page.context["progress"]}
    assert (rows["W1"].visited, rows["W1"].target, rows["W1"].percent) == (3, 4, 75)
    assert rows["W2"].visited == 0
    assert "Thandi Mokoena" in page.content.decode()


def test_an_unknown_ward_is_named_and_nothing_is_assigned(client, supervisor, worker):
    ward_at("W1", 28.0)

    response = client.post(reverse("backoffice:field_assign"), {
        "worker": worker.pk, "wards": "W1, W77", "target_households": "10"})

    assert response.status_code == 400
    assert "There is no ward W77." in response.content.decode()
    assert not FieldAssignment.objects.exists()


def test_the_page_shows_each_phones_waiting_records_and_last_seen(client, supervisor, worker):
    device, _token = device_register(worker=worker, label="Samsung A05")
    device_report(device, 7)

    page = client.get(reverse("backoffice:field_home")).content.decode()

    assert "Samsung A05" in page and ">7<" in page


def test_a_lost_phones_key_is_withdrawn_once_and_stops_working(client, supervisor, worker):
    device, token = device_register(worker=worker, label="Samsung A05")
    url = reverse("backoffice:field_device_withdraw", args=[device.pk])

    first = client.post(url, follow=True)
    again = client.post(url, follow=True)

    assert "The key of Samsung A05 is withdrawn" in first.content.decode()
    assert "already withdrawn" in again.content.decode()
    assert device_authenticate(token) is None
    assert "Samsung A05" not in client.get(reverse("backoffice:field_home")).content.decode()


def test_the_progress_page_costs_the_same_queries_for_many_wards(
        client, supervisor, worker, django_assert_max_num_queries):
    household_survey_ensure()
    for n in range(12):
        ward = ward_at(f"W{n}", 28.0 + n * 0.01)
        FieldAssignment.objects.create(worker=worker, ward=ward, target_households=10)
        device_register(worker=worker, label=f"Phone {n}")

    with django_assert_max_num_queries(16):
        response = client.get(reverse("backoffice:field_home"))
    assert response.status_code == 200


def _conflicted():
    household_survey_ensure()
    ward_at("W1", 28.0)
    receive("uuid:c", household(people="5"))
    receive("uuid:c", household(people="6"), base_revision=1)
    receive("uuid:c", household(people="8"), base_revision=1)
    return FieldConflict.objects.get()


def test_a_supervisor_takes_the_submitted_answers_as_a_new_version(client, supervisor):
    conflict = _conflicted()

    listing = client.get(reverse("backoffice:field_conflicts")).content.decode()
    response = client.post(reverse("backoffice:field_conflict_resolve", args=[conflict.pk]),
                           {"resolution": "take_submitted"})

    record = FieldRecord.objects.get()
    conflict.refresh_from_db()
    assert "uuid:c" in listing
    assert response.status_code == 302
    assert record.revision == 3 and record.answers["people"] == 8
    assert conflict.resolution == "take_submitted" and conflict.resolved_by == supervisor.user
    assert list(record.revisions.values_list("answers__people", flat=True)) == [5, 6, 8]


def test_keeping_the_current_answers_changes_nothing_but_settles_it(client, supervisor):
    conflict = _conflicted()

    client.post(reverse("backoffice:field_conflict_resolve", args=[conflict.pk]),
                {"resolution": "keep_current"})
    again = client.post(reverse("backoffice:field_conflict_resolve", args=[conflict.pk]),
                        {"resolution": "take_submitted"}, follow=True)

    record = FieldRecord.objects.get()
    assert record.revision == 2 and record.answers["people"] == 6
    assert "already resolved" in again.content.decode()
    assert "No conflict is waiting." in again.content.decode()


def test_records_outside_every_ward_are_listed_for_the_supervisor(client, supervisor):
    household_survey_ensure()
    ward_at("W1", 28.0)
    receive("uuid:far", household(location="-33.9 18.4"))
    receive("uuid:near", household())

    page = client.get(reverse("backoffice:field_outside")).content.decode()

    assert "uuid:far" in page and "uuid:near" not in page


def test_an_officer_may_not_open_field_supervision(client, world):
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    client.force_login(officer.user)

    assert client.get(reverse("backoffice:field_home")).status_code == 403


def test_a_supervisor_places_a_record_from_outside_every_ward_and_it_counts_there(client,
                                                                                   supervisor):
    household_survey_ensure()
    ward_at("W1", 30.0)
    receive("uuid:far", household(location="-33.9 18.4"))
    record = FieldRecord.objects.get()

    unknown = client.post(reverse("backoffice:field_record_place", args=[record.pk]),
                          {"ward": "W99"}, follow=True)
    placed = client.post(reverse("backoffice:field_record_place", args=[record.pk]),
                         {"ward": "w1"}, follow=True)

    record.refresh_from_db()
    assert "There is no ward W99." in unknown.content.decode()
    assert record.ward.code == "W1" and not record.outside_wards
    assert record.placed_by == supervisor.user
    assert "None: every record is in a ward." in placed.content.decode()
    assert FieldVisitDaily.objects.get(ward=record.ward).households == 1


def test_a_ward_code_no_ward_could_have_is_refused_without_an_error(client, supervisor):
    household_survey_ensure()
    receive("uuid:far", household(location="-33.9 18.4"))
    record = FieldRecord.objects.get()

    response = client.post(reverse("backoffice:field_record_place", args=[record.pk]),
                           {"ward": "W1\x00"}, follow=True)

    record.refresh_from_db()
    assert response.status_code == 200
    assert "There is no ward" in response.content.decode()
    assert record.outside_wards and record.ward is None
