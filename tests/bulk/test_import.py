"""`imbizo import-cases`: streamed, checked row by row, all or nothing."""

import datetime
import io
import tracemalloc

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from imbizo.cases import clocks
from imbizo.cases.bulk_import import ImportRejected, cases_import
from imbizo.cases.due_memo import due_direct
from imbizo.cases.models import Case, CaseEvent
from imbizo.cases.reference import reference_parse
from imbizo.cases.services import calendar, calendar_reset, promise_of
from imbizo.catalogue.models import PriorityTarget
from imbizo.notify.models import OutboxMessage
from imbizo.org.models import Institution
from tests.bulk.files import case_row, csv_bytes
from tests.factories import WardFactory, square

NOW = datetime.datetime(2025, 6, 2, 8, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def run(rows, **options):
    return cases_import(file=io.BytesIO(csv_bytes(rows)), **options)


def rejected(data: bytes, **options) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        cases_import(file=io.BytesIO(data), **options)
    return caught.value


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), OutboxMessage.objects.count()


CLOSED = {"status": "closed", "acknowledged_at": "2025-03-03T10:00:00+02:00",
          "resolved_at": "2025-03-05T11:00:00+02:00", "closed_at": "2025-03-06T09:00:00+02:00",
          "outcome": "fixed"}


# --- what an imported case is ---------------------------------------------------------------


def test_an_imported_case_keeps_its_status_and_timestamps(world):
    run([case_row(**CLOSED, root_cause="Old pipe")])

    case = Case.objects.get()
    assert case.status == "closed"
    assert case.outcome == "fixed"
    assert case.root_cause == "Old pipe"
    assert case.opened_at == datetime.datetime.fromisoformat("2025-03-03T09:15:00+02:00")
    assert case.closed_at == datetime.datetime.fromisoformat("2025-03-06T09:00:00+02:00")
    assert case.ward == world.ward
    assert case.office == world.office  # from the routing rules
    assert reference_parse(case.reference) == case.reference


def test_due_instants_are_those_of_the_standard_in_force_when_the_case_opened(world):
    run([case_row(**CLOSED)])

    case = Case.objects.get()
    opened = case.opened_at
    due = due_direct(calendar(), promise_of(world.standard), opened)
    assert case.standard == world.standard
    assert (case.ack_due_at, case.update_due_at, case.resolve_due_at, case.resolve_warn_at) == (
        due.ack_due_at, due.update_due_at, due.resolve_due_at, due.resolve_warn_at)


def test_a_closed_case_resolved_on_time_has_no_missed_deadline_and_no_clock_running(world):
    run([case_row(**CLOSED)])

    case = Case.objects.get()
    assert case.ack_breached_at is None
    assert case.resolve_breached_at is None
    assert case.next_check_at is None


def test_a_deadline_missed_before_the_import_is_recorded_as_missed_when_it_fell_due(world):
    late = {**CLOSED, "resolved_at": "2025-04-30T11:00:00+02:00",
            "closed_at": "2025-05-01T09:00:00+02:00"}
    run([case_row(**late)])

    case = Case.objects.get()
    assert case.resolve_breached_at == case.resolve_due_at
    assert case.escalation_level >= 1


def test_an_open_case_keeps_a_running_clock_for_what_lies_ahead(world):
    # Given a case opened on Friday 30 May, still in progress on Monday 2 June
    run([case_row(status="in_progress", opened_at="2025-05-30T09:00:00+02:00",
                  started_at="2025-05-30T11:00:00+02:00")])

    case = Case.objects.get()
    assert case.acknowledged_at is None  # acknowledging is a person's act, not implied by starting
    assert case.resolve_breached_at is None
    assert case.next_check_at is not None and case.next_check_at > NOW


def test_an_open_case_already_overdue_is_not_apologised_for_by_the_next_sweep(world):
    from imbizo.cases.sweep import clocks_sweep

    run([case_row(status="acknowledged", acknowledged_at="2025-03-03T10:00:00+02:00",
                  citizen_email="thandi@example.org", contact_consent="yes")])

    clocks_sweep(now=NOW)
    assert not OutboxMessage.objects.filter(template="case_overdue").exists()


def test_a_reopened_case_has_its_resolution_clock_restarted_when_it_was_reopened(world):
    run([case_row(status="reopened", resolved_at="2025-03-04T10:00:00+02:00",
                  reopened_at="2025-05-29T09:00:00+02:00")])

    case = Case.objects.get()
    again = due_direct(calendar(), promise_of(world.standard), case.reopened_at)
    assert case.resolve_due_at == again.resolve_due_at
    assert case.reopen_count == 1
    assert case.resolve_breached_at is None


