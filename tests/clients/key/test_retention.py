"""Retention of key clients equals an independent count from the cases: a key
client with a case in the year before last that also had one in the last year,
by group, by office and quarter by quarter."""

import random
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.clients.key_selectors import (
    Retention,
    retention,
    retention_by,
    retention_trend,
)
from imbizo.clients.models import CaseClient, ClientGroup, KeyClient
from tests.factories import OfficeFactory, StaffFactory
from tests.support import inside

pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1)


def independent(opened: dict[int, list[date]], as_of: date, clients) -> Retention:
    """Straight from the definition, one client at a time."""
    middle, first = _year_before(as_of), _year_before(_year_before(as_of))
    eligible = [c for c in clients if any(first <= d < middle for d in opened.get(c, []))]
    retained = [c for c in eligible if any(middle <= d < as_of for d in opened[c])]
    return Retention(eligible=len(eligible), retained=len(retained))


@pytest.fixture
def history(world):
    """Twenty key clients in two groups and two offices with cases spread over
    three years; each case's opening date is known."""
    rng = random.Random(21)
    groups = [ClientGroup.objects.create(code=f"g{i}", name=f"Group {i}") for i in range(2)]
    offices = [world.office, OfficeFactory(code="north")]
    manager = StaffFactory(office=world.office)
    clients = KeyClient.objects.bulk_create([
        KeyClient(name=f"Client {i}", kind="business", group=groups[i % 2],
                  office=offices[(i // 2) % 2], account_manager=manager,
                  created_at=_at(date(2023, 1, 1))) for i in range(20)])
    opened: dict[int, list[date]] = {}
    today = date(2026, 12, 7)
    for client in clients:
        for _n in range(rng.randint(0, 5)):
            day = today - timedelta(days=rng.randint(0, 3 * 365))
            case = case_open(draft=CaseDraft(service_code="water-leak", description="x",
                                             channel="web", **inside(world.ward)))
            Case.objects.filter(pk=case.pk).update(opened_at=_at(day))
            CaseClient.objects.create(case=case, group=client.group, key_client=client)
            opened.setdefault(client.pk, []).append(day)
    return type("History", (), {"opened": opened, "clients": clients, "groups": groups,
                                "offices": offices, "today": today})


def test_retention_equals_an_independent_count(history):
    ids = [c.pk for c in history.clients]
    for as_of in (history.today, date(2026, 10, 1), date(2025, 7, 1)):
        expected = independent(history.opened, as_of, ids)
        assert retention(as_of=as_of) == expected
        assert expected.eligible > 0
    group = history.groups[1]
    in_group = [c.pk for c in history.clients if c.group_id == group.pk]
    assert retention(as_of=history.today, group=group) == independent(
        history.opened, history.today, in_group)


def test_retention_by_group_and_office_equals_independent_counts(history):
    by_office = retention_by(as_of=history.today, field="office")
    for office in history.offices:
        ids = [c.pk for c in history.clients if c.office_id == office.pk]
        expected = independent(history.opened, history.today, ids)
        assert by_office.get(office.pk, Retention(0, 0)) == expected
    by_group = retention_by(as_of=history.today, field="group")
    assert sum(r.eligible for r in by_group.values()) == retention(
        as_of=history.today).eligible


def test_the_quarterly_trend_equals_independent_counts_at_each_quarter_start(history):
    ids = [c.pk for c in history.clients]

    trend = retention_trend(as_of=history.today, quarters=6)

    assert [p.as_of for p in trend] == [date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1),
                                        date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)]
    assert trend[-1].label == "2026 Q3"
    for point in trend:
        assert point.retention == independent(history.opened, point.as_of, ids), point.label


def test_nobody_eligible_has_no_share():
    assert Retention(eligible=0, retained=0).share is None
    assert Retention(eligible=4, retained=3).share == 0.75
