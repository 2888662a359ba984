"""Rollups kept current as things happen equal rollups rebuilt from the raw tables."""

import pytest
from django.db import connection

from imbizo.insights import models as m
from imbizo.insights.rollups import ROLLUPS, rollups_fold, rollups_rebuild
from tests.insights.conftest import END, at, story_build
from tests.support import sast

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, set]:
    """Every rollup table as a set of rows, leaving out rows whose measures are all 0."""
    tables = {}
    for model in ROLLUPS:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        measures = [f for f in fields if f in (*m.CASE_FLOWS, *m.CASE_STOCK, *m.RATING_MEASURES)
                    or model is m.HourlyCases and f not in ("hour", "ward_id")]
        tables[model._meta.model_name] = {
            tuple(row) for row in model.objects.values_list(*fields)
            if any(row[fields.index(f)] for f in measures)}
    return tables


def test_incremental_rollups_equal_rollups_rebuilt_from_raw_tables(story):
    with at(END):
        rollups_fold()
        incremental = snapshot()
        rollups_rebuild()
        rebuilt = snapshot()

    assert incremental["dailycases"], "the story must produce figures"
    for name in incremental:
        assert incremental[name] == rebuilt[name], name


def test_rebuilt_figures_equal_the_fold_with_human_and_automatic_acknowledgements(story):
    """Auto-assignment, an office's automatic receipts, a person's button, a first
    update to the citizen, a priority change and a service correction, mixed."""
    from imbizo.cases.services import (
        case_acknowledge,
        case_priority_change,
        case_service_change,
        case_update_citizen,
    )
    from imbizo.org.models import Role
    from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory
    from tests.insights.conftest import _open

    world, boss = story.world, story.supervisor
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    roads = ServiceFactory(code="pothole", group="Roads", department=world.office.department)
    ServiceStandardFactory(service=roads, published=True, effective_from=sast(2025, 1, 1, 0, 0))
    world.office.auto_assign = world.office.auto_acknowledge = True
    world.office.save()
    with at(sast(2026, 3, 23, 1, 0)):
        receipt_only = _open(world, world.ward, "web")  # the system's receipt, no person
        by_button = _open(world, world.ward, "web")
        by_update = _open(world, world.ward, "hotline")
        rated = story.cases["c"]
    with at(sast(2026, 3, 23, 9, 0)):
        case_acknowledge(case=by_button, actor=officer)
        case_update_citizen(case=by_update, actor=officer, message="On our way.")
        case_priority_change(case=receipt_only, actor=boss, priority="urgent")
        case_service_change(case=by_update, actor=boss, service=roads)
        case_service_change(case=rated, actor=boss, service=roads)  # resolved and rated

    with at(END):
        rollups_fold()
        incremental = snapshot()
        rollups_rebuild()
        rebuilt = snapshot()

    for name in incremental:
        assert incremental[name] == rebuilt[name], name
    monthly = m.MonthlyCases.objects.filter(month=sast(2026, 3, 1, 0, 0).date())
    totals = {f: sum(getattr(row, f) for row in monthly) for f in ("ack_auto", "ack_met")}
    assert totals["ack_auto"] == 3
    assert m.ServiceMonthlyRatings.objects.filter(service_id=roads.pk, n__gt=0).exists()


def test_a_fold_takes_each_delta_once(story):
    with at(END):
        first = rollups_fold()
        again = rollups_fold()

    assert first > 0 and again == 0
    assert not m.CaseDelta.objects.exists() and not m.RatingDelta.objects.exists()


def test_figures_read_the_rollups(story):
    from imbizo.insights.metrics import Metric
    from imbizo.insights.selectors import figure

    with at(END):
        rollups_fold()
        share = figure(metric=Metric.SHARE_RESOLVED_IN_TIME, since=sast(2026, 3, 1, 0, 0),
                       until=sast(2026, 3, 24, 0, 0))
        courtesy = figure(metric="rating_civility", office=story.offices[0])

    assert share == 3 / 6
    assert courtesy == (4 + 2 + 5) / 3


def test_ungrouped_figures_add_up_every_row_of_the_ward(world):
    """A ward's stock and flows span several rollup rows (here two offices): a read
    with no grouping sums them all, not the last row it meets."""
    from imbizo.cases.services import case_assign
    from imbizo.insights.metrics import Metric
    from imbizo.insights.selectors import figure, period_sums, stock_sums
    from imbizo.org.models import Role
    from tests.factories import OfficeFactory, StaffFactory
    from tests.insights.conftest import _open

    other = OfficeFactory(code="east-depot", department=world.office.department)
    boss = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    with at(sast(2026, 3, 2, 10, 0)):
        _open(world, world.ward)
        moved = _open(world, world.ward)
        _open(world, world.ward)
        case_assign(case=moved, actor=boss, office=other)
        rollups_fold()

        assert m.OpenLoad.objects.filter(ward_id=world.ward.pk, open__gt=0).count() == 2
        assert stock_sums(ward=world.ward.pk)[()]["open"] == 3
        assert figure(metric=Metric.OPEN_NOW, ward=world.ward) == 3
        assert period_sums("cases", ("opened",), since=sast(2026, 3, 1, 0, 0).date(),
                           ward=world.ward.pk) == {(): {"opened": 3}}


@pytest.mark.django_db(transaction=True)
def test_a_parallel_rebuild_equals_a_rebuild_on_one_connection(world):
    """PostgreSQL, outside any transaction: two connections compute the facts from
    one snapshot; the deltas that snapshot saw are gone, none is folded twice."""
    if connection.vendor != "postgresql":
        pytest.skip("the parallel rebuild is PostgreSQL's; SQLite rebuilds on one connection")
    story_build(world)
    indexes_before = rollup_indexes()
    with at(END):
        assert m.CaseDelta.objects.exists() or m.OpeningDelta.objects.exists()
        rollups_rebuild(workers=2)
        parallel = snapshot()
        queues_left = [q.objects.count() for q in (m.CaseDelta, m.OpeningDelta, m.RatingDelta)]
        folded_after = rollups_fold()
        rollups_rebuild(workers=1)
        one_connection = snapshot()
        rollups_rebuild(workers=2)  # the swapped-in tables rebuild again
        again = snapshot()

    assert parallel["dailycases"] and parallel["dailyratings"], "the story must produce figures"
    assert queues_left == [0, 0, 0] and folded_after == 0
    assert parallel == one_connection == again
    assert rollup_indexes() == indexes_before, "every index and constraint kept, by name"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'insights_rebuild_%%'")
        assert cursor.fetchone()[0] == 0, "the staging tables are dropped"


def rollup_indexes() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s)",
                       [[model._meta.db_table for model in ROLLUPS]])
        return set(cursor.fetchall())
