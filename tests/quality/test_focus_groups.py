"""Focus groups: a session, its questions and answers, solutions as actions."""

import datetime

import pytest
import time_machine

from imbizo.core.errors import DomainError
from imbizo.quality import selectors
from imbizo.quality.errors import QualityError
from imbizo.quality.services import (
    ActionDraft,
    action_create,
    focus_group_create,
    focus_group_record,
)
from tests.support import sast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(sast(2026, 3, 2, 10), tick=False):
        yield


def session(world, staff, **changes):
    fields = {"actor": staff.supervisor, "office": world.office, "topic": "Water counter queues",
              "held_on": datetime.date(2026, 2, 27), "participants": 9}
    return focus_group_create(**{**fields, **changes})


def test_a_session_starts_with_the_five_standard_questions(world, staff):
    group = session(world, staff)

    assert [q.text for q in group.questions.all()] == [
        "Who are our key clients?", "What do our key clients expect from us?",
        "How well do we meet those expectations today?",
        "What would our clients' biggest complaint be?",
        "What gets in the way of putting the client first?"]


def test_answers_are_kept_without_contact_details(world, staff):
    group = session(world, staff)
    first = group.questions.first()

    focus_group_record(group=group, actor=staff.supervisor, answers={
        first.pk: "Pensioners; one said call her on 082 123 4567"},
        new_question="What should we stop doing?")

    first.refresh_from_db()
    assert first.answer == "Pensioners; one said call her on [number]"
    assert group.questions.count() == 6


def test_a_solution_becomes_an_action_of_the_session(world, staff, django_assert_max_num_queries):
    group = session(world, staff)
    action_create(actor=staff.supervisor, draft=ActionDraft(
        title="Open a pensioners' queue on grant days", owner=staff.supervisor,
        due_on=datetime.date(2026, 3, 31), principle="access", metric="average_rating",
        source="focus_group", focus_group=group, office=world.office))

    with django_assert_max_num_queries(4):
        loaded = selectors.focus_group_get_for(staff=staff.manager, pk=group.pk)
        titles = [a.title for a in loaded.actions.all()]
        questions = [q.text for q in loaded.questions.all()]

    assert titles == ["Open a pensioners' queue on grant days"] and len(questions) == 5


@pytest.mark.parametrize("changes, field", [
    ({"office": None}, "office"),
    ({"participants": 0}, "participants"),
    ({"held_on": datetime.date(2026, 3, 9)}, "held_on"),
    ({"topic": ""}, "topic"),
])
def test_a_bad_session_names_the_field_at_fault(world, staff, changes, field):
    with pytest.raises(DomainError) as error:
        session(world, staff, **changes)

    assert error.value.field == field


def test_focus_groups_are_for_the_offices_one_looks_after(world, staff):
    with pytest.raises(DomainError) as error:
        session(world, staff, actor=staff.stranger)

    assert error.value.code == QualityError.FORBIDDEN


def test_a_manager_holds_a_session_about_a_service_of_the_department(world, staff):
    group = session(world, staff, actor=staff.manager, office=None, service=world.service)

    assert group.service == world.service
    assert [g.pk for g in selectors.focus_group_list(staff=staff.manager)] == [group.pk]
