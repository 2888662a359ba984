"""REST API: cases (list, read, open, status, public update), scopes and errors."""

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, CaseEvent
from imbizo.cases.services import case_note, case_open
from imbizo.integrations.models import ApiKey
from imbizo.integrations.services import apikey_revoke
from imbizo.notify.models import OutboxMessage
from tests.api.conftest import Api, key_for
from tests.factories import OfficeFactory, ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import inside, sast

pytestmark = pytest.mark.django_db

PERSONAL = {"citizen_name": "Thandi Mokoena", "citizen_phone": "+27821234567",
            "citizen_email": "thandi@example.org"}


def opened(world, **changes) -> Case:
    fields = {"service_code": "water-leak", "description": "Burst pipe at 12 Long Street",
              "channel": "web", "contact_consent": True, **PERSONAL, **inside(world.ward),
              **changes}
    return case_open(draft=CaseDraft(**fields))


def a_case_request(world, **changes) -> dict:
    return {"service_code": "water-leak", "description": "Water running down the street",
            **inside(world.ward), **changes}


# --- reading ------------------------------------------------------------------------------


def test_a_read_key_lists_cases_without_personal_data(world, reader):
    case = opened(world)

    response = reader.get("cases")

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["reference"] == case.reference
    assert item["service"] == "water-leak"
    assert item["ward"] == world.ward.code
    assert item["office"] == world.office.code
    assert item["personal"] is None
    text = response.content.decode()
    for secret in (*PERSONAL.values(), "Long Street", str(world.ward.centroid_lat)):
        assert secret not in text


def test_a_key_with_the_personal_scope_sees_what_the_citizen_told_us(world, personal_reader):
    case = opened(world)

    item = personal_reader.get(f"cases/{case.reference}").json()

    assert item["personal"]["citizen_name"] == "Thandi Mokoena"
    assert item["personal"]["citizen_phone"] == "+27821234567"
    assert item["personal"]["description"] == "Burst pipe at 12 Long Street"
    assert item["personal"]["lat"] == world.ward.centroid_lat


def test_reading_a_case_shows_its_public_history_but_no_internal_note(world, reader):
    case = opened(world)
    case_note(case=case, actor=StaffFactory(office=world.office), note="Neighbour is a plumber")

    item = reader.get(f"cases/{case.reference}").json()

    assert [e["kind"] for e in item["events"]] == ["opened"]
    assert "plumber" not in str(item)


def test_a_reference_may_be_typed_loosely(world, reader):
    case = opened(world)

    response = reader.get(f"cases/{case.reference.lower().replace('-', '')}")

    assert response.json()["reference"] == case.reference


def test_an_unknown_reference_is_not_found(world, reader):
    response = reader.get("cases/AAAA-AAAA")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert response.json()["errors"][0]["field"] == "reference"


@pytest.mark.parametrize("params, expected", [
    ({"status": "received"}, {"first", "second"}),
    ({"status": "acknowledged,closed"}, set()),
    ({"service": "water-leak"}, {"first"}),
    ({"service": "pothole"}, {"second"}),
    ({"opened_after": "2026-03-03T00:00:00+02:00"}, {"second"}),
    ({"opened_before": "2026-03-03T00:00:00+02:00"}, {"first"}),
    ({"kind": "complaint"}, {"second"}),
])
def test_the_list_filters(world, reader, params, expected):
    pothole = ServiceFactory(code="pothole", department=world.office.department)
    ServiceStandardFactory(service=pothole)
    with time_machine.travel(sast(2026, 3, 2, 10), tick=False):
        first = opened(world)
    with time_machine.travel(sast(2026, 3, 4, 10), tick=False):
        second = opened(world, service_code="pothole", kind="complaint")
    names = {first.reference: "first", second.reference: "second"}

    response = reader.get("cases", params)

    assert response.status_code == 200, response.content
    assert {names[i["reference"]] for i in response.json()["items"]} == expected


