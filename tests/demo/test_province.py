"""The province generator at a tiny scale: counts, every case in a real ward,
service and office, clocks that agree with each case's status, events for
every case, and the big tables' indexes and constraints all back after the
load (they are dropped while it runs)."""

import datetime
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q

from imbizo.cases.models import Case, CaseEvent
from imbizo.cases.transitions import OPEN_STATUSES
from imbizo.demo.province import ProvinceError, disk_check, province_build, schema_snapshot
from imbizo.engagement.models import Answer, Contact, Instrument, Response
from imbizo.geo.models import Region, Ward
from imbizo.insights.models import MonthlyCases
from tests.conftest import _standard_instruments

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the province is written with PostgreSQL's set-based SQL (SQLite is refused)")
UNTIL = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=datetime.UTC)


@postgres_only
def test_tiny_province(transactional_db):
    """One build (transactional: the load writes on two connections of its own),
    several checks."""
    # The instruments come from a data migration, which an earlier
    # transactional test in this process may have flushed away.
    _standard_instruments()
    before = schema_snapshot()
    with connection.cursor() as cursor:  # response ids as high as a full province's
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 3000000)",
                       [Response._meta.db_table])
    report = province_build(name="Tiny Province", cases=2_000, contacts=10_000, wards=12,
                            days=30, until=UNTIL, say=lambda _line: None)
    _counts_and_places(report)
    _clocks_agree_with_status()
    _events_per_case_and_schema_back(before)


def _counts_and_places(report):
    assert Region.objects.count() == 5
    assert Ward.objects.count() == report.counts["wards"] >= 10
    assert Case.objects.count() == 2_000
    assert Contact.objects.count() == 10_000
    assert Response.objects.exists() and Answer.objects.exists()
    assert not Case.objects.filter(Q(ward__isnull=True) | Q(service__isnull=True)
                                   | Q(office__isnull=True) | Q(standard__isnull=True)).exists()
    assert set(Case.objects.values_list("ward__region__code", flat=True).distinct()) <= {
        r.code for r in Region.objects.all()}
    assert MonthlyCases.objects.exists()  # the rollups were rebuilt


def _clocks_agree_with_status():
    cases = Case.objects.all()
    assert not cases.filter(opened_at__gt=UNTIL).exists()
    assert not cases.filter(resolve_due_at__lte=F("opened_at")).exists()
    assert not cases.filter(ack_due_at__lte=F("opened_at")).exists()
    done = cases.filter(status__in=["resolved", "closed"])
    assert done.exists() and not done.filter(resolved_at__isnull=True).exists()
    assert not done.filter(resolved_at__lte=F("opened_at")).exists()
    assert not cases.filter(status="closed").filter(
        Q(closed_at__isnull=True) | Q(closed_at__lte=F("resolved_at"))).exists()
    still_open = cases.filter(status__in=sorted(map(str, OPEN_STATUSES)))
    assert not still_open.filter(resolved_at__isnull=False).exists()
    assert not still_open.filter(next_check_at__isnull=True).exists()
    assert not cases.filter(acknowledged_at__lt=F("opened_at")).exists()
    late = cases.filter(resolve_breached_at__isnull=False)
    assert late.exists() and not late.filter(escalation_level=0).exists()
    assert not late.filter(resolve_breached_at__gt=UNTIL).exists()


def _events_per_case_and_schema_back(before):
    opened = CaseEvent.objects.filter(kind="opened").values("case_id").annotate(n=Count("id"))
    assert opened.count() == 2_000 and not opened.exclude(n=1).exists()
    resolved_events = CaseEvent.objects.filter(to_status="resolved").count()
    assert resolved_events == Case.objects.filter(resolved_at__isnull=False).count()
    assert schema_snapshot() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'province_pv_%%'")
        assert cursor.fetchone()[0] == 0  # the lookup tables are gone
        cursor.execute("SELECT nextval(pg_get_serial_sequence('cases_case', 'id'))")
        assert cursor.fetchone()[0] > Case.objects.order_by("-pk").first().pk


def test_disk_check_refuses_what_does_not_fit(tmp_path):
    assert "needs about" in disk_check(1_000, 1_000, path=str(tmp_path))
    with pytest.raises(ProvinceError, match="Not enough disk"):
        disk_check(10**15, 10**15, path=str(tmp_path))


def test_disk_check_counts_the_write_ahead_log(tmp_path):
    free = shutil.disk_usage(tmp_path).free
    assert "write-ahead log" in disk_check(1_000, 1_000, path=str(tmp_path), wal=2**30)
    with pytest.raises(ProvinceError, match="Not enough disk"):
        disk_check(1_000, 1_000, path=str(tmp_path), wal=free + 1)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's")
def test_province_refused_on_sqlite():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("demo", province="gauteng", cases=10, contacts=10)


@postgres_only
def test_a_database_without_the_survey_is_refused_before_anything_is_written(db):
    Instrument.objects.filter(code="after-contact").delete()
    with pytest.raises(ProvinceError, match="after-contact"):
        province_build(name="Tiny Province", cases=100, contacts=100, wards=3,
                       say=lambda _line: None)
    assert not Region.objects.exists() and not Case.objects.exists()
