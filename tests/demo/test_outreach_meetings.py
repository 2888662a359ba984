"""The demo's imbizo meetings and commitments (imbizo.demo.outreach_meetings)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count

from imbizo.cases.models import Case
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.demo.outreach_meetings import outreach_meetings_build
from imbizo.outreach import meeting_selectors as selectors
from imbizo.outreach.meeting_models import Commitment, Meeting, MeetingIssue

pytestmark = pytest.mark.django_db
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


@pytest.fixture
def made():
    demo_build(seed=3)
    history_build(seed=3, cases=3000, until=UNTIL)
    with time_machine.travel(UNTIL, tick=False):
        return outreach_meetings_build(seed=3, until_day=UNTIL.date())


def test_every_region_meets_monthly_and_the_next_months_are_planned(made):
    held = Meeting.objects.filter(status="held")
    assert held.count() >= 5 * 17
    assert set(held.values_list("region_id", "ward__region_id").distinct()) != set()
    planned = Meeting.objects.filter(status="planned", starts_at__gt=UNTIL)
    assert planned.count() >= 5
    assert not Meeting.objects.filter(status="planned", starts_at__lt=UNTIL).exists()


def test_hundreds_of_commitments_mostly_kept_some_late_a_few_dropped(made):
    counts = selectors.commitment_counts(on=UNTIL.date())
    assert counts.total == Commitment.objects.count() >= 300
    assert counts.kept > counts.total / 2
    assert 0 < counts.late < counts.kept / 3
    assert 0 < counts.dropped < counts.late * 2
    assert not Commitment.objects.filter(status="dropped", dropped_reason="").exists()
    assert not Commitment.objects.filter(owner_department__isnull=True).exists()


def test_issues_raised_are_cases_of_the_outreach_channel(made):
    # 3,000 cases over 110 wards: a handful a week per ward (the demo's 200,000 give more).
    assert made["issues raised"] == MeetingIssue.objects.count() > 50
    channels = dict(Case.objects.filter(pk__in=MeetingIssue.objects.values("case_id"))
                    .values_list("channel").annotate(n=Count("id")))
    assert list(channels) == ["outreach"]


def test_ward_meetings_open_with_the_report_back(made):
    recent = Meeting.objects.filter(status="held", ward__isnull=False).order_by("-starts_at")[:5]
    for meeting in recent:
        agenda = selectors.meeting_agenda(meeting=meeting, on=UNTIL.date())
        assert agenda.since is not None
        assert agenda.late or agenda.active or agenda.done
