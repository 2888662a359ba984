"""Who may use the OpenRosa door: field workers by password (HTTP Basic) or
by a registered phone's token; everybody else is told why, with the status
ODK Collect understands."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imbizo.field.models import FieldRecord
from imbizo.field.services import device_register, device_revoke
from tests.openrosa.collect import PASSWORD, basic, household_answers, instance_xml, message_of

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_with_a_basic_challenge(client, survey):
    response = client.get("/openrosa/formList")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Imbizo field", charset="UTF-8"'
    assert response["X-OpenRosa-Version"] == "1.0"
    assert message_of(response)[0] == "error"


def test_a_wrong_password_is_401_naming_the_problem(client, worker):
    response = client.head("/openrosa/submission", HTTP_AUTHORIZATION=basic("thandi", "guess"))

    assert response.status_code == 401
    assert "WWW-Authenticate" in response


def test_a_wrong_password_message_says_so(client, worker):
    response = client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi", "guess"))

    assert "user name or password is wrong" in message_of(response)[1]


def test_an_unreadable_authorization_header_is_401(client, worker):
    response = client.get("/openrosa/formList", HTTP_AUTHORIZATION="Basic ***")

    assert response.status_code == 401


def test_staff_without_wards_are_403(client, office_worker, survey):
    response = client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("sipho"))

    assert response.status_code == 403
    assert "assign you wards" in message_of(response)[1]


def test_a_deactivated_worker_is_refused_even_with_a_remembered_password(client, worker, survey):
    assert client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi")).status_code == 200
    worker.is_active = False
    worker.save()

    response = client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi"))

    assert response.status_code == 401


def test_a_new_password_forgets_the_remembered_old_one(client, worker, survey):
    assert client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi")).status_code == 200
    worker.set_password("a brand new passphrase")
    worker.save()

    old = client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi", PASSWORD))
    new = client.get("/openrosa/formList",
                     HTTP_AUTHORIZATION=basic("thandi", "a brand new passphrase"))

    assert (old.status_code, new.status_code) == (401, 200)


def test_a_device_token_sends_records_under_its_worker(client, worker, survey, ward, media):
    device, token = device_register(worker=worker, label="Thandi's phone")
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = instance_xml(instance_id=instance_id, answers=household_answers())

    response = client.post("/openrosa/submission",
                           {"xml_submission_file": _xml_file(xml)},
                           HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 201
    record = FieldRecord.objects.get(instance_id=instance_id)
    assert (record.worker, record.device) == (worker, device)


def test_a_revoked_device_token_is_401(client, worker, survey):
    device, token = device_register(worker=worker, label="Lost phone")
    device_revoke(device=device)

    response = client.get("/openrosa/formList", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert "register the phone again" in message_of(response)[1]


def test_failed_sign_ins_are_limited_per_address(client, worker, survey, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/15m"}

    statuses = [client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi", f"guess{n}"),
                           REMOTE_ADDR="198.51.100.7").status_code for n in range(4)]
    right = client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi"),
                       REMOTE_ADDR="198.51.100.7")

    assert statuses == [401, 401, 401, 429]
    assert right.status_code == 429 and int(right["Retry-After"]) > 0


def _xml_file(xml: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("instance.xml", xml, "text/xml")


def test_a_user_name_locked_out_after_wrong_passwords_is_refused_even_the_right_one(
        client, worker, survey, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3

    wrong = [client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi", "guess"),
                        REMOTE_ADDR="196.25.1.1").status_code for _ in range(3)]
    right = client.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("thandi"),
                       REMOTE_ADDR="196.25.1.1")

    assert wrong == [401, 401, 429]  # the third failure reaches the limit
    assert right.status_code == 429 and right["Retry-After"] == "900"
    assert "Too many failed sign-ins for this user" in message_of(right)[1]