def test_a_waiting_case_has_its_clock_paused_with_the_working_time_that_was_left(world):
    run([case_row(status="waiting_citizen", opened_at="2025-05-29T09:00:00+02:00",
                  waiting_since="2025-05-30T09:00:00+02:00")])

    case = Case.objects.get()
    due = due_direct(calendar(), promise_of(world.standard), case.opened_at)
    left = clocks.remaining_seconds(calendar(), case.waiting_since, due.resolve_due_at)
    assert (case.resolve_due_at, case.resolve_paused_seconds) == (None, left)
    assert case.acknowledged_at is None  # a wait does not acknowledge


def test_each_imported_case_gets_an_opening_event_and_no_message(world):
    run([case_row(citizen_email="thandi@example.org", contact_consent="yes", **CLOSED)])

    event = CaseEvent.objects.get()
    assert (event.kind, event.to_status, event.public) == ("opened", "received", True)
    assert event.at == Case.objects.get().opened_at
    assert event.details == {"channel": "hotline", "imported": True}
    assert not OutboxMessage.objects.exists()


def test_json_columns_keep_lists_and_objects_empty_or_not(world):
    # Written as text already dumped (binary COPY on PostgreSQL): values, not JSON strings
    run([case_row(principles="courtesy; access"), case_row(description="Second")])

    first, second = Case.objects.order_by("id")
    assert (first.principles, second.principles) == (["courtesy", "access"], [])
    assert (first.attributes, first.media_urls) == ({}, [])


def test_a_given_reference_is_kept_in_its_canonical_form(world):
    run([case_row(reference="4f7k 2m9e")])

    assert Case.objects.get().reference == "4F7K-2M9E"


def test_a_phone_number_is_stored_in_international_form(world):
    run([case_row(citizen_phone="082 123 4567", citizen_email="a@example.org",
                  contact_consent="yes")])

    case = Case.objects.get()
    assert case.citizen_phone == "+27821234567"
    assert case.contact_consent is True


def test_a_number_without_a_country_code_is_read_as_one_of_the_institutions_country(world):
    institution = Institution.objects.get()
    institution.country = "KE"
    institution.save()

    run([case_row(citizen_phone="0712 345 678", description="Kenyan"),
         case_row(citizen_phone="+27 82 123 4567", description="South African")])

    assert Case.objects.get(description="Kenyan").citizen_phone == "+254712345678"
    assert Case.objects.get(description="South African").citizen_phone == "+27821234567"


def test_an_anonymous_case_keeps_no_contact_details(world):
    run([case_row(anonymous="yes", citizen_name="Thandi", citizen_phone="0821234567")])

    case = Case.objects.get()
    assert (case.citizen_name, case.citizen_phone, case.contact_consent) == ("", "", False)


def test_the_ward_comes_from_the_point_when_no_ward_code_is_given(world):
    other = WardFactory(code="W777", boundary=square(30.0, -26.0))
    run([case_row(ward_code="", lat="-25.995", lon="30.005")])

    assert Case.objects.get().ward == other


# --- all or nothing --------------------------------------------------------------------------


def test_a_bad_row_in_the_middle_rejects_the_whole_file_and_writes_nothing(world):
    # Given 30 good rows, one bad in the middle, written in batches of 10
    rows = [case_row() for _ in range(30)]
    rows[17] = case_row(service_code="no-such-service")
    before = counts()

    error = rejected(csv_bytes(rows), batch_size=10)

    assert counts() == before
    assert [(e.row, e.column) for e in error.errors] == [(19, "service_code")]


def test_the_error_names_the_row_and_column_and_says_what_is_wrong(world):
    error = rejected(csv_bytes([case_row(), case_row(opened_at="2025-03-03 09:15")]))

    assert str(error.errors[0]) == (
        "row 3, column opened_at: '2025-03-03 09:15' is not a date and time with its UTC "
        "offset, such as 2025-03-01T14:30:00+02:00. It has no UTC offset.")


def test_several_errors_are_reported_at_once_up_to_the_limit(world):
    rows = [case_row(channel="pigeon") for _ in range(8)]

    error = rejected(csv_bytes(rows), max_errors=5)

    assert [e.row for e in error.errors] == [2, 3, 4, 5, 6]
    assert error.stopped_early


def test_one_row_with_several_problems_reports_each(world):
    error = rejected(csv_bytes([case_row(channel="pigeon", citizen_email="not-an-address",
                                         status="closed")]))

    assert {e.column for e in error.errors} == {"channel", "citizen_email", "closed_at", "outcome"}


