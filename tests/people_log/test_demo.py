"""The demo's time logs, feedback and contacts: the officer and supervisor logins
show a full picture."""

import datetime
import time

import pytest

from imbizo.core import clock
from imbizo.demo.municipality import demo_build
from imbizo.demo.people_log import people_log_build
from imbizo.org.models import Staff
from imbizo.people.access import team_of
from imbizo.people.feedback import client_ratings, feedback_waiting_for
from imbizo.people.reflection import weekly_review
from imbizo.people.timelog import this_week, timelog_team, timelog_trend
from imbizo.people.timelog_models import TimeLogWeek

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("with_people_dev", [False, True])
def test_every_staff_member_has_weeks_and_the_officer_a_full_picture(instruments,
                                                                     with_people_dev):
    demo_build(seed=2026)
    if with_people_dev:  # the reporting lines come from people_dev's demo, as in `imbizo demo`
        from imbizo.demo.people_dev import people_dev_build

        people_dev_build(seed=2026, until_day=None)

    started = time.monotonic()
    made = people_log_build(seed=2026)
    took = time.monotonic() - started

    active = Staff.objects.filter(active=True).count()
    assert made["weeks of time log"] == TimeLogWeek.objects.count() == active * 10
    officer = Staff.objects.get(user__username="officer")
    supervisor = Staff.objects.get(user__username="supervisor")
    assert len(timelog_trend(staff=officer)) == 10
    assert client_ratings(staff=officer,
                          since=clock.now() - datetime.timedelta(days=180)).rated_contacts >= 5
    assert feedback_waiting_for(giver=officer)
    assert officer in team_of(supervisor)
    members = list(team_of(supervisor))
    last_week = this_week() - datetime.timedelta(days=7)
    assert all(r.logged for r in timelog_team(members=members, week_start=last_week))
    assert any(r.picks for r in weekly_review(members=members, week_start=last_week).rows)
    assert took < 30, f"the demo's people log took {took:.1f} s"  # ~1 s on an idle machine
