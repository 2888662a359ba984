import datetime

import pytest
import time_machine
from django.db import connection, transaction

from imbizo.cases.models import Case, CaseEvent, EventKind
from imbizo.cases.transitions import Status
from imbizo.core.bulk import _insert_params, _insert_shape, bulk_insert, bulk_update_columns
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