@pytest.mark.parametrize(("changes", "column", "words"), [
    ({"service_code": "nope"}, "service_code", "no service with the code 'nope'"),
    ({"status": "done"}, "status", "'done' is not one of"),
    ({"description": "x" * 4001}, "description", "4001 characters long; the limit is 4000"),
    ({"ward_code": "W999"}, "ward_code", "no ward with the code 'W999'"),
    ({"office_code": "nowhere"}, "office_code", "no office with the code 'nowhere'"),
    ({"citizen_phone": "12345"}, "citizen_phone", "not a valid phone number"),
    ({"opened_at": "2025-07-01T09:00:00+02:00"}, "opened_at", "in the future"),
    ({"status": "resolved", "resolved_at": "2025-03-04T10:00:00+02:00"}, "outcome",
     "needs an outcome"),
    ({"status": "closed", "outcome": "fixed"}, "closed_at", "needs closed_at"),
    ({"acknowledged_at": "2025-03-01T09:00:00+02:00", "status": "acknowledged"},
     "acknowledged_at", "before the case opened"),
    ({"outcome": "fixed"}, "outcome", "has no outcome yet"),
    ({"reference": "4F7K-2M9X"}, "reference", "not a valid reference"),
    ({"lat": "-26.1"}, "lon", "both a latitude and a longitude"),
    ({"ward_code": "", "lat": "10", "lon": "10"}, "lat", "outside every ward"),
    ({"contact_consent": "perhaps"}, "contact_consent", "not yes or no"),
    ({"attributes": "[1]"}, "attributes", "JSON object"),
])
def test_a_bad_value_is_named_with_its_column(world, changes, column, words):
    error = rejected(csv_bytes([case_row(**changes)]))

    assert [e.column for e in error.errors] == [column]
    assert words in error.errors[0].message


def test_a_rejected_phone_number_is_not_repeated_in_the_error(world):
    error = rejected(csv_bytes([case_row(citizen_phone="+27 99 999")]))

    assert "999" not in str(error.errors[0])


def test_a_reference_already_in_the_database_is_refused(world):
    run([case_row(reference="4F7K-2M9E")])

    error = rejected(csv_bytes([case_row(reference="4F7K-2M9E")]))

    assert (error.errors[0].column, Case.objects.count()) == ("reference", 1)


def test_a_reference_given_twice_in_one_file_is_refused_even_across_batches(world):
    rows = [case_row(reference="4F7K-2M9E")] + [case_row() for _ in range(4)] + [
        case_row(reference="4F7K-2M9E")]

    error = rejected(csv_bytes(rows), batch_size=2)

    assert [(e.row, e.column) for e in error.errors] == [(7, "reference")]


def test_a_dry_run_checks_everything_and_writes_nothing(world):
    summary = run([case_row(), case_row()], dry_run=True)

    assert (summary.cases, Case.objects.count()) == (2, 0)


# --- the file itself ------------------------------------------------------------------------


def test_utf8_with_a_byte_order_mark_imports(world):
    data = csv_bytes([case_row(description="Lekkage by die meter, dringend — asseblief")],
                     bom=True)

    cases_import(file=io.BytesIO(data))

    assert Case.objects.get().description == "Lekkage by die meter, dringend — asseblief"


def test_a_file_in_another_encoding_is_refused_with_a_hint_unless_named(world):
    data = csv_bytes([case_row(description="Café closed, water everywhere")], encoding="cp1252")

    error = rejected(data)
    assert "not utf-8-sig text" in str(error.errors[0])
    cases_import(file=io.BytesIO(data), encoding="cp1252")
    assert Case.objects.get().description == "Café closed, water everywhere"


def test_quoted_newlines_stay_in_the_text_and_do_not_shift_row_numbers(world):
    rows = [case_row(description="First line\nsecond line, \"quoted\""), case_row(channel="x")]

    error = rejected(csv_bytes(rows))

    assert error.errors[0].row == 3
    rows.pop()
    run(rows)
    assert Case.objects.get().description == 'First line\nsecond line, "quoted"'


def test_an_empty_file_is_refused(world):
    error = rejected(b"")

    assert "The file is empty" in error.message or "The file is empty" in str(error.errors[0])


def test_a_header_without_rows_imports_nothing(world):
    assert run([]).cases == 0


def test_a_header_missing_a_required_column_is_refused_naming_it(world):
    data = csv_bytes([case_row()], columns=["service_code", "channel", "status", "opened_at",
                                            "ward_code"])

    error = rejected(data)

    assert str(error.errors[0]) == "row 1: the header lacks the required column description."


