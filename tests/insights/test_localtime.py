"""Local days in SQL equal Python's, across daylight-saving changes."""

import datetime

import pytest

from imbizo.cases.models import CaseEvent
from imbizo.insights.localtime import LocalDate, LocalMonth, UtcHour, offset_changes

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_a_zone_without_daylight_saving_has_one_offset():
    assert offset_changes("Africa/Johannesburg") == ((None, 7200),)


def test_daylight_saving_changes_are_found_to_the_second():
    changes = dict(offset_changes("Europe/London"))

    assert changes[datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)] == 3600
    assert changes[datetime.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)] == 0


@pytest.mark.parametrize("tz_name", ["Africa/Johannesburg", "Europe/London", "Asia/Kolkata",
                                     "America/St_Johns"])
def test_local_dates_and_months_in_sql_match_python(world, tz_name):
    from zoneinfo import ZoneInfo

    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.services import case_open

    case = case_open(draft=CaseDraft(service_code="water-leak", description="x", channel="web"))
    instants = [datetime.datetime(2026, 3, 28, 23, 59, 59, tzinfo=UTC),
                datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
                datetime.datetime(2026, 3, 31, 18, 31, tzinfo=UTC),
                datetime.datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
                datetime.datetime(2026, 12, 31, 22, 15, tzinfo=UTC)]
    CaseEvent.objects.bulk_create(CaseEvent(case=case, kind="note", at=at) for at in instants)
    rows = (CaseEvent.objects.filter(kind="note").order_by("at")
            .annotate(day=LocalDate("at", tz_name=tz_name), month=LocalMonth("at", tz_name=tz_name),
                      hour=UtcHour("at")).values_list("day", "month", "hour"))
    tz = ZoneInfo(tz_name)

    expected = [(at.astimezone(tz).date(), at.astimezone(tz).date().replace(day=1),
                 at.replace(minute=0, second=0)) for at in instants]
    assert [(d, m, h.astimezone(UTC)) for d, m, h in rows] == expected
