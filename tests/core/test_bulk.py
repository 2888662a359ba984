import datetime

import pytest
import time_machine
from django.db import connection, transaction

from imbizo.cases.models import Case, CaseEvent, EventKind
from imbizo.cases.transitions import Status
from imbizo.core.bulk import (
    BinaryRows,
    JsonText,
    _insert_params,
    _insert_shape,
    bulk_insert,
    bulk_update_columns,
    copy_send,
    rows_copy,
)
from tests.factories import ServiceFactory, WardFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def rows(service, ward, n):
    for i in range(n):
        yield {"reference": f"AAAA-{i:04d}", "channel": "web", "service": service,
               "ward_id": ward.pk, "description": f"case {i}", "opened_at": NOW,
               "attributes": {"size": i}, "principles": ["access"]}


def test_inserted_rows_read_back_with_defaults_filled_in():
    service, ward = ServiceFactory(), WardFactory()

    with transaction.atomic():
        count = bulk_insert(Case, rows(service, ward, 25), now=NOW, batch_size=10)

    assert count == 25
    case = Case.objects.get(reference="AAAA-0007")
    assert (case.service, case.ward, case.attributes, case.principles) == (
        service, ward, {"size": 7}, ["access"])
    assert (case.status, case.kind, case.citizen_name, case.escalation_level) == (
        "received", "request", "", 0)
    assert case.updated_at == NOW


def test_bulk_update_writes_each_row_its_own_values_and_nulls():
    service, ward = ServiceFactory(), WardFactory()
    bulk_insert(Case, rows(service, ward, 5), now=NOW)
    cases = list(Case.objects.order_by("reference"))
    for i, case in enumerate(cases):
        case.escalation_level = i
        case.next_check_at = None if i % 2 else NOW + datetime.timedelta(hours=i)

    bulk_update_columns(Case, cases, ["escalation_level", "next_check_at"])

    stored = list(Case.objects.order_by("reference").values_list("escalation_level",
                                                                  "next_check_at"))
    assert stored == [(0, NOW), (1, None), (2, NOW + datetime.timedelta(hours=2)), (3, None),
                      (4, NOW + datetime.timedelta(hours=4))]


def test_json_details_of_events_survive_the_round_trip():
    service, ward = ServiceFactory(), WardFactory()
    bulk_insert(Case, rows(service, ward, 1), now=NOW)
    case = Case.objects.get()

    bulk_insert(CaseEvent, [{"case_id": case.pk, "kind": "breached", "at": NOW,
                             "details": {"level": 2, "due": "x"}}])

    assert CaseEvent.objects.get().details == {"level": 2, "due": "x"}


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the one-statement insert is PostgreSQL's")
def test_the_one_statement_insert_sends_what_djangos_preparation_gives():
    """Values sent as they are (plain columns) equal Django's own preparation;
    enum members, JSON and auto_now columns still go through Django."""
    service, ward = ServiceFactory(), WardFactory()
    case = Case(reference="AAAA-0001", channel="web", service=service, ward_id=ward.pk,
                description="A leak.", opened_at=NOW, lat=-26.2, lon=28.1, status=Status.RECEIVED,
                attributes={"size": 2}, kept_private=True, reopen_count=0, assignee=None)
    event = CaseEvent(kind=EventKind.OPENED, at=NOW, public=True, details={"channel": "web"})
    sql, columns_of = _insert_shape(Case, (CaseEvent,), "case_id")

    with time_machine.travel(NOW, tick=False):  # updated_at: auto_now
        sent = _insert_params((case, event), columns_of)

        expected = [c.field.get_db_prep_save(c.field.pre_save(obj, add=True), connection)
                    for obj, columns in zip((case, event), columns_of, strict=True)
                    for c in columns]
    assert [repr(v) for v in sent] == [repr(v) for v in expected]
    assert sent.count(NOW) >= 3  # opened_at, updated_at and the event's at
    assert sql.count("%s") == len(sent)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="binary COPY is PostgreSQL's")
def test_binary_rows_fill_a_row_as_rows_copy_does():
    # Given rows that leave columns to their defaults, with JSON as objects, lists, empty
    # and already written out
    service, ward = ServiceFactory(), WardFactory()
    answers = [{}, {"size": 3}, JsonText('{"size": 4}')]

    def row(n: int, case_id: int) -> dict:
        return {"id": case_id, "reference": f"AAAA-{case_id:04d}", "channel": "web",
                "service_id": service.pk, "ward_id": ward.pk, "description": f"case {n}",
                "opened_at": NOW, "attributes": answers[n % 3],
                "principles": [[], ["access"]][n % 2]}

    # When the same rows go once through rows_copy and once through BinaryRows
    with transaction.atomic():
        rows_copy(Case, [row(n, 1 + n) for n in range(6)], now=NOW, with_pk=True)
        binary = BinaryRows(Case, now=NOW, with_pk=True, last=("reference",))
        copy_send(binary.sql, binary.formatted(row(n, 11 + n) for n in range(6)))

    # Then both wrote the same values, defaults and JSON included
    fields = [f.attname for f in Case._meta.concrete_fields
              if f.attname not in ("id", "reference")]
    by_rows_copy = list(Case.objects.filter(id__lt=10).order_by("id").values_list(*fields))
    by_binary = list(Case.objects.filter(id__gt=10).order_by("id").values_list(*fields))
    assert by_binary == by_rows_copy
    assert [(c.attributes, c.principles, c.status, c.updated_at)
            for c in Case.objects.filter(id__gt=10).order_by("id")[:3]] == [
        ({}, [], "received", NOW), ({"size": 3}, ["access"], "received", NOW),
        ({"size": 4}, [], "received", NOW)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="binary COPY is PostgreSQL's")
def test_copy_send_runs_the_callers_work_once_while_the_copy_is_open():
    service, ward = ServiceFactory(), WardFactory()
    binary = BinaryRows(Case, now=NOW, with_pk=True, last=("reference",))
    data = binary.formatted([{"id": 1, "reference": "AAAA-0001", "channel": "web",
                              "service_id": service.pk, "ward_id": ward.pk,
                              "description": "leak", "opened_at": NOW}])
    seen = []

    with transaction.atomic():
        copy_send(binary.sql, data,
                  meanwhile=lambda: seen.append(connection.connection.info.transaction_status))

    # ACTIVE: the COPY had not ended yet
    assert [status.name for status in seen] == ["ACTIVE"]
    assert Case.objects.get().reference == "AAAA-0001"
