"""Monthly partitions on PostgreSQL (ADR 0045): case events and the access log
are partitioned by month, months are made ahead, a row never fails for want
of a month, and retention drops whole months only where it may."""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from imbizo.cases.models import CaseEvent
from imbizo.core.periodic import periodic_tasks
from imbizo.ops.partitions import (
    month_create,
    months_drop_before,
    months_ensure,
    table_partition_by_month,
)
from imbizo.privacy.models import PersonalDataAccess
from imbizo.privacy.services import access_record, retention_sweep
from tests.factories import StaffFactory
from tests.trust.conftest import open_case

EVENTS, ACCESS = "cases_caseevent", "privacy_personaldataaccess"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="partitioning is PostgreSQL's; SQLite keeps plain tables")


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def partitions_of(table: str) -> dict[str, str]:
    """Each partition of `table` and its bounds."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass""", [table])
        return dict(cursor.fetchall())


def partition_holding(model, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {model._meta.db_table}"  # noqa: S608
                       " WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def event_at(case, at: datetime.datetime) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind="note", at=at, note="checked the meter")


@pytest.fixture
def case(world):
    return open_case("water-leak", world.ward, "Leak at number 4")


def test_the_worker_makes_months_ahead_every_hour():
    import imbizo.ops.tasks  # noqa: F401  (the worker autodiscovers tasks modules)

    assert periodic_tasks()["imbizo.ops.tasks.partitions_ensure_task"].every_seconds == 3600


@pytest.mark.django_db
def test_on_a_database_without_partitions_the_worker_and_retention_do_nothing():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's behaviour: PostgreSQL has the partitions")
    assert months_ensure() == {}
    assert months_drop_before(table=ACCESS, cutoff=utc(2030, 1, 1)) == 0


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("table", [EVENTS, ACCESS])
def test_after_migrate_the_table_is_partitioned_with_a_default(table):
    partitions = partitions_of(table)

    assert partitions[f"{table}_default"] == "DEFAULT"
    this_month = datetime.datetime.now(UTC)
    assert f"{table}_p{this_month:%Y%m}" in partitions
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                       " WHERE conrelid = %s::regclass AND contype = 'p'", [table])
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, at)"


@postgres_only
@pytest.mark.django_db
def test_events_of_different_months_land_in_their_own_months(case):
    months_ensure(now=utc(2025, 1, 10), ahead=2)

    january, march = event_at(case, utc(2025, 1, 31, 23, 59)), event_at(case, utc(2025, 3, 1))

    assert partition_holding(CaseEvent, january.pk) == f"{EVENTS}_p202501"
    assert partition_holding(CaseEvent, march.pk) == f"{EVENTS}_p202503"
    assert list(case.events.filter(pk__in=[january.pk, march.pk])) == [january, march]


@postgres_only
@pytest.mark.django_db
def test_a_date_with_no_month_goes_to_default_and_moves_when_its_month_is_made(case):
    far = event_at(case, utc(2091, 6, 15, 8, 0))
    assert partition_holding(CaseEvent, far.pk) == f"{EVENTS}_default"

    created = months_ensure(now=utc(2091, 5, 2), ahead=0)

    assert f"{EVENTS}_p209106" in created[EVENTS]
    assert partition_holding(CaseEvent, far.pk) == f"{EVENTS}_p209106"
    assert CaseEvent.objects.get(pk=far.pk).note == "checked the meter"
    assert f"{EVENTS}_p209106" in partitions_of(EVENTS)


@postgres_only
@pytest.mark.django_db
def test_months_ensure_is_idempotent():
    months_ensure(now=utc(2040, 1, 1), ahead=2)

    assert months_ensure(now=utc(2040, 1, 1), ahead=2) == {}


@postgres_only
@pytest.mark.django_db
def test_retention_drops_whole_months_of_the_access_log_and_never_case_events(case, settings):
    settings.ACCESS_LOG_RETENTION_MONTHS = 24
    officer = StaffFactory()
    months_ensure(now=utc(2023, 1, 1), ahead=2)
    for at in (utc(2023, 1, 5), utc(2023, 2, 5), utc(2023, 3, 20), utc(2025, 3, 1)):
        with time_machine.travel(at, tick=False):
            access_record(staff=officer, purpose="case_page", case=case)
        event_at(case, at)

    with time_machine.travel(utc(2025, 3, 10), tick=False):  # cutoff: 10 March 2023
        removed = retention_sweep().access_entries

    assert removed == 2
    kept = sorted(PersonalDataAccess.objects.values_list("at", flat=True))
    assert kept == [utc(2023, 3, 20), utc(2025, 3, 1)]
    assert f"{ACCESS}_p202301" not in partitions_of(ACCESS)
    assert f"{ACCESS}_p202303" in partitions_of(ACCESS)  # the cutoff's month stays
    assert {f"{EVENTS}_p202301", f"{EVENTS}_p202302"} <= set(partitions_of(EVENTS))
    assert case.events.filter(at__year=2023).count() == 3


@postgres_only
@pytest.mark.django_db
def test_the_migration_keeps_every_row_of_an_existing_table(case):
    staff = StaffFactory()
    with connection.cursor() as cursor:
        # The test's own transaction holds deferred foreign-key checks of the
        # rows made above; PostgreSQL alters no table with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    before_partitioning = [("cases", "0011_case_language_event"), ("privacy", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before_partitioning)
    try:
        assert not partitions_of(EVENTS)
        for at in (utc(2019, 7, 1), utc(2024, 2, 29, 23, 30), utc(2099, 1, 1)):
            event_at(case, at)
            with time_machine.travel(at, tick=False):
                access_record(staff=staff, purpose="case_page", case=case)
        events, entries = CaseEvent.objects.count(), PersonalDataAccess.objects.count()
        last_id = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert (CaseEvent.objects.count(), PersonalDataAccess.objects.count()) == (events, entries)
    assert f"{EVENTS}_p201907" in partitions_of(EVENTS)
    assert f"{ACCESS}_p202402" in partitions_of(ACCESS)
    assert partition_holding(CaseEvent, last_id) == f"{EVENTS}_p209901"
    assert event_at(case, utc(2024, 2, 1)).pk > last_id  # the id sequence carried on


@postgres_only
@pytest.mark.django_db
def test_a_month_made_meanwhile_by_another_worker_is_left_as_it_is(case):
    months_ensure(now=utc(2041, 1, 1), ahead=0)
    event = event_at(case, utc(2041, 1, 20))

    assert month_create(table=EVENTS, column="at", month=utc(2041, 1, 1)) == 0
    assert partition_holding(CaseEvent, event.pk) == f"{EVENTS}_p204101"


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(("table", "column", "reason"), [
    ("cases_case", "opened_at", "foreign keys point into it"),
    ("notify_outboxmessage", "created_at", "outbox_dedupe_key does not include it"),
])
def test_a_table_whose_keys_cannot_survive_partitioning_is_refused(table, column, reason):
    with connection.cursor() as cursor, pytest.raises(ValueError, match=reason):
        table_partition_by_month(cursor, table=table, column=column)

    assert not partitions_of(table)
