"""Development plans through the services: activities from the library,
agreed by both, due dates, status and evidence (recognition)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from imbizo.core.errors import DomainError
from imbizo.org.models import Role
from imbizo.people import access, plans
from imbizo.people.errors import PeopleError
from imbizo.people.framework_models import Activity
from imbizo.people.plan_models import PlanItem
from imbizo.quality.models import Nomination
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _activity(code):
    return Activity.objects.get(code=code)


def test_the_library_is_seeded_and_tagged(framework):
    codes = set(Activity.objects.values_list("code", flat=True))
    assert {"something-extra", "service-time-log", "review-own-calls", "ask-manager-feedback",
            "track-client-reactions", "good-and-difficult-contact", "list-of-clients",
            "recognise-others"} <= codes
    competency_codes = set(framework.competencies.values_list("code", flat=True))
    assert set(Activity.objects.values_list("competency_code", flat=True)) <= competency_codes


def test_a_plan_is_agreed_by_both_and_a_change_asks_again(line):
    boss, person = line
    today = timezone.localdate()
    plan = plans.plan_start(actor=person, subject=person, goal="Keep clients informed")
    with pytest.raises(DomainError) as error:
        plans.plan_agree(actor=person, plan=plan)
    assert error.value.code == PeopleError.EMPTY_PLAN
    plans.plan_item_add(actor=person, plan=plan, activity_id=_activity("something-extra").pk,
                        due_on=today + timedelta(days=14))
    plans.plan_agree(actor=person, plan=plan)
    plans.plan_agree(actor=boss, plan=plan)
    plan.refresh_from_db()
    assert plan.agreed and plan.manager_agreed_by == boss
    plans.plan_item_add(actor=boss, plan=plan, activity_id=_activity("service-time-log").pk,
                        due_on=today)
    plan.refresh_from_db()
    assert not plan.agreed and plan.manager_agreed_by is None


def test_bad_plan_input_gets_clear_errors_and_stores_nothing(line):
    _boss, person = line
    today = timezone.localdate()
    plan = plans.plan_start(actor=person, subject=person)
    extra = _activity("something-extra")
    cases = [
        (extra.pk, today - timedelta(days=1), PeopleError.DUE_IN_PAST, "is in the past"),
        (extra.pk, today + timedelta(days=400), PeopleError.INVALID_DATE, "a year ahead"),
        (extra.pk, None, PeopleError.INVALID_DATE, "Give a due date"),
        (999999, today, PeopleError.UNKNOWN_ACTIVITY, "library"),
    ]
    for activity_id, due, code, words in cases:
        with pytest.raises(DomainError) as error:
            plans.plan_item_add(actor=person, plan=plan, activity_id=activity_id, due_on=due)
        assert error.value.code == code and words in error.value.message
    assert not PlanItem.objects.exists()
    plans.plan_item_add(actor=person, plan=plan, activity_id=extra.pk, due_on=today)
    with pytest.raises(DomainError) as error:
        plans.plan_item_add(actor=person, plan=plan, activity_id=extra.pk, due_on=today)
    assert error.value.code == PeopleError.DUPLICATE_ACTIVITY


def test_nobody_but_the_person_and_manager_works_on_the_plan(line):
    _boss, person = line
    plan = plans.plan_start(actor=person, subject=person)
    for role in Role:
        stranger = StaffFactory(role=role)
        with pytest.raises(DomainError):
            plans.plan_agree(actor=stranger, plan=plan)
        with pytest.raises(DomainError):
            plans.plan_start(actor=stranger, subject=person)


def test_recognition_is_linked_as_evidence_of_an_activity(line):
    boss, person = line
    plan = plans.plan_start(actor=person, subject=person)
    item = plans.plan_item_add(actor=person, plan=plan, activity_id=_activity("something-extra").pk,
                               due_on=timezone.localdate())
    nomination = Nomination.objects.create(staff=person, reason="Walked a pensioner through it",
                                           nominated_by=boss, nominated_at=timezone.now())
    plans.plan_item_update(actor=boss, item=item, status="done", note="Done twice",
                           evidence=[f"nomination:{nomination.pk}"])
    plans.plan_item_update(actor=person, item=item, status="done",
                           evidence=[f"nomination:{nomination.pk}"])  # linked once
    item.refresh_from_db()
    assert item.status == "done"
    assert [(e.kind, e.object_id) for e in item.evidence.all()] == [("nomination", nomination.pk)]


def test_the_managers_team_view_counts_each_plan_in_few_queries(line, django_assert_max_num_queries):
    boss, person = line
    today = timezone.localdate()
    others = [StaffFactory(role=Role.OFFICER, manager=boss) for _ in range(4)]
    for someone in [person, *others]:
        plan = plans.plan_start(actor=someone, subject=someone)
        for code in ("something-extra", "service-time-log"):
            plans.plan_item_add(actor=someone, plan=plan, activity_id=_activity(code).pk,
                                due_on=today)
    PlanItem.objects.filter(plan__subject=person, activity__code="service-time-log").update(
        due_on=today - timedelta(days=3))
    PlanItem.objects.filter(plan__subject=person, activity__code="something-extra").update(
        status="done")
    with django_assert_max_num_queries(3):
        rows = {row.person.pk: row for row in plans.team_plans(access.team_of(boss))}
    assert len(rows) == 5
    assert (rows[person.pk].items, rows[person.pk].done, rows[person.pk].overdue) == (2, 1, 1)
