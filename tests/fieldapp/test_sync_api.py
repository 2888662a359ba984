"""The field app's JSON API as a phone uses it: connect, bootstrap, send
records exactly once, send a photo alone, report what waits."""

import json
import uuid

import pytest
from django.test import Client

from imbizo.field.models import (
    FieldAssignment,
    FieldAttachment,
    FieldConflict,
    FieldDevice,
    FieldRecord,
)
from tests.factories import StaffFactory
from tests.support import PNG

pytestmark = pytest.mark.django_db


def visit(**changes) -> dict:
    record = {
        "instance_id": f"uuid:{uuid.uuid4()}",
        "form": "household-needs", "version": "1",
        "answers": {"ward": "W001", "needs": ["water", "refuse"], "urgency": "urgent", "people": 5},
        "captured_at": "2026-12-07T08:15:00+02:00",
        "attachments": [],
    }
    record.update(changes)
    return record


def send(client, bearer, record) -> tuple[int, dict]:
    response = client.post("/field/api/records", json.dumps(record),
                           content_type="application/json", **bearer)
    return response.status_code, response.json()


# Connecting a phone ---------------------------------------------------------

def test_a_signed_in_worker_connects_a_phone_and_gets_a_token_once(worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    client.get("/field/connect/")  # sets the CSRF cookie

    response = client.post("/field/api/device", json.dumps({"label": "Blue Nokia"}),
                           content_type="application/json",
                           HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)

    assert response.status_code == 201
    token = response.json()["token"]
    device = FieldDevice.objects.get(worker=worker)
    assert device.label == "Blue Nokia"
    assert token not in device.token_hash  # only a digest is kept


def test_connecting_without_the_csrf_token_is_refused(worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)

    response = client.post("/field/api/device", json.dumps({"label": "x"}),
                           content_type="application/json")

    assert response.status_code == 403
    assert not FieldDevice.objects.exists()


def test_connecting_needs_a_signed_in_member_of_staff(client, db):
    response = client.post("/field/api/device", json.dumps({"label": "x"}),
                           content_type="application/json")

    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "session"


def test_a_phone_without_a_name_is_refused_naming_the_field(client, worker):
    client.force_login(worker)

    response = client.post("/field/api/device", json.dumps({"label": ""}),
                           content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "label"


# Bootstrap -------------------------------------------------------------------

def test_bootstrap_gives_the_phone_its_worker_forms_and_wards(client, bearer, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/field/api/bootstrap", **bearer)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["worker"]["name"] == "Thandi Mokoena"
    assert body["device"]["label"] == "Thandi's phone"
    assert [(f["code"], f["version"]) for f in body["forms"]] == [("household-needs", "1")]
    kinds = {q["name"]: q["kind"] for q in body["forms"][0]["definition"]["questions"]}
    assert kinds["location"] == "geopoint" and kinds["photo"] == "image"
    assert body["wards"] == [{"code": "W001", "name": "Ward 1"}]


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic Zm9vOmJhcg=="])
def test_without_a_live_token_the_api_answers_401_naming_the_header(client, db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get("/field/api/bootstrap", **extra)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["field"] == "Authorization"


def test_a_withdrawn_phone_is_refused_but_its_session_never_mattered(client, phone, bearer):
    from imbizo.field.services import device_revoke

    device_revoke(device=phone[0])

    assert client.get("/field/api/bootstrap", **bearer).status_code == 401


# Records -----------------------------------------------------------------------

def test_a_new_record_is_stored_with_the_worker_device_and_phone_clock(client, phone, bearer):
    record = visit()

    status, body = send(client, bearer, record)

    assert status == 201
    assert body["status"] == "created"
    assert body["receipt"].startswith("F")
    stored = FieldRecord.objects.get(instance_id=record["instance_id"])
    assert stored.worker == phone[0].worker and stored.device == phone[0]
    assert stored.captured_at.isoformat() == "2026-12-07T06:15:00+00:00"
    assert stored.answers["needs"] == ["water", "refuse"]


def test_the_same_record_sent_twice_is_stored_once_with_the_first_receipt(client, bearer):
    record = visit()
    _, first = send(client, bearer, record)

    status, again = send(client, bearer, record)

    assert status == 202
    assert again["status"] == "repeat"
    assert again["receipt"] == first["receipt"]
    assert again["received_at"] == first["received_at"]
    assert FieldRecord.objects.filter(instance_id=record["instance_id"]).count() == 1


def test_an_edit_on_a_stale_revision_goes_to_the_supervisor(client, bearer):
    record = visit()
    send(client, bearer, record)
    send(client, bearer, {**record, "base_revision": 1, "answers": {**record["answers"], "people": 6}})

    status, body = send(client, bearer, {**record, "base_revision": 1,
                                         "answers": {**record["answers"], "people": 7}})

    assert status == 202
    assert body["status"] == "conflict"
    assert FieldConflict.objects.get().answers["people"] == 7
    assert FieldRecord.objects.get().answers["people"] == 6


def test_a_point_outside_every_ward_is_taken_and_flagged(client, bearer):
    status, body = send(client, bearer, visit(answers={
        "location": "-40.0 10.0 0 5", "needs": ["water"], "urgency": "soon", "people": 2}))

    assert status == 201
    assert body["outside_wards"] is True


@pytest.mark.parametrize(("change", "field"), [
    ({"instance_id": ""}, "instance_id"),
    ({"answers": "water"}, "answers"),
    ({"captured_at": "yesterday"}, "captured_at"),
    ({"captured_at": "2026-12-07T08:15:00"}, "captured_at"),
    ({"base_revision": 0}, "base_revision"),
    ({"attachments": "photo.jpg"}, "attachments"),
    ({"problem": {"service": "water-leak"}}, "problem.description"),
    ({"form": "no-such-form"}, "form"),
    ({"answers": {"needs": ["gold"], "urgency": "urgent", "people": 1}}, "answers"),
])
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(client, bearer, change, field):
    status, body = send(client, bearer, visit(**change))

    assert status == 400
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["message"]
    assert not FieldRecord.objects.exists()


def test_a_body_that_is_not_json_is_refused(client, bearer):
    response = client.post("/field/api/records", b"{not json", content_type="application/json",
                           **bearer)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"


def test_the_record_api_needs_no_csrf_token_but_a_device_token(bearer, survey):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/field/api/records", json.dumps(visit()),
                           content_type="application/json", **bearer)

    assert response.status_code == 201


# Photos --------------------------------------------------------------------------

def test_a_photo_sent_alone_after_its_record_completes_it(client, bearer):
    record = visit(answers={**visit()["answers"], "photo": "photo-1a2b3c4d.png"},
                   attachments=["photo-1a2b3c4d.png"])
    _, first = send(client, bearer, record)
    assert first["complete"] is False

    response = client.post(f"/field/api/records/{record['instance_id']}/attachments/photo-1a2b3c4d.png",
                           PNG, content_type="image/png", **bearer)

    assert response.status_code == 201
    assert response.json()["complete"] is True
    assert FieldAttachment.objects.get().size == len(PNG)
    assert FieldRecord.objects.get().complete is True


def test_a_photo_retried_after_a_lost_answer_is_stored_once(client, bearer):
    record = visit(answers={**visit()["answers"], "photo": "p.png"}, attachments=["p.png"])
    send(client, bearer, record)
    url = f"/field/api/records/{record['instance_id']}/attachments/p.png"
    client.post(url, PNG, content_type="image/png", **bearer)

    response = client.post(url, PNG, content_type="image/png", **bearer)

    assert response.status_code == 202
    assert response.json()["status"] == "repeat"
    assert FieldAttachment.objects.count() == 1


def test_a_photo_may_come_as_a_multipart_form(client, bearer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    record = visit(answers={**visit()["answers"], "photo": "p.png"}, attachments=["p.png"])
    send(client, bearer, record)

    response = client.post(f"/field/api/records/{record['instance_id']}/attachments/p.png",
                           {"file": SimpleUploadedFile("p.png", PNG, "image/png")}, **bearer)

    assert response.status_code == 201


def test_a_photo_for_a_record_not_received_answers_404(client, bearer):
    response = client.post("/field/api/records/uuid:unknown/attachments/p.png", PNG,
                           content_type="image/png", **bearer)

    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "instance_id"


def test_a_file_that_is_not_a_photo_is_refused_and_the_record_stays_incomplete(client, bearer):
    record = visit(answers={**visit()["answers"], "photo": "p.png"}, attachments=["p.png"])
    send(client, bearer, record)

    response = client.post(f"/field/api/records/{record['instance_id']}/attachments/p.png",
                           b"MZ\x90\x00 not an image", content_type="image/png", **bearer)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "attachment_refused"
    assert FieldRecord.objects.get().complete is False


def test_a_photo_over_the_limit_answers_413(client, bearer, settings):
    settings.FIELD_ATTACHMENT_MAX_BYTES = 10
    record = visit(answers={**visit()["answers"], "photo": "p.png"}, attachments=["p.png"])
    send(client, bearer, record)

    response = client.post(f"/field/api/records/{record['instance_id']}/attachments/p.png",
                           PNG, content_type="image/png", **bearer)

    assert response.status_code == 413
    assert not FieldAttachment.objects.exists()


# Status ----------------------------------------------------------------------------

def test_the_phone_reports_what_waits_on_it(client, phone, bearer):
    response = client.post("/field/api/status", json.dumps({"unsynced": 4}),
                           content_type="application/json", **bearer)

    assert response.status_code == 200
    phone[0].refresh_from_db()
    assert phone[0].unsynced_reported == 4
    assert phone[0].last_seen_at is not None


@pytest.mark.parametrize("value", [-1, "4", None, True])
def test_a_wrong_count_is_refused(client, bearer, value):
    response = client.post("/field/api/status", json.dumps({"unsynced": value}),
                           content_type="application/json", **bearer)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "unsynced"


def test_a_get_on_a_post_endpoint_is_refused_without_a_500(client, bearer):
    assert client.get("/field/api/records", **bearer).status_code == 405
    assert client.post("/field/api/bootstrap", **bearer).status_code == 405


# A problem seen on the visit -------------------------------------------------------

@pytest.fixture
def world_bearer(world, worker, survey):
    from imbizo.field.services import device_register

    FieldAssignment.objects.create(worker=worker, ward=world.ward, target_households=10)
    return {"HTTP_AUTHORIZATION": f"Bearer {device_register(worker=worker, label='p')[1]}"}


def test_a_visit_that_reports_a_problem_opens_one_case_even_when_sent_twice(client, world, world_bearer):
    from imbizo.cases.models import Case

    lat, lon = world.ward.centroid_lat, world.ward.centroid_lon
    record = visit(answers={**visit()["answers"], "location": f"{lat} {lon} 0 8"},
                   problem={"service": "water-leak",
                            "description": "The standpipe at the corner leaks day and night."})

    status, body = send(client, world_bearer, record)
    again_status, again = send(client, world_bearer, record)

    assert (status, again_status) == (201, 202)
    case = Case.objects.get()
    assert body["case_reference"] == again["case_reference"] == case.reference
    assert case.channel == "field"
    assert case.service.code == "water-leak"
    assert case.ward == world.ward


def test_a_problem_for_an_unknown_service_stores_neither_record_nor_case(client, world, world_bearer):
    from imbizo.cases.models import Case

    status, body = send(client, world_bearer, visit(problem={"service": "no-such-service",
                                                             "description": "Broken."}))

    assert status == 400
    assert body["errors"][0]["field"] == "problem.service"
    assert not FieldRecord.objects.exists() and not Case.objects.exists()


def test_a_visit_without_a_problem_answers_no_case(client, bearer):
    _, body = send(client, bearer, visit())

    assert body["case_reference"] is None


def test_a_role_that_does_not_record_visits_cannot_connect_a_phone(client, db):
    from imbizo.org.models import Role

    analyst = StaffFactory(role=Role.ANALYST).user
    client.force_login(analyst)

    response = client.post("/field/api/device", json.dumps({"label": "x"}),
                           content_type="application/json")

    assert response.status_code == 403
    assert not FieldDevice.objects.exists()


def test_a_phone_of_a_worker_no_longer_on_the_staff_stops_sending(client, phone, bearer, worker):
    worker.staff.active = False
    worker.staff.save()

    status, _body = send(client, bearer, visit())

    assert status == 401
    assert not FieldRecord.objects.exists()


def test_a_nul_in_an_answer_is_refused_naming_the_answer(client, bearer):
    status, body = send(client, bearer, visit(answers={**visit()["answers"], "notes": "a\x00b"}))

    assert status == 400
    assert body["errors"][0]["field"] == "answers.notes"
    assert not FieldRecord.objects.exists()


def test_receiving_a_visit_with_a_problem_takes_a_bounded_number_of_queries(
        client, world, world_bearer, django_assert_max_num_queries):
    record = visit(answers={**visit()["answers"], "photo": "p.png"}, attachments=["p.png"],
                   problem={"service": "water-leak", "description": "Leaking standpipe."})

    with django_assert_max_num_queries(50):
        status, _body = send(client, world_bearer, record)
    with django_assert_max_num_queries(15):
        again, _body = send(client, world_bearer, record)

    assert (status, again) == (201, 202)


def test_a_photo_larger_than_djangos_in_memory_limit_but_within_the_field_limit_is_taken(
        client, bearer, settings):
    import io
    import os

    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(buffer, "PNG")
    photo = buffer.getvalue()
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(photo) < settings.FIELD_ATTACHMENT_MAX_BYTES
    record = visit(answers={**visit()["answers"], "photo": "big.png"}, attachments=["big.png"])
    send(client, bearer, record)

    response = client.post(f"/field/api/records/{record['instance_id']}/attachments/big.png",
                           photo, content_type="image/png", **bearer)

    assert response.status_code == 201
    assert FieldAttachment.objects.get().size == len(photo)