def test_an_unknown_column_is_refused_with_a_suggestion(world):
    data = csv_bytes([{**case_row(), "citizen_phon": ""}],
                     columns=["service_code", "channel", "status", "description", "opened_at",
                              "ward_code", "citizen_phon"])

    error = rejected(data)

    assert error.errors[0].column == "citizen_phon"
    assert "Did you mean 'citizen_phone'?" in error.errors[0].message


def test_a_row_with_a_missing_cell_is_refused(world):
    data = csv_bytes([case_row()]) + b"water-leak,hotline\r\n"

    error = rejected(data)

    assert error.errors[0].row == 3
    assert "cells" in error.errors[0].message


def test_a_stray_quote_is_reported_at_its_row(world):
    data = csv_bytes([case_row()], columns=["service_code", "channel", "status", "description",
                                            "opened_at", "ward_code"])
    data += b'water-leak,hotline,received,"Broken "pipe,2025-03-03T09:15:00+02:00,W001\r\n'

    error = rejected(data)

    assert error.errors[0].row == 3
    assert Case.objects.count() == 0


# --- queries ------------------------------------------------------------------------------


def _queries_to_import(rows: int, ward) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Case.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        run([case_row(ward_code="", lat=str(ward.centroid_lat),
                      lon=str(ward.centroid_lon + n % 3 * 0.0001)) for n in range(rows)],
            batch_size=10)
    return len(queries)


def test_each_batch_costs_the_same_few_queries_whatever_its_rows_need(world):
    # Given imports of one batch and of three (points to place, offices to route), after one
    # that loads what is loaded once per process
    _queries_to_import(10, world.ward)
    one, three = _queries_to_import(10, world.ward), _queries_to_import(30, world.ward)

    # Then each further batch costs the same few queries (ids, references, the writes)
    per_batch = (three - one) / 2
    assert per_batch == int(per_batch) and per_batch <= 4


# --- memory ---------------------------------------------------------------------------------


def _peak_bytes(rows: int, world) -> int:
    # A hundred callers (the import remembers a few thousand numbers it has checked).
    data = csv_bytes([case_row(citizen_phone=f"+2782{n % 100:07d}", description=f"Leak {n}")
                      for n in range(rows)])
    Case.objects.all().delete()
    tracemalloc.start()
    try:
        cases_import(file=io.BytesIO(data), batch_size=100)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_file_grows(world):
    # Given files of 300 and 3,000 rows, read in batches of 100, after a first import that
    # loads what is loaded once (the file's own bytes are not counted: they are made before
    # tracing starts)
    _peak_bytes(100, world)
    small = _peak_bytes(300, world)
    large = _peak_bytes(3_000, world)

    # Then ten times the rows needs no more memory
    assert large < small * 1.25


# --- the command ----------------------------------------------------------------------------


def test_the_command_imports_a_file_and_says_how_many(world, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes([case_row(), case_row()]))
    out = io.StringIO()

    call_command("import_cases", str(path), stdout=out)

    assert "Imported 2 cases." in out.getvalue()


def test_the_command_lists_the_errors_and_fails(world, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes([case_row(), case_row(channel="pigeon")]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing was imported: 1 row has errors."):
        call_command("import_cases", str(path), stderr=err)
    assert "row 3, column channel: 'pigeon' is not one of" in err.getvalue()


# --- the documented example ------------------------------------------------------------------


def test_the_example_file_in_the_docs_imports_into_the_demo_municipality(db, settings):
    from pathlib import Path

    from imbizo.demo.municipality import demo_build

    demo_build(seed=2026)
    example = Path(settings.BASE_DIR) / "docs" / "examples" / "cases.csv"

    with example.open("rb") as file:
        summary = cases_import(file=file)

    assert summary.cases == 8
    pothole = Case.objects.get(service__code="pothole")
    assert pothole.attributes == {"size": "large", "lanes": "yes"}
    assert Case.objects.get(reference="K7M3-Q9A3").citizen_phone == "+27825550142"
    assert Case.objects.get(service__code="power-outage").ward is not None


def test_an_urgent_imported_case_gets_the_standards_urgent_targets(world):
    PriorityTarget.objects.create(standard=world.standard, priority="urgent", ack_amount=1,
                                  ack_unit="calendar_hours", resolve_amount=12,
                                  resolve_unit="calendar_hours")
    calendar_reset()

    run([case_row(priority="urgent", status="received",
                  opened_at="2025-06-01T01:00:00+02:00")])

    case = Case.objects.get()
    opened = case.opened_at
    assert case.ack_due_at == opened + datetime.timedelta(hours=1)
    assert case.resolve_due_at == opened + datetime.timedelta(hours=12)
