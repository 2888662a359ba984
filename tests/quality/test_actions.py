"""Action plans: owned actions judged on the figure they were meant to move."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction

from imbizo.cases.models import Case
from imbizo.core.errors import DomainError
from imbizo.quality import selectors
from imbizo.quality.action_transitions import ActionState
from imbizo.quality.errors import QualityError
from imbizo.quality.models import ActionEvent, ActionStatus
from imbizo.quality.services import (
    ActionDraft,
    action_cancel,
    action_close,
    action_create,
    action_transition,
)
from tests.factories import OfficeFactory, ServiceFactory, ServiceStandardFactory
from tests.quality.factories import finished_case
from tests.support import sast

pytestmark = pytest.mark.django_db

AGREED = sast(2026, 3, 2, 10, 0)
DUE = datetime.date(2026, 4, 1)
LATER = sast(2026, 5, 20, 12, 0)
DAY = timedelta(days=1)


def draft(owner, **changes):
    fields = {"title": "Phone back every caller the day they report a leak", "owner": owner,
              "due_on": DUE, "principle": "information", "metric": "share_resolved_in_time",
              "office": owner.office, "window_days": 30}
    return ActionDraft(**{**fields, **changes})


def agreed_action(owner, **changes):
    with time_machine.travel(AGREED, tick=False):
        return action_create(actor=owner, draft=draft(owner, **changes))


def raw_share_on_time(office, since, until):
    """The share resolved within the pledge, computed row by row from the cases."""
    resolved = [c for c in Case.objects.filter(office=office)
                if c.resolved_at is not None and since <= c.resolved_at < until]
    on_time = [c for c in resolved if c.resolved_at <= c.resolve_due_at]
    return round(100 * len(on_time) / len(resolved), 1), len(resolved)


@pytest.fixture
def history(world):
    """Before the action (February): half the leaks fixed late. After its due
    date (April): five of six on time. Plus cases that must not count."""
    for day, took in ((2, 1), (3, 10), (4, 2), (5, 14), (6, 1), (9, 12)):
        finished_case(world, opened_at=sast(2026, 2, day, 9), took=took * DAY)
    for day, took in ((7, 1), (8, 1), (9, 2), (10, 1), (13, 15), (14, 1)):
        finished_case(world, opened_at=sast(2026, 4, day, 9), took=took * DAY)
    # Opened before, resolved only after the action was agreed: in neither window.
    finished_case(world, opened_at=sast(2026, 2, 25, 9), took=20 * DAY)


@time_machine.travel(LATER, tick=False)
def test_an_actions_before_and_after_figures_equal_those_computed_from_the_cases(
        world, staff, history):
    action = agreed_action(staff.supervisor)

    evidence = selectors.action_evidence(action=action)

    periods = evidence.windows
    assert (evidence.before.value, evidence.before.count) == raw_share_on_time(
        world.office, periods.before_since, periods.before_until) == (50.0, 6)
    assert (evidence.after.value, evidence.after.count) == raw_share_on_time(
        world.office, periods.after_since, periods.after_until) == (83.3, 6)


@time_machine.travel(LATER, tick=False)
def test_an_action_that_moved_its_figure_closes_as_effective_with_the_figures_frozen(
        world, staff, history):
    action = agreed_action(staff.supervisor)

    closed = action_close(action=action, actor=staff.supervisor, note="Call-backs are routine")
    finished_case(world, opened_at=sast(2026, 4, 20, 9), took=30 * DAY)  # a late one, after

    evidence = selectors.action_evidence(action=closed)
    assert closed.status == ActionStatus.EFFECTIVE
    assert evidence.frozen and (evidence.before.value, evidence.after.value) == (50.0, 83.3)
    assert closed.after_until == sast(2026, 5, 1, 0, 0)  # thirty days from the due date


@time_machine.travel(LATER, tick=False)
def test_an_action_whose_figure_did_not_move_the_right_way_is_not_effective(
        world, staff, history):
    action = agreed_action(staff.supervisor, metric="reopen_rate", principle="redress")

    closed = action_close(action=action, actor=staff.manager)

    assert closed.status == ActionStatus.NOT_EFFECTIVE
    assert (closed.before_value, closed.after_value) == (0.0, 0.0)


@time_machine.travel(LATER, tick=False)
def test_an_action_that_missed_its_target_is_not_effective(world, staff, history):
    action = agreed_action(staff.supervisor, target=90)

    assert action_close(action=action, actor=staff.supervisor).status == (
        ActionStatus.NOT_EFFECTIVE)


def test_an_action_cannot_be_judged_before_its_due_date(world, staff, history):
    action = agreed_action(staff.supervisor)

    with time_machine.travel(sast(2026, 3, 20, 9), tick=False), \
            pytest.raises(DomainError) as error:
        action_close(action=action, actor=staff.supervisor)

    assert error.value.code == QualityError.TOO_EARLY


def test_without_enough_cases_the_action_is_not_judged(world, staff):
    finished_case(world, opened_at=sast(2026, 2, 2, 9), took=DAY)
    action = agreed_action(staff.supervisor)

    with time_machine.travel(LATER, tick=False), pytest.raises(DomainError) as error:
        action_close(action=action, actor=staff.supervisor)

    assert error.value.code == QualityError.NOT_ENOUGH_EVIDENCE
    assert "1 before and 0 after" in error.value.message


@time_machine.travel(LATER, tick=False)
def test_an_action_without_evidence_is_cancelled_with_a_reason(world, staff):
    action = agreed_action(staff.supervisor)

    cancelled = action_cancel(action=action, actor=staff.supervisor, reason="Office closed")

    assert (cancelled.status, cancelled.closing_note) == (ActionStatus.CANCELLED, "Office closed")


@time_machine.travel(LATER, tick=False)
def test_only_the_owner_or_a_manager_closes_an_action(world, staff, history):
    action = agreed_action(staff.supervisor)

    for outsider in (staff.officer, staff.stranger):
        with pytest.raises(DomainError) as error:
            action_close(action=action, actor=outsider)
        assert error.value.code == QualityError.FORBIDDEN


@time_machine.travel(AGREED, tick=False)
def test_an_action_scoped_to_a_service_counts_only_that_service(world, staff):
    other_service = ServiceFactory(department=world.office.department)
    ServiceStandardFactory(service=other_service)

    action = action_create(actor=staff.manager, draft=draft(
        staff.manager, office=None, service=other_service))

    evidence = selectors.action_evidence(action=action)
    assert action.office is None and evidence.before.count == 0


@pytest.mark.parametrize("changes, field", [
    ({"title": " "}, "title"),
    ({"due_on": datetime.date(2026, 3, 1)}, "due_on"),
    ({"metric": "happiness"}, "metric"),
    ({"target": 120}, "target"),
    ({"window_days": 3}, "window_days"),
    ({"source": "complaint"}, "source"),
])
@time_machine.travel(AGREED, tick=False)
def test_a_bad_action_names_the_field_at_fault(world, staff, changes, field):
    with pytest.raises(DomainError) as error:
        action_create(actor=staff.supervisor, draft=draft(staff.supervisor, **changes))

    assert error.value.field == field


@time_machine.travel(AGREED, tick=False)
def test_an_officer_cannot_own_an_action(world, staff):
    with pytest.raises(DomainError) as error:
        action_create(actor=staff.supervisor, draft=draft(staff.officer, office=world.office))

    assert error.value.field == "owner"


@time_machine.travel(AGREED, tick=False)
def test_a_supervisor_agrees_actions_only_for_their_own_office(world, staff):
    with pytest.raises(DomainError) as error:
        action_create(actor=staff.supervisor, draft=draft(staff.supervisor,
                                                          office=OfficeFactory()))

    assert error.value.code == QualityError.FORBIDDEN


@time_machine.travel(AGREED, tick=False)
def test_the_action_list_is_scoped_and_costs_one_query(world, staff,
                                                       django_assert_max_num_queries):
    for n in range(3):
        action_create(actor=staff.supervisor, draft=draft(staff.supervisor, title=f"Action {n}"))
    action_create(actor=staff.stranger, draft=draft(staff.stranger, title="Elsewhere"))

    with django_assert_max_num_queries(1):
        titles = [(a.title, a.owner.user.username, a.office.name)
                  for a in selectors.action_list(staff=staff.manager)]

    assert sorted(t for t, _u, _o in titles) == ["Action 0", "Action 1", "Action 2"]
    assert [a.title for a in selectors.action_list(staff=staff.officer)] == []


# --- status changes: the action table and one event per change ------------------------------


@pytest.mark.parametrize(("changes", "close", "status"), [
    ({}, lambda a, s: action_close(action=a, actor=s.supervisor, note="Routine"),
     ActionStatus.EFFECTIVE),
    ({"target": 90}, lambda a, s: action_close(action=a, actor=s.supervisor, note="Routine"),
     ActionStatus.NOT_EFFECTIVE),
    ({}, lambda a, s: action_cancel(action=a, actor=s.supervisor, reason="Routine"),
     ActionStatus.CANCELLED),
])
@time_machine.travel(LATER, tick=False)
def test_each_allowed_status_change_writes_exactly_one_event(world, staff, history, changes,
                                                             close, status):
    action = agreed_action(staff.supervisor, **changes)

    closed = close(action, staff)

    (event,) = ActionEvent.objects.filter(action=action)
    assert closed.status == status
    assert (event.from_status, event.to_status, event.actor, event.at, event.note) == (
        ActionStatus.OPEN, status, staff.supervisor, LATER, "Routine")


@pytest.mark.parametrize("again", [
    lambda a, s: action_close(action=a, actor=s.supervisor),
    lambda a, s: action_cancel(action=a, actor=s.supervisor, reason="Twice"),
])
@time_machine.travel(LATER, tick=False)
def test_an_ended_action_refuses_another_change_and_records_nothing(world, staff, history,
                                                                    again):
    action = action_cancel(action=agreed_action(staff.supervisor), actor=staff.supervisor,
                           reason="Office closed")

    with pytest.raises(DomainError) as error:
        again(action, staff)

    action.refresh_from_db()
    assert error.value.code == QualityError.ACTION_CLOSED
    assert (action.status, action.closing_note) == (ActionStatus.CANCELLED, "Office closed")
    assert ActionEvent.objects.filter(action=action).count() == 1


@time_machine.travel(LATER, tick=False)
def test_a_move_the_action_table_forbids_is_refused_with_no_change(world, staff):
    action = agreed_action(staff.supervisor)

    with pytest.raises(DomainError) as error, transaction.atomic():
        action_transition(action=action, to=ActionState.OPEN, actor=staff.supervisor,
                          at=LATER)

    action.refresh_from_db()
    assert error.value.code == QualityError.TRANSITION_NOT_ALLOWED
    assert action.status == ActionStatus.OPEN
    assert not ActionEvent.objects.filter(action=action).exists()
