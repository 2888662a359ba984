"""`imbizo export-cases`: streamed CSV and XLSX with the import's columns."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from imbizo.cases.bulk_columns import COLUMNS, COMPUTED
from imbizo.cases.bulk_export import ExportFilter, cases_export_csv, text_masked
from imbizo.cases.bulk_import import cases_import
from imbizo.cases.models import Case
from imbizo.core.errors import DomainError
from tests.bulk.files import case_row, csv_bytes
from tests.factories import OfficeFactory, ServiceFactory, ServiceStandardFactory, WardFactory

NOW = datetime.datetime(2025, 6, 2, 8, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("frozen")

PERSONAL = {"citizen_name": "Thandi Mokoena", "citizen_phone": "+27821234567",
            "citizen_email": "thandi@example.org", "contact_consent": "yes",
            "address": "12 Jacaranda Street", "lat": "-26.1951234", "lon": "28.0051234"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def imported(rows) -> None:
    cases_import(file=io.BytesIO(csv_bytes(rows)))


def exported(*, personal_data=False, **filters) -> list[dict]:
    out = io.StringIO(newline="")
    cases_export_csv(out, filters=ExportFilter(**filters), personal_data=personal_data)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def export_text(**options) -> str:
    out = io.StringIO(newline="")
    cases_export_csv(out, filters=ExportFilter(), personal_data=True, **options)
    return out.getvalue()


def rich_rows(world) -> list[dict]:
    """Cases that use every column the import reads."""
    return [
        case_row(**PERSONAL, reference="4F7K-2M9E", kind="complaint", priority="high",
                 principles="courtesy;redress", status="closed",
                 acknowledged_at="2025-03-03T10:00:00+02:00",
                 started_at="2025-03-03T11:30:00.250000+02:00",
                 resolved_at="2025-03-05T11:00:00+02:00", closed_at="2025-03-06T09:00:00+02:00",
                 outcome="not_fixed", outcome_reason="No budget this year",
                 root_cause="Old pipe", redress="A credit on the bill"),
        case_row(status="waiting_third_party", waiting_since="2025-05-30T10:00:00+02:00",
                 description="Waiting for Eskom\nsecond line, \"quoted\"", office_code="depot",
                 anonymous="yes"),
        case_row(status="reopened", resolved_at="2025-03-04T10:00:00+02:00",
                 reopened_at="2025-05-29T09:00:00+02:00", client_type="internal",
                 channel="walk_in"),
    ]


def test_an_export_with_personal_data_reimports_to_the_same_cases(world):
    # Given cases imported from a file that uses every column
    imported(rich_rows(world))
    first = export_text()
    before = list(Case.objects.order_by("reference").values())

    # When they are exported, deleted and the export imported again
    Case.objects.all().delete()
    cases_import(file=io.BytesIO(first.encode()))

    # Then the cases are the same (but for their ids), and so is a second export
    after = list(Case.objects.order_by("reference").values())
    for row in before + after:
        row.pop("id"), row.pop("updated_at")
    assert after == before
    assert export_text() == first


def test_the_export_has_the_import_columns_then_the_computed_due_instants(world):
    imported([case_row()])

    header = export_text().splitlines()[0].split(",")

    assert header == list(COLUMNS + COMPUTED)


def test_without_personal_data_names_contacts_and_addresses_are_left_out(world):
    imported([case_row(**PERSONAL)])

    [row] = exported()

    assert (row["citizen_name"], row["citizen_phone"], row["citizen_email"], row["address"]) == (
        "", "", "", "")
    assert (row["lat"], row["lon"]) == ("-26.195", "28.005")
    assert row["ward_code"] == "W001"


def test_without_personal_data_contacts_written_in_the_description_are_masked(world):
    imported([case_row(description="Call me on 082 123 4567 or thandi@example.org, "
                                   "leak at the corner")])

    [row] = exported()

    assert row["description"] == "Call me on [phone] or [email], leak at the corner"


@pytest.mark.django_db  # numbers are read in the institution's country
def test_masking_leaves_ordinary_numbers_alone():
    assert text_masked("Meter 2024 shows 15 kl since 3 March") == (
        "Meter 2024 shows 15 kl since 3 March")


def test_an_export_without_personal_data_still_reimports(world):
    imported([case_row(**PERSONAL)])
    rows = exported()
    Case.objects.all().delete()

    imported(rows)

    case = Case.objects.get()
    assert (case.citizen_phone, case.ward, case.lat) == ("", world.ward, -26.195)


def test_cases_are_exported_oldest_first(world):
    imported([case_row(opened_at="2025-03-05T09:00:00+02:00"),
              case_row(opened_at="2025-03-03T09:00:00+02:00")])

    assert [r["opened_at"] for r in exported()] == ["2025-03-03T09:00:00+02:00",
                                                     "2025-03-05T09:00:00+02:00"]


# --- filters ---------------------------------------------------------------------------------


def test_the_date_range_takes_whole_days_in_the_institutions_time_zone(world):
    # 00:30 on 4 March in Johannesburg is still 3 March in UTC
    imported([case_row(opened_at=f"2025-03-0{d}T00:30:00+02:00") for d in (3, 4, 5, 6)])

    rows = exported(opened_from=datetime.date(2025, 3, 4), opened_until=datetime.date(2025, 3, 5))

    assert [r["opened_at"][:10] for r in rows] == ["2025-03-04", "2025-03-05"]


def test_filters_by_service_ward_office_and_status(world):
    other_ward = WardFactory(code="W002")
    other_office = OfficeFactory(code="clinic")
    other_service = ServiceFactory(code="pothole")
    ServiceStandardFactory(service=other_service)
    imported([case_row(), case_row(service_code="pothole"), case_row(ward_code="W002"),
              case_row(office_code="clinic"), case_row(status="acknowledged",
                                                       acknowledged_at="2025-03-03T10:00:00+02:00")])

    assert len(exported(services=("pothole",))) == 1
    assert len(exported(wards=(other_ward.code,))) == 1
    assert len(exported(offices=(other_office.code,))) == 1
    assert len(exported(statuses=("acknowledged",))) == 1
    assert len(exported(services=("water-leak",), statuses=("received",))) == 3


@pytest.mark.parametrize(("filters", "words"), [
    ({"services": ("nope",)}, "no service with the code 'nope'"),
    ({"wards": ("W999",)}, "no ward with the code 'W999'"),
    ({"statuses": ("done",)}, "'done' is not a status"),
    ({"opened_from": datetime.date(2025, 3, 5), "opened_until": datetime.date(2025, 3, 4)},
     "end date is before the start date"),
])
def test_a_filter_that_cannot_match_is_refused(world, filters, words):
    with pytest.raises(DomainError, match=words):
        exported(**filters)


# --- streaming ------------------------------------------------------------------------------


def _queries_for_export() -> int:
    with CaptureQueriesContext(connection) as queries:
        exported(services=("water-leak",), statuses=("received",))
    return len(queries)


def test_the_export_reads_all_its_rows_with_the_same_few_queries(world):
    # Given 3 cases, then 60 (more than one chunk of 25)
    from imbizo.cases import bulk_export

    bulk_export.CHUNK_SIZE, size = 25, bulk_export.CHUNK_SIZE
    try:
        imported([case_row() for _ in range(3)])
        few = _queries_for_export()
        imported([case_row() for _ in range(57)])
        many = _queries_for_export()
    finally:
        bulk_export.CHUNK_SIZE = size

    # Then the queries do not grow with the rows
    assert few == many
    assert many <= 8


# --- the command ----------------------------------------------------------------------------


def test_the_command_writes_csv_to_standard_output(world):
    imported([case_row(**PERSONAL)])
    out, err = io.StringIO(), io.StringIO()

    call_command("export_cases", stdout=out, stderr=err)

    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 1 and rows[0]["citizen_name"] == ""
    assert "Exported 1 cases to standard output, without personal data." in err.getvalue()


def test_the_command_says_when_an_export_carries_personal_data(world, tmp_path):
    imported([case_row(**PERSONAL)])
    err = io.StringIO()

    call_command("export_cases", "--with-personal-data", "-o", str(tmp_path / "c.csv"),
                 stderr=err)

    assert "This export contains personal data" in err.getvalue()
    assert "Thandi Mokoena" in (tmp_path / "c.csv").read_text()


def test_the_command_writes_an_xlsx_workbook(world, tmp_path):
    imported([case_row(), case_row(description="Second")])
    path = tmp_path / "cases.xlsx"

    call_command("export_cases", "--output", str(path), stderr=io.StringIO())

    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.values)
    assert list(rows[0]) == list(COLUMNS + COMPUTED)
    assert [r[COLUMNS.index("description")] for r in rows[1:]] == [
        "Water pouring out next to the meter.", "Second"]


def test_an_xlsx_export_needs_a_file(world):
    with pytest.raises(CommandError, match="needs --output"):
        call_command("export_cases", "--format", "xlsx", stderr=io.StringIO())
