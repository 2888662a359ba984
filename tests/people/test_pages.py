"""The people pages through the forms a person uses: assessing, the plan,
the gap on the person's own page, and bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from imbizo.people import assessments
from imbizo.people.assessment_models import Assessment
from imbizo.people.framework_models import Activity
from imbizo.people.models import RecordView
from imbizo.people.plan_models import Plan, PlanItem

pytestmark = pytest.mark.django_db
SO, WO = "service-orientation", "working-with-others"


def test_the_manager_assesses_the_officer_through_the_form(client, line):
    boss, person = line
    client.force_login(boss.user)
    url = reverse("backoffice:people_assess", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Assess Thandi Nkosi" in page.content
    response = client.post(url, {
        "kind": "manager", "assessed_on": timezone.localdate().isoformat(),
        f"level_{SO}": "3", f"level_{WO}": "2", "note": "Calls residents back."})
    assert response.status_code == 302
    a = Assessment.objects.get()
    assert (a.kind, a.author, a.subject) == ("manager", boss, person)
    assert RecordView.objects.filter(viewer=boss, subject=person).exists()


def test_a_posted_level_outside_the_framework_is_named_and_nothing_stored(client, line):
    boss, person = line
    client.force_login(boss.user)
    response = client.post(reverse("backoffice:people_assess", args=[person.pk]), {
        "kind": "manager", "assessed_on": timezone.localdate().isoformat(),
        f"level_{SO}": "9"})
    assert response.status_code == 400
    assert "Level 9 is outside the framework for Service orientation" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_colleague_cannot_pose_as_the_manager(client, line):
    _boss, person = line
    client.force_login(person.user)
    response = client.post(reverse("backoffice:people_assess", args=[person.pk]), {
        "kind": "manager", "assessed_on": timezone.localdate().isoformat(), f"level_{SO}": "5"})
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_the_officer_sees_the_gap_between_self_and_others(client, line):
    boss, person = line
    assessments.assessment_create(author=person, subject=person, kind="self", levels={SO: 5})
    assessments.assessment_create(author=boss, subject=person, kind="manager", levels={SO: 3})
    client.force_login(person.user)
    page = client.get(reverse("backoffice:people_home")).content.decode()
    assert 'data-competency="service-orientation"' in page
    assert 'data-gap="2.0"' in page
    assert "Manager: Sipho Dlamini" in page


def test_a_plan_is_drawn_up_and_agreed_by_both_through_the_forms(client, line):
    boss, person = line
    activity = Activity.objects.get(code="good-and-difficult-contact")
    client.force_login(person.user)
    add = reverse("backoffice:people_plan_add", args=[person.pk])
    past = client.post(add, {"activity": activity.pk,
                             "due_on": (timezone.localdate() - timedelta(days=2)).isoformat()},
                       follow=True)
    assert "is in the past" in past.content.decode()
    assert not PlanItem.objects.exists()
    client.post(add, {"activity": activity.pk, "due_on": timezone.localdate().isoformat()})
    client.post(reverse("backoffice:people_plan_agree", args=[person.pk]))
    client.force_login(boss.user)
    client.post(reverse("backoffice:people_plan_agree", args=[person.pk]))
    plan = Plan.objects.get()
    assert plan.agreed and plan.manager_agreed_by == boss
    team = client.get(reverse("backoffice:people_team")).content.decode()
    assert "Agreed" in team and str(person) in team


def test_the_record_page_reads_in_few_queries(client, line, django_assert_max_num_queries):
    boss, person = line
    for days in range(0, 100, 10):
        day = timezone.localdate() - timedelta(days=days)
        assessments.assessment_create(author=person, subject=person, kind="self",
                                      levels={SO: 3, WO: 2}, assessed_on=day)
        assessments.assessment_create(author=boss, subject=person, kind="manager",
                                      levels={SO: 2, WO: 2}, assessed_on=day)
    client.force_login(person.user)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("backoffice:people_home")).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(client, line):
    _boss, person = line
    for url in (reverse("backoffice:people_home"),
                reverse("backoffice:people_person", args=[person.pk]),
                reverse("backoffice:people_export")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
