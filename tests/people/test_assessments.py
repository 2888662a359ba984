"""Assessments through the services: a level per competency of the framework
in use, checked before anything is stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from imbizo.core.errors import DomainError
from imbizo.org.models import Role
from imbizo.people import assessments
from imbizo.people import framework as fw
from imbizo.people.assessment_models import Assessment, AssessmentRating
from imbizo.people.errors import PeopleError
from imbizo.quality.models import Nomination
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
SO, WO = "service-orientation", "working-with-others"


def test_the_seeded_framework_has_service_orientation_first_with_six_levels(framework):
    first = framework.competencies.order_by("order").first()
    assert first.code == SO
    assert list(first.levels.values_list("rank", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert first.meanings.count() >= 5
    assert all(level.indicators.exists() for level in first.levels.all())


def test_a_self_assessment_keeps_the_version_it_used(line, framework):
    _boss, person = line
    a = assessments.assessment_create(author=person, subject=person, kind="self",
                                      levels={SO: 4, WO: 2})
    assert a.version == framework
    assert dict(a.ratings.values_list("competency__code", "level__rank")) == {SO: 4, WO: 2}

    new = framework_new_version(framework)
    assert framework_current() == new
    a.refresh_from_db()
    assert a.version == framework  # the old assessment keeps its words
    later = assessments.assessment_create(author=person, subject=person, kind="self",
                                          levels={SO: 5})
    assert later.version == new


def framework_new_version(old):
    draft = fw.version_start_from(old, note="Reworded level 3")
    assert draft.competencies.count() == old.competencies.count()
    return fw.version_publish(draft)


def framework_current():
    return fw.current_version()


@pytest.mark.parametrize("levels, code, words", [
    ({SO: 7}, PeopleError.LEVEL_OUTSIDE_FRAMEWORK, "Level 7 is outside the framework"),
    ({SO: 0}, PeopleError.LEVEL_OUTSIDE_FRAMEWORK, "levels run from 1 to 6"),
    ({SO: "high"}, PeopleError.LEVEL_OUTSIDE_FRAMEWORK, "Level high"),
    ({"charm": 2}, PeopleError.NOT_IN_FRAMEWORK, "“charm” is not a competency"),
    ({}, PeopleError.MISSING_LEVEL, "at least one competency"),
])
def test_a_level_outside_the_framework_is_refused_and_nothing_is_stored(line, levels, code, words):
    boss, person = line
    with pytest.raises(DomainError) as error:
        assessments.assessment_create(author=boss, subject=person, kind="manager",
                                      levels={WO: 2, **levels} if levels else levels)
    assert error.value.code == code
    assert words in error.value.message
    assert not Assessment.objects.exists() and not AssessmentRating.objects.exists()


def test_evidence_must_be_the_persons_own_and_a_bad_link_stores_nothing(line):
    boss, person = line
    other = StaffFactory(role=Role.OFFICER)
    theirs = Nomination.objects.create(staff=other, reason="Great", nominated_by=boss,
                                       nominated_at=timezone.now())
    mine = Nomination.objects.create(staff=person, reason="Stayed late for a client",
                                     nominated_by=boss, nominated_at=timezone.now())
    with pytest.raises(DomainError) as error:
        assessments.assessment_create(author=boss, subject=person, kind="manager",
                                      levels={SO: 3}, evidence=[f"nomination:{theirs.pk}"])
    assert "not one of this person's records" in error.value.message
    with pytest.raises(DomainError):
        assessments.assessment_create(author=boss, subject=person, kind="manager",
                                      levels={SO: 3}, evidence=["salary:1"])
    assert not Assessment.objects.exists()
    a = assessments.assessment_create(author=boss, subject=person, kind="manager",
                                      levels={SO: 3}, evidence=[f"nomination:{mine.pk}"])
    assert [(e.kind, e.object_id) for e in a.evidence.all()] == [("nomination", mine.pk)]


def test_who_may_record_which_kind(line):
    boss, person = line
    colleague = StaffFactory(role=Role.OFFICER)
    refused = [
        (colleague, "manager"), (colleague, "self"), (colleague, "client"),
        (person, "manager"), (person, "peer"), (boss, "self"),
    ]
    for author, kind in refused:
        with pytest.raises(DomainError):
            assessments.assessment_create(author=author, subject=person, kind=kind,
                                          levels={SO: 2})
    assessments.assessment_create(author=colleague, subject=person, kind="peer", levels={SO: 2})
    assessments.assessment_create(author=boss, subject=person, kind="client", levels={SO: 3})
    assert Assessment.objects.count() == 2


def test_dates_in_the_future_or_long_ago_are_refused(line):
    _boss, person = line
    today = timezone.localdate()
    for day in (today + timedelta(days=1), today - timedelta(days=400)):
        with pytest.raises(DomainError) as error:
            assessments.assessment_create(author=person, subject=person, kind="self",
                                          levels={SO: 2}, assessed_on=day)
        assert error.value.field == "assessed_on"


def test_the_gap_is_self_minus_the_mean_of_the_others_latest(line, django_assert_max_num_queries):
    boss, person = line
    colleague = StaffFactory(role=Role.OFFICER)
    today = timezone.localdate()
    assessments.assessment_create(author=person, subject=person, kind="self", levels={SO: 2},
                                  assessed_on=today - timedelta(days=90))
    assessments.assessment_create(author=person, subject=person, kind="self", levels={SO: 5})
    assessments.assessment_create(author=boss, subject=person, kind="manager", levels={SO: 3})
    assessments.assessment_create(author=colleague, subject=person, kind="peer", levels={SO: 4})
    with django_assert_max_num_queries(6):
        history = assessments.assessments_of(person)
        gap = {row.code: row for row in assessments.gap_of(history)}
        over_time = assessments.history_of(history)
    assert gap[SO].self_rank == 5
    assert gap[SO].others == {"manager": 3, "peer": 4}
    assert gap[SO].gap == 1.5
    assert [p["rank"] for p in over_time[0]["points"]][0] == 2  # oldest first
