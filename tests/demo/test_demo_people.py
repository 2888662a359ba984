"""The demo's reporting lines, assessments and plans (issue 20)."""

import time

import pytest
from django.urls import reverse

from imbizo.demo.municipality import demo_build
from imbizo.demo.people_dev import people_dev_build
from imbizo.org.models import Staff
from imbizo.people.access import team_of
from imbizo.people.assessment_models import Assessment
from imbizo.people.plan_models import Plan
from tests.people.conftest import _seed_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    _seed_framework()
    demo_build(seed=2026)
    started = time.monotonic()
    made = people_dev_build(seed=2026)
    made["seconds"] = time.monotonic() - started
    return made


def test_everyone_but_the_top_reports_to_someone_and_supervisor_leads_officer(demo):
    staff = {s.user.username: s for s in Staff.objects.select_related("user", "manager__user")}
    assert staff["officer"].manager.user.username == "supervisor"
    assert staff["manager"].manager is None
    assert [u for u, s in staff.items() if s.manager is None] == ["manager"]
    assert staff["officer"] in team_of(staff["supervisor"])
    assert demo["seconds"] < 5


def test_every_person_has_assessments_over_months_and_a_plan(demo):
    people = Staff.objects.count()
    assert Plan.objects.values("subject").distinct().count() == people
    assert Assessment.objects.values("subject").distinct().count() == people
    officer = Staff.objects.get(user__username="officer")
    kinds = set(Assessment.objects.filter(subject=officer).values_list("kind", flat=True))
    assert kinds == {"self", "manager", "peer", "client"}
    dates = Assessment.objects.filter(subject=officer).values_list("assessed_on", flat=True)
    assert (max(dates) - min(dates)).days > 100
    assert Plan.objects.get(subject=officer).agreed


def test_the_officer_and_supervisor_pages_show_a_full_picture(demo, client):
    officer = Staff.objects.get(user__username="officer")
    client.force_login(officer.user)
    page = client.get(reverse("backoffice:people_home")).content.decode()
    assert 'id="people-gap"' in page and 'id="plan-items"' in page
    assert "Agreed by the manager" in page
    client.force_login(Staff.objects.get(user__username="supervisor").user)
    team = client.get(reverse("backoffice:people_team")).content.decode()
    assert str(officer) in team
