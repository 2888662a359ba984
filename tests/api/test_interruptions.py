"""REST API: service interruptions (list, read, record, update, restore), webhooks."""

import json
from datetime import timedelta

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.integrations.models import ApiKey
from imbizo.integrations.services import webhook_subscribe
from imbizo.notify.models import OutboxMessage
from imbizo.outreach.interruption_models import Interruption, InterruptionCase
from tests.api.conftest import Api, key_for
from tests.factories import WardFactory, square
from tests.support import inside, sast

pytestmark = pytest.mark.django_db

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def body(world, **changes) -> dict:
    fields = {"service_code": "water-leak", "wards": [world.ward.code], "kind": "unplanned",
              "title": "Burst main", "public_text": "No water until the main is fixed.",
              "starts_at": "2026-03-02T09:00:00+02:00",
              "expected_restoration_at": "2026-03-02T18:00:00+02:00"}
    fields.update(changes)
    return fields


@time_machine.travel(MONDAY_10, tick=False)
def test_a_write_key_records_an_interruption_that_is_then_listed(world, writer, reader):
    response = writer.post("interruptions", body(world))

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "in_progress"
    assert created["wards"] == [world.ward.code]
    assert created["updates"][0]["change"] == "started"
    listed = reader.get("interruptions", {"status": "in_progress"}).json()["items"]
    assert [i["id"] for i in listed] == [created["id"]]
    assert reader.get(f"interruptions/{created['id']}").json()["title"] == "Burst main"


@time_machine.travel(MONDAY_10, tick=False)
def test_bad_input_lists_every_problem_in_the_error_shape(world, writer):
    response = writer.post("interruptions", body(
        world, wards=[], expected_restoration_at="2026-03-02T08:00:00+02:00", title=" "))

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"wards", "expected_restoration_at", "title"}
    assert not Interruption.objects.exists()


@time_machine.travel(MONDAY_10, tick=False)
def test_an_unknown_ward_is_named(world, writer):
    response = writer.post("interruptions", body(world, wards=["NOPE"]))

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["code"], error["field"]) == ("unknown_ward", "wards")


@time_machine.travel(MONDAY_10, tick=False)
def test_an_area_drawn_on_the_map_stores_the_wards_it_touches(world, writer):
    far = WardFactory(code="W900", boundary=square(30.0, -20.0))
    lon, lat = world.ward.boundary["coordinates"][0][0]
    area = square(lon + 0.002, lat + 0.002, 0.004)  # inside the world's ward only

    response = writer.post("interruptions", body(world, wards=[], area=area))

    assert response.status_code == 201, response.content
    assert response.json()["wards"] == [world.ward.code]
    assert far.code not in response.json()["wards"]


@time_machine.travel(MONDAY_10, tick=False)
def test_a_repeated_create_with_the_same_idempotency_key_returns_the_first(world, writer):
    first = writer.post("interruptions", body(world, idempotency_key="cut-1")).json()
    again = writer.post("interruptions", body(world, idempotency_key="cut-1", title="Other"))

    assert again.status_code == 201
    assert again.json()["id"] == first["id"]
    assert again.json()["title"] == "Burst main"
    assert Interruption.objects.count() == 1


def test_a_read_key_cannot_record(world, reader):
    assert reader.post("interruptions", body(world)).status_code == 403


def test_a_department_key_cannot_record_another_departments_service(world, client,
                                                                    other_department):
    outsider = Api(client, key_for("read,write", department=other_department))

    response = outsider.post("interruptions", body(world))

    assert response.status_code == 403
    assert not Interruption.objects.exists()


def test_update_and_restore_resolve_the_linked_reports(world, writer):
    with time_machine.travel(MONDAY_10, tick=False):
        created = writer.post("interruptions", body(world)).json()
        case = case_open(draft=CaseDraft(service_code="water-leak", description="No water",
                                         channel="web", **inside(world.ward)))
        updated = writer.post(f"interruptions/{created['id']}/updates", {
            "text": "Crews on site.", "expected_restoration_at": "2026-03-02T20:00:00+02:00"})
        assert updated.status_code == 200, updated.content
    assert Case.objects.get(pk=case.pk).resolve_due_at == sast(2026, 3, 2, 20, 0)
    with time_machine.travel(MONDAY_10 + timedelta(hours=4), tick=False):
        restored = writer.post(f"interruptions/{created['id']}/restore",
                               {"text": "Water is back."})
        again = writer.post(f"interruptions/{created['id']}/restore", {})

    assert restored.status_code == 200
    assert restored.json()["status"] == "restored"
    assert [u["change"] for u in restored.json()["updates"]] == [
        "started", "updated", "restored"]
    assert Case.objects.get(pk=case.pk).status == "resolved"
    assert InterruptionCase.objects.filter(case=case).exists()
    assert again.status_code == 409


def test_a_restoration_before_the_start_is_refused_naming_the_field(world, writer):
    with time_machine.travel(MONDAY_10, tick=False):
        created = writer.post("interruptions", body(world)).json()
        response = writer.post(f"interruptions/{created['id']}/restore",
                               {"restored_at": "2026-03-02T08:00:00+02:00"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "restored_at"


def test_an_unknown_interruption_is_404(world, reader):
    response = reader.get("interruptions/999")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@time_machine.travel(MONDAY_10, tick=False)
def test_webhooks_leave_through_the_outbox_for_each_change(world, writer):
    key = ApiKey.objects.get(name__startswith="key read,write")
    webhook_subscribe(key=key, url="https://example.org/hook",
                      events=["interruption.created", "interruption.restored"])

    created = writer.post("interruptions", body(world)).json()
    writer.post(f"interruptions/{created['id']}/restore", {})

    sent = OutboxMessage.objects.filter(channel="webhook").order_by("pk")
    assert [m.template for m in sent] == ["interruption.created", "interruption.restored"]
    document = json.loads(sent[0].body)
    assert document["interruption"]["wards"] == [world.ward.code]
    assert document["interruption"]["status"] == "in_progress"


def test_listing_is_a_fixed_number_of_queries(world, writer, reader,
                                              django_assert_max_num_queries):
    with time_machine.travel(MONDAY_10, tick=False):
        for n in range(5):
            writer.post("interruptions", body(world, title=f"Cut {n}"))
    with django_assert_max_num_queries(8):
        response = reader.get("interruptions")
    assert len(response.json()["items"]) == 5
