"""GET requests, requests/{id} and tokens: filters, paging, extensions, what the
public may see, and a constant number of queries."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imbizo.cases.models import Case
from imbizo.cases.services import case_merge, case_resolve, case_start, case_update_citizen
from tests.factories import ServiceFactory, StaffFactory
from tests.open311.factories import PERSONAL, open_case
from tests.open311.schemas import assert_valid, xml_records, xml_strict
from tests.support import sast

pytestmark = pytest.mark.django_db

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def get(client, path: str, **params):
    response = client.get(f"/open311/v2/{path}", params)
    assert response.status_code == 200, response.content
    return response.json() if path.endswith(".json") else xml_strict(response.content)


@time_machine.travel(MONDAY_10, tick=False)
def test_a_request_validates_and_carries_its_public_facts(client, world):
    case = open_case(world)

    [record] = get(client, "requests.json")

    assert_valid([record], "requests.json")
    assert record == {
        "service_request_id": case.reference, "status": "open", "status_notes": "Received",
        "service_name": world.service.name, "service_code": "water-leak",
        "description": "Water pouring from a pipe near the school.",
        "agency_responsible": world.office.department.name,
        "service_notice": world.standard.pledge,
        "requested_datetime": "2026-03-02T10:00:00+02:00",
        "updated_datetime": "2026-03-02T10:00:00+02:00",
        "expected_datetime": "2026-03-09T16:30:00+02:00",
        "address": "12 School Street", "address_id": None, "zipcode": None,
        "lat": world.ward.centroid_lat, "long": world.ward.centroid_lon, "media_url": None,
    }


@time_machine.travel(MONDAY_10, tick=False)
def test_xml_requests_have_the_same_fields_in_the_same_order(client, world):
    open_case(world)

    json_record = get(client, "requests.json")[0]
    root = get(client, "requests.xml")

    assert root.tag == "service_requests"
    assert [child.tag for child in root[0]] == list(json_record)
    assert xml_records(root)[0]["lat"] == str(json_record["lat"])


@time_machine.travel(MONDAY_10, tick=False)
def test_nothing_personal_is_published_and_contact_details_in_words_are_masked(client, world):
    case = open_case(world, description="Leak. Call me on 082 999 0001 or nokuthula.z@example.org")

    for path in ("requests.json", "requests.xml", "requests.json?extensions=true",
                 f"requests/{case.reference}.xml?extensions=true"):
        body = client.get(f"/open311/v2/{path}").content.decode()
        assert [value for value in PERSONAL if value in body] == [], path
    record = get(client, "requests.json")[0]
    assert record["description"] == "Leak. Call me on [removed] or [removed]"


@pytest.mark.parametrize("changes", [{"anonymous": True}, {"kind": "complaint"},
                                     {"client_type": "internal"}])
@time_machine.travel(MONDAY_10, tick=False)
def test_a_private_case_is_not_listed_and_by_reference_shows_only_its_ward(client, world,
                                                                            changes):
    case = open_case(world, **changes)
    world.ward.centroid_lat, world.ward.centroid_lon = -26.1951, 28.0052  # not the report's
    type(world.ward).objects.filter(pk=world.ward.pk).update(centroid_lat=-26.1951,
                                                             centroid_lon=28.0052)

    assert get(client, "requests.json") == []
    [record] = get(client, f"requests/{case.reference}.json")
    assert (record["lat"], record["long"]) == (-26.1951, 28.0052)
    assert record["address"] is None and record["description"] is None
    assert record["media_url"] is None


@time_machine.travel(MONDAY_10, tick=False)
def test_a_request_by_id_is_a_one_item_list_in_both_formats(client, world):
    case = open_case(world)

    assert [r["service_request_id"] for r in get(client, f"requests/{case.reference}.json")] == [
        case.reference]
    root = get(client, f"requests/{case.reference}.xml")
    assert [r.findtext("service_request_id") for r in root] == [case.reference]


def test_an_unknown_request_is_a_404(client, world):
    response = client.get("/open311/v2/requests/AAAA-AAAA.json")

    assert response.status_code == 404
    assert response.json()[0]["field"] == "service_request_id"


@time_machine.travel(MONDAY_10, tick=False)
def test_service_request_id_takes_a_comma_list_and_overrides_the_other_filters(client, world):
    first, second, _third = (open_case(world) for _ in range(3))

    records = get(client, "requests.json", service_request_id=f"{first.reference},{second.reference}",
                  status="closed", service_code="no-such-code")

    assert {r["service_request_id"] for r in records} == {first.reference, second.reference}


@time_machine.travel(MONDAY_10, tick=False)
def test_service_code_takes_a_comma_list(client, world):
    other = ServiceFactory(code="pothole")
    third = ServiceFactory(code="streetlight")
    water = open_case(world)
    pothole = open_case(world, service_code=other.code)
    open_case(world, service_code=third.code)

    records = get(client, "requests.json", service_code="water-leak,pothole")

    assert {r["service_request_id"] for r in records} == {water.reference, pothole.reference}


@time_machine.travel(MONDAY_10, tick=False)
def test_status_filters_open_and_closed(client, world):
    still_open = open_case(world)
    done = open_case(world)
    case_resolve(case=done, actor=None, outcome="fixed")

    assert [r["service_request_id"] for r in get(client, "requests.json", status="open")] == [
        still_open.reference]
    assert [r["service_request_id"] for r in get(client, "requests.json", status="closed")] == [
        done.reference]
    assert len(get(client, "requests.json", status="open,closed")) == 2


def test_start_and_end_date_select_by_requested_datetime(client, world):
    with time_machine.travel(sast(2026, 1, 5, 9, 0), tick=False):
        january = open_case(world)
    with time_machine.travel(sast(2026, 2, 5, 9, 0), tick=False):
        february = open_case(world)
    with time_machine.travel(sast(2026, 3, 5, 9, 0), tick=False):
        records = get(client, "requests.json", start_date="2026-01-01T00:00:00+02:00",
                      end_date="2026-01-31T23:59:59+02:00")
        assert [r["service_request_id"] for r in records] == [january.reference]
        records = get(client, "requests.json", start_date="2026-02-01T00:00:00Z")
        assert [r["service_request_id"] for r in records] == [february.reference]


def test_without_dates_the_last_90_days_are_listed(client, world):
    with time_machine.travel(sast(2025, 10, 1, 9, 0), tick=False):
        open_case(world)
    with time_machine.travel(sast(2026, 2, 5, 9, 0), tick=False):
        recent = open_case(world)
    with time_machine.travel(sast(2026, 3, 5, 9, 0), tick=False):
        assert [r["service_request_id"] for r in get(client, "requests.json")] == [
            recent.reference]


def test_updated_after_lists_what_changed_since(client, world):
    with time_machine.travel(sast(2026, 3, 2, 9, 0), tick=False):
        unchanged, changed = open_case(world), open_case(world)
    with time_machine.travel(sast(2026, 3, 3, 9, 0), tick=False):
        case_start(case=changed, actor=StaffFactory(office=world.office))
        records = get(client, "requests.json", updated_after="2026-03-02T12:00:00+02:00")
        assert [r["service_request_id"] for r in records] == [changed.reference]
        records = get(client, "requests.json", updated_before="2026-03-02T12:00:00+02:00")
        assert [r["service_request_id"] for r in records] == [unchanged.reference]


@time_machine.travel(MONDAY_10, tick=True)
def test_pages_are_newest_first_and_do_not_overlap(client, world):
    cases = [open_case(world) for _ in range(5)]
    newest_first = [c.reference for c in sorted(cases, key=lambda c: (c.opened_at, c.pk),
                                                 reverse=True)]

    pages = [[r["service_request_id"] for r in get(client, "requests.json", page=n, page_size=2)]
             for n in (1, 2, 3, 4)]

    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:], []]


@time_machine.travel(MONDAY_10, tick=False)
def test_extensions_add_channel_ward_duplicate_and_public_notes(client, world):
    incident = open_case(world)
    duplicate = open_case(world)
    supervisor = StaffFactory(office=world.office, role="supervisor")
    case_update_citizen(case=incident, actor=supervisor, message="A team is on its way.")
    case_merge(case=duplicate, into=incident, actor=supervisor)

    records = {r["service_request_id"]: r for r in get(client, "requests.json", extensions="true")}

    assert_valid(list(records.values()), "requests.json")
    merged = records[duplicate.reference]
    assert merged["duplicate_of"] == incident.reference
    assert merged["extended_status"] == "DUPLICATE" and merged["status"] == "closed"
    assert merged["channel"] == "web" and merged["ward_code"] == world.ward.code
    assert merged["tracking_url"].endswith(f"/track/{duplicate.reference}/")
    notes = records[incident.reference]["notes"]
    assert [n["kind"] for n in notes] == ["opened", "acknowledged", "public_update"]
    assert notes[2]["description"] == "A team is on its way."
    assert records[incident.reference]["status_notes"] == "A team is on its way."
    root = get(client, "requests.xml", extensions="true")
    assert root.find("request/notes/note/kind").text == "opened"


@time_machine.travel(MONDAY_10, tick=False)
def test_without_extensions_no_extra_fields_appear(client, world):
    open_case(world)

    assert "channel" not in get(client, "requests.json")[0]


@pytest.mark.parametrize("extensions", ["false", "true"])
def test_a_list_costs_the_same_queries_whatever_its_size(client, world, extensions):
    def queries(n_cases: int) -> int:
        for _ in range(n_cases - Case.objects.count()):
            open_case(world)
        client.get("/open311/v2/requests.json?extensions=" + extensions)  # warm the snapshot
        with CaptureQueriesContext(connection) as captured:
            assert len(client.get(f"/open311/v2/requests.json?extensions={extensions}").json()) == (
                n_cases)
        return len(captured)

    with time_machine.travel(MONDAY_10, tick=True):
        few, many = queries(2), queries(12)

    assert few == many <= (2 if extensions == "true" else 1)


@pytest.mark.parametrize(("params", "field"), [
    ({"start_date": "yesterday"}, "start_date"),
    ({"start_date": "2026-03-01T00:00:00"}, "start_date"),  # no time zone
    ({"status": "pending"}, "status"),
    ({"service_code": "no-such"}, "service_code"),
    ({"page": "0"}, "page"),
    ({"page_size": "5000"}, "page_size"),
    ({"extensions": "perhaps"}, "extensions"),
    ({"start_date": "2026-03-02T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"}, "start_date"),
])
def test_a_bad_filter_is_a_400_naming_it(client, world, params, field):
    response = client.get("/open311/v2/requests.json", params)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()] == [field]


def test_several_bad_filters_are_reported_together(client, world):
    response = client.get("/open311/v2/requests.xml", {"status": "x", "page": "-1",
                                                       "end_date": "soon"})

    assert response.status_code == 400
    root = xml_strict(response.content)
    assert sorted(e.findtext("field") for e in root) == ["end_date", "page", "status"]


@pytest.mark.parametrize("url", ["/open311/v2/services/%00.json", "/open311/v2/requests.json?status=%00",
                                 "/open311/v2/requests/AB%00.json", "/open311/v2/requests.json?%00=1"])
def test_a_nul_character_anywhere_is_a_400(client, world, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json()[0]["reason"] == "invalid_parameter"
