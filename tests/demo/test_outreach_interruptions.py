import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import F

from imbizo.cases.models import Case
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.demo.outreach_interruptions import interruptions_build
from imbizo.outreach.interruption_models import (
    Interruption,
    InterruptionCase,
    InterruptionWardMonth,
)

pytestmark = pytest.mark.django_db
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


@pytest.fixture
def built():
    with time_machine.travel(UNTIL, tick=False):
        demo_build(seed=3)
        history_build(seed=3, cases=3000, until=UNTIL)
        return interruptions_build(seed=3, until=UNTIL)


def test_a_water_outage_is_in_progress_in_the_west_with_linked_reports(built):
    [outage] = Interruption.objects.filter(status="in_progress")

    assert outage.service.code == "no-water"
    assert {w.region.code for w in outage.wards.all()} == {"west"}
    linked = Case.objects.filter(pk__in=InterruptionCase.objects.filter(
        interruption=outage).values("case_id"))
    assert linked.count() == 12
    assert all(c.resolve_due_at == outage.expected_restoration_at for c in linked)


def test_the_history_has_planned_and_unplanned_cuts_in_several_regions(built):
    past = Interruption.objects.filter(status="restored")

    assert {i.kind for i in past} == {"planned", "unplanned"}
    regions = {w.region.code for i in past.prefetch_related("wards__region")
               for w in i.wards.all()}
    assert len(regions) >= 4
    assert built["historical reports linked"] > 0
    assert not past.filter(restored_at__lt=F("starts_at")).exists()
    assert InterruptionWardMonth.objects.filter(hours__gt=0).count() > 20


def test_planned_work_is_announced_ahead(built):
    [planned] = Interruption.objects.filter(status="announced")

    assert planned.kind == "planned"
    assert planned.starts_at > UNTIL



def test_planned_work_starts_on_the_hour_in_the_morning_local_time(built):
    for interruption in Interruption.objects.filter(kind="planned"):
        local = interruption.starts_at.astimezone(UNTIL.tzinfo)
        assert (local.minute, 8 <= local.hour <= 10) == (0, True)