def test_filters_by_ward_and_office(world, reader):
    case = opened(world)
    opened(world, lat=None, lon=None)

    by_ward = reader.get("cases", {"ward": world.ward.code}).json()["items"]
    by_office = reader.get("cases", {"office": world.office.code}).json()["items"]

    assert [i["reference"] for i in by_ward] == [case.reference]
    assert len(by_office) == 2


@pytest.mark.parametrize("params, field", [
    ({"service": "no-such-service"}, "service"),
    ({"ward": "W999"}, "ward"),
    ({"office": "nowhere"}, "office"),
    ({"status": "lost"}, "status"),
    ({"opened_after": "yesterday"}, "opened_after"),
    ({"opened_after": "2026-03-03T00:00:00"}, "opened_after"),  # no offset
    ({"limit": "201"}, "limit"),
    ({"limit": "0"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"}, "cursor"),  # id:9999...: too large
    ({"updated_after": "0.5"}, "updated_after"),  # not read as a Unix time
    ({"updated_after": "2026-01-01T00:00:00-22:20"}, "updated_after"),  # no such zone
    ({"opened_before": "0001-01-01T00:00:00+01:00"}, "opened_before"),  # before year 1 in UTC
    ({"stauts": "received"}, "stauts"),  # a typo is named, not ignored
])
def test_a_bad_filter_is_refused_naming_it(world, reader, params, field):
    response = reader.get("cases", params)

    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_pages_follow_each_other_to_the_end(world, reader):
    references = [opened(world).reference for _ in range(5)]

    seen, cursor = [], None
    for _ in range(3):
        body = reader.get("cases", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [i["reference"] for i in body["items"]]
        cursor = body["next_cursor"]

    assert seen == references[::-1]
    assert cursor is None


def test_listing_cases_costs_the_same_few_queries_for_many(world, reader,
                                                          django_assert_max_num_queries):
    for _ in range(30):
        opened(world)
    reader.get("cases")  # the key's last use is written once a minute, not now

    with django_assert_max_num_queries(2):  # the key, the page
        response = reader.get("cases", {"limit": 30})

    assert len(response.json()["items"]) == 30


def test_a_department_key_sees_only_its_department(world, client, other_department):
    ours = opened(world)
    roads_office = OfficeFactory(department=other_department)
    roads = ServiceFactory(code="pothole", department=other_department)
    ServiceStandardFactory(service=roads)
    from imbizo.cases.models import RoutingRule
    RoutingRule.objects.create(service=roads, office=roads_office)
    theirs = opened(world, service_code="pothole")
    api = Api(client, key_for("read", department=other_department))

    listed = [i["reference"] for i in api.get("cases").json()["items"]]

    assert listed == [theirs.reference]
    assert api.get(f"cases/{ours.reference}").status_code == 404


# --- keys ---------------------------------------------------------------------------------


def test_no_key_is_refused(world, anonymous):
    response = anonymous.get("cases")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "key_missing"


def test_a_wrong_key_is_refused(world, client):
    response = Api(client, "imb_00000000_" + "a" * 43).get("cases")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "key_invalid"


def test_a_revoked_key_is_refused(world, client):
    raw_key = key_for("read,write")
    apikey_revoke(key=ApiKey.objects.get())

    response = Api(client, raw_key).post("cases", a_case_request(world))

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "key_revoked"
    assert not Case.objects.exists()


def test_a_bearer_token_works_like_the_header(world, client):
    raw_key = key_for("read")

    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    assert response.status_code == 200


def test_a_read_key_may_not_write(world, reader):
    response = reader.post("cases", a_case_request(world))

    assert response.status_code == 403
    assert response.json()["errors"][0] == {
        "code": "scope_missing", "field": "api_key",
        "message": "This API key may not be used for write."}
    assert not Case.objects.exists()


# --- opening ------------------------------------------------------------------------------


def test_a_write_key_opens_a_case_with_ward_office_and_promise(world, writer):
    response = writer.post("cases", a_case_request(world, **PERSONAL, contact_consent=True))

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["reference"] == case.reference
    assert body["channel"] == "api" == case.channel
    assert body["ward"] == world.ward.code
    assert body["resolve_due_at"] is not None
    assert body["personal"] is None  # written, but this key may not read it back
    assert case.citizen_email == "thandi@example.org"
    assert OutboxMessage.objects.filter(case=case, template="case_received").count() == 2


def test_the_same_idempotency_key_returns_the_first_case(world, writer):
    first = writer.post("cases", a_case_request(world, idempotency_key="crm-1234"))
    again = writer.post("cases", a_case_request(world, idempotency_key="crm-1234"))

    assert again.json()["reference"] == first.json()["reference"]
    assert Case.objects.count() == 1


@pytest.mark.parametrize("body, status, code, field", [
    ({"service_code": "nope", "description": "x"}, 422, "unknown_service", "service_code"),
    ({"service_code": "water-leak", "description": "  "}, 422, "invalid_description",
     "description"),
    ({"service_code": "water-leak"}, 422, "required", "description"),
    ({"service_code": "water-leak", "description": "x", "lat": "north"}, 422, "invalid", "lat"),
    ({"service_code": "water-leak", "description": "x", "lat": 91, "lon": 0}, 422, "invalid",
     "lat"),
    ({"service_code": "water-leak", "description": "x", "lat": -26.2}, 422,
     "invalid_location", "location"),
    ({"service_code": "water-leak", "description": "x", "lat": 0.5, "lon": 0.5}, 422,
     "outside_wards", "location"),
    ({"service_code": "water-leak", "description": "x", "kind": "rant"}, 422, "invalid", "kind"),
    ({"service_code": "water-leak", "description": "x", "citizen_phone": "12"}, 422,
     "invalid_phone", "citizen_phone"),
    ({"service_code": "water-leak", "description": "x", "citizen_email": "thandi@"}, 422,
     "invalid_email", "citizen_email"),
    ({"service_code": "water-leak", "description": "x", "attributes": {"colour": "red"}}, 422,
     "invalid_attribute", "attribute[colour]"),
    ({"service_code": "water-leak", "description": "x" * 4001}, 422, "invalid", "description"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(world, writer, body,
                                                                     status, code, field):
    response = writer.post("cases", body)

    assert response.status_code == status, response.content
    assert {"code": code, "field": field} in [
        {"code": e["code"], "field": e["field"]} for e in response.json()["errors"]]
    assert not Case.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_several_wrong_fields_are_named_at_once(world, writer):
    response = writer.post("cases", {"service_code": 7, "lat": "x"})

    fields = {e["field"] for e in response.json()["errors"]}
    assert {"service_code", "description", "lat"} <= fields


@pytest.mark.parametrize("raw", ['{"service_code": "water-leak",', "[1, 2]", "\xff\xfe", "null"])
def test_a_body_that_is_not_a_json_object_is_refused(world, writer, raw):
    response = writer.post("cases", raw=raw.encode("latin-1"))

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "malformed_body"
    assert not Case.objects.exists()


def test_an_oversized_body_is_refused_before_it_is_read(world, writer, settings):
    settings.API_MAX_BODY_BYTES = 1000

    response = writer.post("cases", a_case_request(world, description="x" * 2000))

    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "body_too_large"
    assert not Case.objects.exists()


def test_a_department_key_may_not_open_cases_for_another_department(world, client,
                                                                    other_department):
    api = Api(client, key_for("write", department=other_department))

    response = api.post("cases", a_case_request(world))

    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "service_code"
    assert not Case.objects.exists()


# --- changing -----------------------------------------------------------------------------


def test_a_status_change_goes_through_the_life_cycle(world, writer):
    case = opened(world)

    response = writer.post(f"cases/{case.reference}/status", {"status": "acknowledged",
                                                                "note": "We are on it."})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "acknowledged"
    case.refresh_from_db()
    assert case.acknowledged_at is not None
    assert CaseEvent.objects.filter(case=case, to_status="acknowledged").exists()


def test_resolving_needs_an_outcome(world, writer):
    case = opened(world)

    response = writer.post(f"cases/{case.reference}/status", {"status": "resolved"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "outcome"
    case.refresh_from_db()
    assert case.status == "received"


def test_resolving_with_an_outcome_and_closing(world, writer):
    case = opened(world)

    resolved = writer.post(f"cases/{case.reference}/status",
                           {"status": "resolved", "outcome": "fixed", "note": "Pipe replaced."})
    closed = writer.post(f"cases/{case.reference}/status", {"status": "closed"})

    assert resolved.json()["outcome"] == "fixed"
    assert closed.json()["status"] == "closed"


def test_a_move_the_life_cycle_forbids_is_a_conflict(world, writer):
    case = opened(world)

    response = writer.post(f"cases/{case.reference}/status",
                           {"status": "reopened", "note": "Still leaking"})

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "transition_not_allowed"
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_waiting_pauses_and_in_progress_resumes(world, writer):
    case = opened(world)

    waiting = writer.post(f"cases/{case.reference}/status",
                          {"status": "waiting_citizen", "note": "Which house number?"})
    resumed = writer.post(f"cases/{case.reference}/status", {"status": "in_progress"})

    assert waiting.json()["status"] == "waiting_citizen"
    assert resumed.json()["status"] == "in_progress"


def test_an_update_to_the_citizen_is_public_and_sent(world, writer):
    case = opened(world)

    response = writer.post(f"cases/{case.reference}/updates", {"message": "Crew on the way."})

    assert response.status_code == 201
    assert response.json()["events"][-1] == {
        **response.json()["events"][-1], "kind": "public_update", "note": "Crew on the way."}
    assert OutboxMessage.objects.filter(case=case, template="case_updated").count() == 2


def test_an_empty_update_is_refused(world, writer):
    case = opened(world)

    response = writer.post(f"cases/{case.reference}/updates", {"message": ""})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "message"


def test_a_department_key_may_not_open_cases_for_a_service_of_no_department(world, client):
    unowned = ServiceFactory(code="litter", department=None)
    ServiceStandardFactory(service=unowned)
    api = Api(client, key_for("write", department=world.office.department))

    response = api.post("cases", a_case_request(world, service_code="litter"))

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_a_personal_key_reads_both_texts_and_others_neither(world, personal_reader, reader):
    case = opened(world, channel="hotline", description="Mr Dlamini at 12 Long Street says",
                  public_description="Burst pipe, call 082 123 4567")

    item = personal_reader.get(f"cases/{case.reference}").json()
    other = reader.get(f"cases/{case.reference}").json()

    assert item["personal"]["description"] == "Mr Dlamini at 12 Long Street says"
    assert item["personal"]["public_description"] == "Burst pipe, call [removed]"
    assert other["personal"] is None and "Dlamini" not in str(other)
    assert other["kept_private"] is False


def test_a_case_opened_over_the_api_may_be_kept_private(world, writer):
    response = writer.post("cases", a_case_request(world, kept_private=True))

    assert response.status_code == 201
    case = Case.objects.get()
    assert case.kept_private and case.public_description == ""


# --- the place (issue 13 point 5) ------------------------------------------------------


def test_the_api_refuses_a_case_of_a_service_needing_a_place_without_one(world, writer):
    world.service.needs_place = True
    world.service.save()

    response = writer.post("cases", {"service_code": "water-leak",
                                     "description": "Water running", "address": "Long Street"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "place_needed"
    assert not Case.objects.exists()


def test_the_api_takes_a_ward_code_or_an_unknown_place(world, writer):
    world.service.needs_place = True
    world.service.save()

    by_ward = writer.post("cases", {"service_code": "water-leak", "description": "Water running",
                                    "ward": world.ward.code})
    unknown = writer.post("cases", {"service_code": "water-leak", "description": "Water running",
                                    "place_unknown": True})

    assert by_ward.status_code == 201
    assert by_ward.json()["ward"] == world.ward.code
    assert unknown.status_code == 201
    assert unknown.json()["ward"] is None
