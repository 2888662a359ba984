"""A large file checked in worker processes (PostgreSQL) imports the same cases, and
rejects a bad file with the same errors, as checking in process."""

import datetime
import io
import os

import pytest
import time_machine
from django.db import connection

from imbizo.cases.bulk_import import ImportRejected, cases_import
from imbizo.cases.bulk_import import check as check_module
from imbizo.cases.models import Case, CaseEvent
from tests.bulk.files import case_row, csv_bytes

NOW = datetime.datetime(2025, 6, 2, 8, 0, tzinfo=datetime.UTC)
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="workers are used on PostgreSQL only (binary COPY, forked checking)"),
    # Workers read what they need through connections of their own: committed data.
    pytest.mark.django_db(transaction=True),
]

CLOSED = {"status": "closed", "acknowledged_at": "2025-03-03T10:00:00+02:00",
          "resolved_at": "2025-03-05T11:00:00+02:00", "closed_at": "2025-03-06T09:00:00+02:00",
          "outcome": "fixed"}
FIELDS = [f.attname for f in Case._meta.concrete_fields
          if f.attname not in ("id", "reference", "created_at", "updated_at")]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def rows(count: int) -> list[dict]:
    """Open and closed cases, some anonymous, some with high priority."""
    made = []
    for n in range(count):
        changes = dict(CLOSED) if n % 3 else {"status": "in_progress",
                                                "acknowledged_at": "2025-03-03T10:00:00+02:00",
                                                "started_at": "2025-03-04T10:00:00+02:00"}
        changes.update(citizen_name=f"Resident {n}", citizen_phone="082 123 4567",
                       anonymous="yes" if n % 7 == 0 else "no", priority="high" if n % 5 else "")
        made.append(case_row(**changes))
    return made


def imported(data: bytes, **options) -> list[tuple]:
    # Batches of 1,000 rows: results larger than a pipe's buffer, several per worker.
    cases_import(file=io.BytesIO(data), batch_size=1000, **options)
    return list(Case.objects.order_by("id").values_list(*FIELDS))


def test_workers_write_the_cases_and_events_checking_in_process_writes(world):
    data = csv_bytes(rows(3000))
    in_process = imported(data, workers=0)
    Case.objects.all().delete()

    in_workers = imported(data, workers=2)

    assert in_workers == in_process
    assert CaseEvent.objects.count() == 3000
    assert CaseEvent.objects.filter(kind="opened", public=True).count() == 3000
    assert len(set(Case.objects.values_list("reference", flat=True))) == 3000


@pytest.fixture
def taken_first(world, monkeypatch) -> str:
    """The reference of a case already imported, which every process (the importing one
    and each worker) then draws first for a new case."""
    cases_import(file=io.BytesIO(csv_bytes([case_row(reference="4F7K-2M9E")])), workers=0)
    taken = Case.objects.get().reference
    real = check_module.reference_new
    first_drawn: set[int] = set()

    def drawn(rng):
        if os.getpid() not in first_drawn:
            first_drawn.add(os.getpid())
            return taken
        return real(rng)

    monkeypatch.setattr(check_module, "reference_new", drawn)
    return taken


def errors_of(data: bytes, **options) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        cases_import(file=io.BytesIO(data), batch_size=25, **options)
    return [str(e) for e in caught.value.errors]


def test_workers_reject_a_bad_file_with_the_same_errors_in_the_same_order(world):
    file = rows(120)
    file[3]["status"] = "lost"
    file[30]["reference"] = file[31]["reference"] = "4F7K-2M9E"  # the same batch
    file[60]["reference"] = "4F7K-2M9E"  # a later batch
    file[61].update(ward_code="", lat="-80", lon="10")  # outside every ward
    file[99]["opened_at"] = "yesterday"
    data = csv_bytes(file)

    expected = errors_of(data, workers=0)
    assert errors_of(data, workers=2) == expected
    assert len(expected) == 4
    assert errors_of(data, workers=2, max_errors=2) == errors_of(data, workers=0, max_errors=2)
    assert Case.objects.count() == 0


def test_workers_name_bytes_that_are_not_text_late_in_the_file_as_in_process(world):
    # Given a file that stops being UTF-8 in row 90 (with workers, batches are read while
    # the one before is written)
    file = rows(120)
    file[88]["description"] = "Burst pipe NOT-TEXT here"
    data = csv_bytes(file).replace(b"NOT-TEXT", b"\xff\xfe")

    expected = errors_of(data, workers=0)

    assert errors_of(data, workers=2) == expected
    assert len(expected) == 1 and "is not utf-8-sig text around byte" in expected[0]
    assert Case.objects.count() == 0


def test_a_drawn_reference_another_case_has_is_drawn_again(taken_first):
    # Given a case that holds the reference every process draws first (taken_first)
    cases_import(file=io.BytesIO(csv_bytes(rows(60))), batch_size=25, workers=2)

    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 61


def test_a_reference_drawn_again_is_replaced_at_the_end_of_its_row_only(taken_first):
    # Given a case holding the reference every process draws first (taken_first), and a
    # file whose names and redress hold that same text (redress is followed by a NULL,
    # whose bytes begin as the end of COPY data does)
    taken = taken_first
    file = rows(60)
    for row in file:
        row["citizen_name"] = row["redress"] = taken

    cases_import(file=io.BytesIO(csv_bytes(file)), batch_size=25, workers=2)

    named = sum(1 for row in file if row["anonymous"] == "no")
    assert Case.objects.filter(citizen_name=taken).count() == named
    assert Case.objects.filter(redress=taken).count() == 60
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 61


def test_workers_check_at_a_lower_priority_than_the_importing_process(world, monkeypatch):
    from imbizo.cases.bulk_import import workers as workers_module

    importing = os.getpriority(os.PRIO_PROCESS, 0)
    real = workers_module._check

    def check_where_lower(*args):
        assert os.getpriority(os.PRIO_PROCESS, 0) == min(
            importing + workers_module.WORKER_NICENESS, 19)
        return real(*args)

    monkeypatch.setattr(workers_module, "_check", check_where_lower)

    cases_import(file=io.BytesIO(csv_bytes(rows(60))), batch_size=25, workers=2)

    assert Case.objects.count() == 60


def test_only_the_value_that_ends_a_row_is_replaced_the_last_row_too(world):
    from imbizo.core.bulk import BinaryRows

    rows = BinaryRows(Case, now=NOW, with_pk=True, last=("reference",))
    # redress comes before the last columns, and a NULL follows it
    data = rows.formatted([{"id": 1, "reference": "AAAA-AAAA", "redress": "BBBB-BBBB"},
                           {"id": 2, "reference": "BBBB-BBBB", "redress": "AAAA-AAAA"}])

    last = rows.last_replaced(data, "BBBB-BBBB", "CCCC-CCCC")
    first = rows.last_replaced(data, "AAAA-AAAA", "DDDD-DDDD")

    assert last[:-11] == data[:-11] and bytes(last[-11:]) == b"CCCC-CCCC\xff\xff"
    assert first.count(b"DDDD-DDDD") == 1 and first.count(b"AAAA-AAAA") == 1
    assert first.index(b"DDDD-DDDD") < first.index(b"AAAA-AAAA")  # row 1's, not row 2's
    with pytest.raises(ValueError):
        rows.last_replaced(data, "EEEE-EEEE", "FFFF-FFFF")
