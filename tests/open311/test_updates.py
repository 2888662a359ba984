"""FixMyStreet's servicerequestupdates: our public updates since a date, and a
client's update recorded for staff (reopening when the citizen says so)."""

import pytest
import time_machine

from imbizo.cases.models import CaseEvent, EventKind
from imbizo.cases.services import case_resolve, case_start, case_update_citizen
from imbizo.integrations.services import apikey_create
from tests.factories import DepartmentFactory, StaffFactory
from tests.open311.factories import open_case
from tests.open311.schemas import xml_strict
from tests.support import sast

pytestmark = pytest.mark.django_db


def updates(client, fmt="xml", **params):
    response = client.get(f"/open311/v2/servicerequestupdates.{fmt}", params)
    assert response.status_code == 200, response.content
    return response.json() if fmt == "json" else xml_strict(response.content)


def test_updates_since_a_date_carry_fixmystreet_states(client, world):
    officer = StaffFactory(office=world.office)
    with time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False):
        case = open_case(world)
    with time_machine.travel(sast(2026, 3, 3, 9, 0), tick=False):
        case_start(case=case, actor=officer)
        case_update_citizen(case=case, actor=officer, message="Call 082 999 0001 for access.")
    with time_machine.travel(sast(2026, 3, 4, 9, 0), tick=False):
        case_resolve(case=case, actor=officer, outcome="fixed", note="Pipe replaced.")
        root = updates(client, start_date="2026-03-02T12:00:00+02:00")

    assert root.tag == "service_request_updates"
    rows = [{child.tag: child.text for child in item} for item in root]
    assert [(r["status"], r["description"]) for r in rows] == [
        # The officer's first update to the citizen is also their acknowledgement.
        ("IN_PROGRESS", "In progress"), ("IN_PROGRESS", "Acknowledged"),
        ("IN_PROGRESS", "Call [removed] for access."), ("FIXED", "Pipe replaced.")]
    assert {r["service_request_id"] for r in rows} == {case.reference}
    assert rows[3]["updated_datetime"] == "2026-03-04T09:00:00+02:00"
    assert all(r["update_id"].isdigit() for r in rows)
    assert list(rows[0]) == ["update_id", "service_request_id", "status", "updated_datetime",
                             "description", "media_url"]


def test_end_date_bounds_the_updates_and_json_is_offered(client, world):
    with time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False):
        open_case(world)
    with time_machine.travel(sast(2026, 3, 5, 9, 0), tick=False):
        open_case(world)
        records = updates(client, "json", start_date="2026-03-01T00:00:00Z",
                          end_date="2026-03-03T00:00:00Z")

    assert [r["updated_datetime"] for r in records] == ["2026-03-02T09:00:00+02:00"]


def test_updates_of_private_cases_are_not_in_the_feed(client, world):
    with time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False):
        open_case(world, anonymous=True)
        assert updates(client, "json") == []


def test_internal_notes_are_never_in_the_feed(client, world):
    with time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False):
        case = open_case(world)
        CaseEvent.objects.create(case=case, kind=EventKind.NOTE, at=case.opened_at,
                                 note="Caller is the landlord", public=False)
        records = updates(client, "json")

    assert [r["description"] for r in records] == ["Received"]


def test_a_bad_start_date_is_a_400(client, world):
    response = client.get("/open311/v2/servicerequestupdates.xml?start_date=monday")

    assert response.status_code == 400
    assert xml_strict(response.content).findtext("error/field") == "start_date"


@time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False)
def test_a_clients_update_is_kept_for_staff_and_answered_with_an_update_id(client, world, api_key):
    case = open_case(world)

    response = client.post("/open311/v2/servicerequestupdates.xml", {
        "api_key": api_key, "service_request_id": case.reference, "update_id": "fms-55",
        "status": "OPEN", "description": "Now it is flooding the road.",
        "updated_datetime": "2026-03-02T08:55:00+02:00", "email": "someone@example.org",
        "first_name": "Some", "last_name": "One"})

    assert response.status_code == 200, response.content
    update_id = xml_strict(response.content).findtext("request_update/update_id")
    note = CaseEvent.objects.get(pk=update_id)
    assert (note.kind, note.public, note.note) == ("note", False, "Now it is flooding the road.")
    assert "someone@example.org" not in str(note.details)
    case.refresh_from_db()
    assert case.status == "received"


@time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False)
def test_the_same_client_update_twice_is_recorded_once(client, world, api_key):
    case = open_case(world)
    data = {"api_key": api_key, "service_request_id": case.reference, "update_id": "fms-56",
            "status": "OPEN", "description": "Still leaking."}

    first = client.post("/open311/v2/servicerequestupdates.json", data).json()
    second = client.post("/open311/v2/servicerequestupdates.json", data).json()

    assert first == second
    assert case.events.filter(kind="note").count() == 1


@time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False)
def test_reopen_from_the_client_reopens_a_resolved_case(client, world, api_key):
    case = open_case(world)
    case_resolve(case=case, actor=None, outcome="fixed")

    client.post("/open311/v2/servicerequestupdates.json", {
        "api_key": api_key, "service_request_id": case.reference, "status": "REOPEN",
        "description": "It is leaking again."})

    case.refresh_from_db()
    assert case.status == "reopened"
    assert case.events.last().note == "It is leaking again."


@time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False)
def test_a_plain_open_does_not_reopen_a_resolved_case(client, world, api_key):
    case = open_case(world)
    case_resolve(case=case, actor=None, outcome="fixed")

    client.post("/open311/v2/servicerequestupdates.json", {
        "api_key": api_key, "service_request_id": case.reference, "status": "OPEN",
        "description": "Thank you!"})

    case.refresh_from_db()
    assert case.status == "resolved"


@pytest.mark.parametrize(("data", "status", "field"), [
    ({"service_request_id": None}, 400, "service_request_id"),
    ({"service_request_id": "AAAA-AAAA"}, 404, "service_request_id"),
    ({"status": "SOMEWHERE"}, 400, "status"),
    ({"updated_datetime": "today"}, 400, "updated_datetime"),
    ({"description": ""}, 400, "description"),
    ({"api_key": "wrong"}, 403, "api_key"),
])
@time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False)
def test_a_bad_update_is_refused_precisely_and_writes_nothing(client, world, api_key, data,
                                                              status, field):
    case = open_case(world)
    fields = {"api_key": api_key, "service_request_id": case.reference, "status": "OPEN",
              "description": "More detail.", **data}

    response = client.post("/open311/v2/servicerequestupdates.json",
                           {k: v for k, v in fields.items() if v is not None})

    assert response.status_code == status
    assert [e["field"] for e in response.json()] == [field]
    assert list(case.events.values_list("kind", flat=True)) == ["opened"]


@time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False)
def test_a_department_key_may_only_update_its_own_cases(client, world):
    case = open_case(world)
    _key, raw = apikey_create(name="Roads", scopes="open311", department=DepartmentFactory())

    response = client.post("/open311/v2/servicerequestupdates.json", {
        "api_key": raw, "service_request_id": case.reference, "description": "x"})

    assert response.status_code == 403


def test_the_updates_feed_is_one_query_whatever_its_length(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int) -> int:
        with time_machine.travel(sast(2026, 3, 2, 9, 0), tick=True):
            for _ in range(n):
                open_case(world)
            updates(client, "json")  # warm the catalogue snapshot
            with CaptureQueriesContext(connection) as captured:
                updates(client, "json", page_size=100)
        return len(captured)

    assert queries(2) == queries(10) == 1
