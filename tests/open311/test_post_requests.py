"""POST requests: a case opened through case_open like every channel, or a precise
error for each fault and nothing written."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from imbizo.cases.models import Attachment, Case, CaseEvent
from imbizo.integrations.services import apikey_create, apikey_revoke
from imbizo.notify.models import OutboxMessage
from tests.factories import DepartmentFactory, ServiceFactory
from tests.open311.schemas import xml_strict
from tests.support import PNG, sast

pytestmark = pytest.mark.django_db

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def body(world, api_key, **changes):
    fields = {
        "api_key": api_key, "service_code": "water-leak",
        "description": "Burst pipe, water everywhere.",
        "lat": str(world.ward.centroid_lat), "long": str(world.ward.centroid_lon),
        "email": "sipho@example.org", "first_name": "Sipho", "last_name": "Dlamini",
        "phone": "082 555 0101",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


ANSWERS = {"attribute[depth]": "40", "attribute[hazard]": "yes"}


def post(client, data, fmt="json", **extra):
    return client.post(f"/open311/v2/requests.{fmt}", data, **extra)


def nothing_written():
    return not (Case.objects.exists() or CaseEvent.objects.exists()
                or OutboxMessage.objects.exists() or Attachment.objects.exists())


@time_machine.travel(MONDAY_10, tick=False)
def test_a_request_opens_a_case_like_every_channel(client, questions, api_key):
    response = post(client, body(questions, api_key, **ANSWERS,
                                **{"attribute[affected][]": ["cars", "people"]}))

    assert response.status_code == 200, response.content
    [receipt] = response.json()
    case = Case.objects.get(reference=receipt["service_request_id"])
    assert receipt["token"] == case.idempotency_key
    assert receipt["service_notice"] == questions.standard.pledge
    assert (case.channel, case.ward, case.office) == ("api", questions.ward, questions.office)
    assert case.resolve_due_at == sast(2026, 3, 9, 16, 30)
    assert case.attributes == {"depth": 40.0, "hazard": "yes", "affected": ["cars", "people"]}
    assert (case.citizen_name, case.citizen_email, case.citizen_phone) == (
        "Sipho Dlamini", "sipho@example.org", "+27825550101")
    assert OutboxMessage.objects.filter(case=case, template="case_received").count() == 2


@time_machine.travel(MONDAY_10, tick=False)
def test_the_reference_is_the_service_request_id_and_tracks_on_the_portal(client, world, api_key):
    reference = post(client, body(world, api_key)).json()[0]["service_request_id"]

    assert client.get(f"/track/{reference}/").status_code == 200
    assert client.get(f"/open311/v2/requests/{reference}.json").json()[0]["service_request_id"] == (
        reference)


@time_machine.travel(MONDAY_10, tick=False)
def test_the_receipt_in_xml_is_a_service_requests_document(client, world, api_key):
    root = xml_strict(post(client, body(world, api_key), fmt="xml").content)

    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text
    assert root.find("request/token").text.startswith("o311-")


@time_machine.travel(MONDAY_10, tick=False)
def test_the_token_gives_the_service_request_id(client, world, api_key):
    receipt = post(client, body(world, api_key)).json()[0]

    [answer] = client.get(f"/open311/v2/tokens/{receipt['token']}.json").json()
    assert answer == {"token": receipt["token"],
                      "service_request_id": receipt["service_request_id"]}
    root = xml_strict(client.get(f"/open311/v2/tokens/{receipt['token']}.xml").content)
    assert root.findtext("request/service_request_id") == receipt["service_request_id"]
    assert client.get("/open311/v2/tokens/o311-unknown.json").status_code == 404


@time_machine.travel(MONDAY_10, tick=False)
def test_a_retry_with_the_same_idempotency_key_opens_one_case(client, world, api_key):
    first = post(client, body(world, api_key), HTTP_IDEMPOTENCY_KEY="fms-report-77").json()
    again = post(client, body(world, api_key), HTTP_IDEMPOTENCY_KEY="fms-report-77").json()

    assert first == again
    assert Case.objects.count() == 1


@time_machine.travel(MONDAY_10, tick=False)
def test_two_clients_using_the_same_idempotency_key_get_two_cases(client, world, api_key):
    _other, other_key = apikey_create(name="Citizen app", scopes="open311")

    post(client, body(world, api_key), HTTP_IDEMPOTENCY_KEY="1")
    post(client, body(world, other_key), HTTP_IDEMPOTENCY_KEY="1")

    assert Case.objects.count() == 2


@time_machine.travel(MONDAY_10, tick=False)
def test_api_key_and_jurisdiction_may_come_in_the_query_string(client, world, api_key):
    data = body(world, None)
    response = client.post(f"/open311/v2/requests.json?api_key={api_key}&jurisdiction_id=127.0.0.1",
                           data)

    assert response.status_code == 200, response.content


@time_machine.travel(MONDAY_10, tick=False)
def test_empty_parameters_count_as_absent(client, world, api_key):
    response = post(client, body(world, api_key, address_string="", email="", phone="",
                                 first_name="", last_name="", media_url=""))

    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert (case.address, case.citizen_email, case.contact_consent) == ("", "", False)


@time_machine.travel(MONDAY_10, tick=False)
def test_an_address_alone_is_a_location(client, world, api_key):
    response = post(client, body(world, api_key, lat=None, long=None,
                                 address_string="Corner of Main and Church"))

    assert response.status_code == 200, response.content
    assert Case.objects.get().address == "Corner of Main and Church"


@time_machine.travel(MONDAY_10, tick=False)
def test_an_address_id_alone_is_a_location(client, world, api_key):
    response = post(client, body(world, api_key, lat=None, long=None, address_id="778899"))

    assert response.status_code == 200, response.content
    assert "778899" in Case.objects.get().address


@time_machine.travel(MONDAY_10, tick=False)
def test_media_urls_may_repeat_and_the_first_is_published(client, world, api_key):
    post(client, body(world, api_key, media_url=["https://fms.example.org/p/1.jpeg",
                                                 "https://fms.example.org/p/2.jpeg"]))

    assert Case.objects.get().media_urls == ["https://fms.example.org/p/1.jpeg",
                                             "https://fms.example.org/p/2.jpeg"]
    record = client.get("/open311/v2/requests.json").json()[0]
    assert record["media_url"] == "https://fms.example.org/p/1.jpeg"


@time_machine.travel(MONDAY_10, tick=False)
def test_uploaded_photos_are_attached_after_the_content_check(client, world, api_key, settings,
                                                              tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photos = [SimpleUploadedFile(f"p{n}.png", PNG, content_type="image/png") for n in (1, 2)]

    response = post(client, body(world, api_key, media=photos))

    assert response.status_code == 200, response.content
    assert list(Attachment.objects.values_list("content_type", flat=True)) == ["image/png"] * 2


@time_machine.travel(MONDAY_10, tick=False)
def test_the_description_is_optional_as_the_specification_says(client, world, api_key):
    post(client, body(world, api_key, description=None))

    assert Case.objects.get().description == world.service.name


@time_machine.travel(MONDAY_10, tick=False)
def test_a_department_key_may_only_submit_its_own_services(client, world):
    _key, raw = apikey_create(name="Roads app", scopes="open311", department=DepartmentFactory())

    response = post(client, body(world, raw))

    assert response.status_code == 403
    assert nothing_written()


# --- bad input: a precise error, nothing written ------------------------------------------


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"service_code": None}, "service_code", "missing_parameter"),
    ({"service_code": "no-such"}, "service_code", "unknown_service"),
    ({"lat": None, "long": None}, "lat", "missing_location"),
    ({"lat": "north"}, "lat", "invalid_parameter"),
    ({"long": "1e999"}, "long", "invalid_parameter"),
    ({"lat": "95"}, "lat", "invalid_parameter"),
    ({"long": None}, "lat", "invalid_location"),
    ({"lat": "-33.9", "long": "18.4"}, "lat", "outside_wards"),
    ({"description": "x" * 4001}, "description", "invalid_description"),
    ({"attribute[depth]": "deep"}, "attribute[depth]", "invalid_attribute"),
    ({"attribute[depth]": None}, "attribute[depth]", "invalid_attribute"),
    ({"attribute[hazard]": "maybe"}, "attribute[hazard]", "invalid_attribute"),
    ({"attribute[hazard][]": ["yes", "no"], "attribute[hazard]": None}, "attribute[hazard]",
     "invalid_attribute"),
    ({"attribute[affected][]": ["cars", "boats"]}, "attribute[affected]", "invalid_attribute"),
    ({"attribute[seen_at]": "last week"}, "attribute[seen_at]", "invalid_attribute"),
    ({"attribute[colour]": "red"}, "attribute[colour]", "invalid_attribute"),
    ({"email": "not-an-address"}, "email", "invalid_email"),
    ({"phone": "12"}, "phone", "invalid_phone"),
    ({"media_url": "javascript:alert(1)"}, "media_url", "invalid_upload"),
    ({"anonymous": "perhaps"}, "anonymous", "invalid_parameter"),
])
@time_machine.travel(MONDAY_10, tick=False)
def test_bad_input_gets_a_400_naming_the_parameter_and_writes_nothing(client, questions, api_key,
                                                                      changes, field, reason):
    response = post(client, body(questions, api_key, **{**ANSWERS, **changes}))

    assert response.status_code == 400, response.content
    assert [(e["field"], e["reason"]) for e in response.json()] == [(field, reason)]
    assert nothing_written()


@time_machine.travel(MONDAY_10, tick=False)
def test_several_faults_are_reported_at_once_in_xml(client, questions, api_key):
    response = post(client, body(questions, api_key, lat="x", long="y", email="nope",
                                 **{"attribute[hazard]": "maybe"}),
                    fmt="xml")

    assert response.status_code == 400
    root = xml_strict(response.content)
    assert root.tag == "errors"
    assert [e.findtext("field") for e in root] == [
        "lat", "long", "attribute[depth]", "attribute[hazard]", "email"]
    assert {e.findtext("code") for e in root} == {"400"}
    assert nothing_written()


@pytest.mark.parametrize("api_key_value", [None, "", "imb_deadbeef_" + "x" * 43, "wrong"])
@time_machine.travel(MONDAY_10, tick=False)
def test_a_missing_or_bad_api_key_is_a_403(client, world, api_key_value):
    response = post(client, body(world, api_key_value))

    assert response.status_code == 403
    assert response.json()[0]["field"] == "api_key"
    assert nothing_written()


@time_machine.travel(MONDAY_10, tick=False)
def test_a_key_without_the_open311_scope_or_revoked_is_a_403(client, world, read_only_key):
    assert post(client, body(world, read_only_key)).status_code == 403
    key, raw = apikey_create(name="Old app", scopes="open311")
    apikey_revoke(key=key)
    assert post(client, body(world, raw)).status_code == 403
    assert nothing_written()


@time_machine.travel(MONDAY_10, tick=False)
def test_a_bad_key_is_reported_before_bad_fields(client, world):
    response = post(client, body(world, "wrong", lat="x"))

    assert response.status_code == 403
    assert [e["field"] for e in response.json()] == ["api_key"]


@time_machine.travel(MONDAY_10, tick=False)
def test_a_json_body_is_refused_with_the_formats_we_read(client, world, api_key):
    response = client.post("/open311/v2/requests.json", data=b'{"service_code": "water-leak"}',
                           content_type="application/json")

    assert response.status_code == 400
    assert response.json()[0]["reason"] == "unsupported_body"
    assert nothing_written()


@time_machine.travel(MONDAY_10, tick=False)
def test_a_malformed_multipart_body_is_a_400(client, world, api_key):
    response = client.generic(
        "POST", f"/open311/v2/requests.xml?api_key={api_key}",
        b"--B\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nwater",
        content_type="multipart/form-data; boundary=B")

    assert response.status_code == 400
    assert nothing_written()


@time_machine.travel(MONDAY_10, tick=False)
def test_an_oversized_body_is_refused_unread(client, world, api_key):
    response = client.generic("POST", "/open311/v2/requests.json", b"x=1",
                              content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH=str(100 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json()[0]["reason"] == "body_too_large"


@time_machine.travel(MONDAY_10, tick=False)
def test_oversized_form_fields_are_a_413(client, world, api_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = post(client, body(world, api_key, description="x" * 2000))

    assert response.status_code == 413
    assert nothing_written()


@pytest.mark.parametrize(("content", "name"), [(b"%PDF-1.4 not a photo", "media"),
                                               (PNG, "file")])
@time_machine.travel(MONDAY_10, tick=False)
def test_an_upload_that_is_not_a_photo_or_misnamed_is_a_400(client, world, api_key, content, name):
    upload = SimpleUploadedFile("x.png", content, content_type="image/png")

    response = post(client, body(world, api_key, **{name: upload}))

    assert response.status_code == 400
    assert response.json()[0]["field"] == name
    assert nothing_written()


@time_machine.travel(MONDAY_10, tick=False)
def test_too_many_photos_is_a_400(client, world, api_key):
    photos = [SimpleUploadedFile(f"{n}.png", PNG, content_type="image/png") for n in range(4)]

    response = post(client, body(world, api_key, media=photos))

    assert response.status_code == 400
    assert response.json()[0]["field"] == "media"
    assert nothing_written()


@time_machine.travel(MONDAY_10, tick=False)
def test_an_idempotency_key_that_is_too_long_is_a_400(client, world, api_key):
    response = post(client, body(world, api_key), HTTP_IDEMPOTENCY_KEY="k" * 201)

    assert response.status_code == 400
    assert nothing_written()


def test_an_unused_service_of_another_department_still_lists(client, world):
    ServiceFactory(code="other")

    assert len(client.get("/open311/v2/services.json").json()) == 2


@pytest.mark.parametrize(("field", "value", "parameter"), [
    ("first_name", "N" * 200, "first_name"),
    ("address_string", "A" * 300, "address_string"),
    ("first_name", "Sipho\r\nBcc: everyone@example.org", "first_name"),
])
def test_a_value_too_long_or_on_two_lines_is_refused_not_cut(client, world, api_key, field,
                                                            value, parameter):
    response = post(client, body(world, api_key, **{field: value}))

    assert response.status_code == 400
    errors = response.json()
    assert [e["field"] for e in errors] == [parameter]
    assert "limit is" in errors[0]["description"] or "one line" in errors[0]["description"]
    assert nothing_written()
