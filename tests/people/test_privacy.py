"""A person's development record is theirs: out of the admin, exported on
request, deleted after a leaver's retention period; the institution sees
aggregates only."""

import json
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from imbizo.org.models import Role, Staff
from imbizo.people import assessments, plans
from imbizo.people import export as people_export
from imbizo.people.export import apply_retention
from imbizo.people.framework_models import Activity, FrameworkVersion, Level
from imbizo.people.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentRating,
    Plan,
    PlanItem,
    PlanItemEvidence,
    RecordView,
)
from imbizo.people.tasks import people_retention_task
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
SO = "service-orientation"
RECORDS = (Assessment, AssessmentRating, AssessmentEvidence, Plan, PlanItem, PlanItemEvidence,
           RecordView)


def _admin_user(institution):
    return StaffFactory(role=Role.ADMINISTRATOR, office=None, department=None,
                        user__is_staff=True, user__is_superuser=True).user


def test_development_records_are_not_in_the_admin():
    registered = set(admin.site._registry)
    assert not registered & set(RECORDS)
    assert {FrameworkVersion, Activity, Level} <= registered


def test_a_published_framework_version_is_read_only_in_the_admin(client, framework, institution):
    client.force_login(_admin_user(institution))
    url = reverse("admin:people_frameworkversion_change", args=[framework.pk])
    page = client.get(url)
    assert page.status_code == 200
    client.post(url, {"number": framework.number, "note": "changed"})
    framework.refresh_from_db()
    assert framework.note != "changed"
    level = Level.objects.filter(competency__version=framework).first()
    client.post(reverse("admin:people_level_change", args=[level.pk]),
                {"rank": 1, "name": "Renamed", "competency": level.competency_id})
    level.refresh_from_db()
    assert level.name != "Renamed"


def test_an_administrator_sets_a_reporting_line_but_never_a_circle(client, line, institution):
    boss, person = line
    client.force_login(_admin_user(institution))
    url = reverse("admin:org_staff_change", args=[boss.pk])
    data = {"user": boss.user_id, "role": boss.role, "department": boss.department_id,
            "office": boss.office_id, "job_title": "", "phone": "", "active": "on",
            "manager": person.pk, "left_at_0": "", "left_at_1": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "go round in a circle" in response.content.decode()
    response = client.post(url, {**data, "manager": boss.pk})
    assert "cannot report to themself" in response.content.decode()
    boss.refresh_from_db()
    assert boss.manager is None
    head = StaffFactory(role=Role.MANAGER)
    assert client.post(url, {**data, "manager": head.pk}).status_code == 302
    boss.refresh_from_db()
    assert boss.manager == head


def test_the_person_downloads_their_own_record_with_every_parts_section(client, line, monkeypatch):
    boss, person = line
    assessments.assessment_create(author=person, subject=person, kind="self", levels={SO: 4})
    plan = plans.plan_start(actor=person, subject=person, goal="Listen first")
    plans.plan_item_add(actor=person, plan=plan, activity_id=Activity.objects.first().pk,
                        due_on=timezone.localdate())
    monkeypatch.setattr(people_export, "_EXPORTS", dict(people_export._EXPORTS))
    people_export.register_export("test_extra", lambda staff: [{"who": staff.pk}])
    client.force_login(boss.user)
    client.get(reverse("backoffice:people_person", args=[person.pk]))
    client.force_login(person.user)
    response = client.get(reverse("backoffice:people_export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    sections = data["sections"]
    assert sections["assessments"][0]["levels"][0]["level"] == 4
    assert sections["development_plans"][0]["goal"] == "Listen first"
    assert sections["who_looked"][0]["by"] == str(boss)
    assert sections["test_extra"] == [{"who": person.pk}]


def test_a_leavers_records_are_deleted_after_the_retention_period(line, settings):
    boss, person = line
    settings.PEOPLE_RECORDS_KEEP_MONTHS = 12
    stayer = StaffFactory(role=Role.OFFICER, manager=boss)
    for someone in (person, stayer):
        assessments.assessment_create(author=someone, subject=someone, kind="self",
                                      levels={SO: 3})
        plans.plan_start(actor=someone, subject=someone)
    Staff.objects.filter(pk=person.pk).update(left_at=timezone.now() - timedelta(days=300))
    assert apply_retention() == 0
    Staff.objects.filter(pk=person.pk).update(left_at=timezone.now() - timedelta(days=400))
    assert people_retention_task.call() >= 3
    assert not Assessment.objects.filter(subject=person).exists()
    assert not Plan.objects.filter(subject=person).exists()
    assert Assessment.objects.filter(subject=stayer).exists()


def test_the_institution_sees_aggregates_only_and_small_groups_are_hidden(client, line, settings):
    boss, person = line
    settings.MIN_ANSWERS_SHOWN = 5
    team = [person] + [StaffFactory(role=Role.OFFICER, manager=boss, office=boss.office)
                       for _ in range(4)]
    for someone in team[:4]:
        assessments.assessment_create(author=boss, subject=someone, kind="manager",
                                      levels={SO: 3})
    analyst = StaffFactory(role=Role.ANALYST, office=None, department=None)
    client.force_login(analyst.user)
    url = reverse("backoffice:people_figures")
    page = client.get(url).content.decode()
    assert "Too few people assessed to show." in page
    assert str(person) not in page
    assessments.assessment_create(author=boss, subject=team[4], kind="manager", levels={SO: 4})
    page = client.get(url).content.decode()
    assert "Too few people assessed to show." not in page.split("Whole institution")[1][:400]
    assert str(person) not in page
    client.force_login(person.user)
    assert client.get(url).status_code == 403
