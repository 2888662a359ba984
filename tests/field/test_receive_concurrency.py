"""Exactly once under load: the same record sent by several connections at
once is stored once, and the figures count it once (SQLite and PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from imbizo.field.models import FieldRecord, FieldRecordRevision, FieldVisitDaily
from imbizo.field.rollups import field_rollups_rebuild
from imbizo.field.services import household_survey_ensure, record_receive
from tests.field.factories import household, ward_at

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_instance_sent_at_once_by_eight_connections_is_one_record():
    household_survey_ensure()
    ward_at("W1", 28.0)
    start = threading.Barrier(8)

    def send(n):
        try:
            start.wait()
            return record_receive(form_code="household-needs", form_version="1",
                                  instance_id=f"uuid:same-{n % 2}", answers=household())
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        receipts = list(pool.map(send, range(8)))

    statuses = sorted(r.status for r in receipts)
    assert statuses == ["created"] * 2 + ["repeat"] * 6
    assert FieldRecord.objects.count() == 2
    assert FieldRecordRevision.objects.count() == 2
    assert sum(FieldVisitDaily.objects.values_list("households", flat=True)) == 2
    assert {r.receipt for r in receipts if r.instance_id == "uuid:same-0"} == {
        next(r.receipt for r in receipts if r.status == "created" and r.instance_id == "uuid:same-0")}


def test_many_records_from_many_connections_count_as_a_rebuild_would():
    household_survey_ensure()
    ward_at("W1", 28.0)
    ward_at("W2", 28.01)

    def send(n):
        try:
            lon = 28.005 if n % 2 else 28.015
            return record_receive(form_code="household-needs", form_version="1",
                                  instance_id=f"uuid:{n % 30}",
                                  answers=household(location=f"-26.195 {lon}",
                                                    needs="water" if n % 3 else "housing"))
        finally:
            connection.close()

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(send, range(60)))

    incremental = sorted(FieldVisitDaily.objects.values_list("ward__code", "households"))
    field_rollups_rebuild()
    assert sorted(FieldVisitDaily.objects.values_list("ward__code", "households")) == incremental
    assert sum(n for _code, n in incremental) == FieldRecord.objects.count() == 30
