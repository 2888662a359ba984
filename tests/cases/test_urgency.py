"""Urgency changes the clock: a standard's targets per priority, a priority change
and a service correction re-derive the pending clocks from the snapshot."""

import datetime

import pytest

from imbizo.cases.errors import CaseError
from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import EventKind
from imbizo.cases.services import (
    calendar,
    case_open,
    case_priority_change,
    case_service_change,
    case_wait,
    promise_of,
)
from imbizo.catalogue.models import PriorityTarget
from imbizo.catalogue.services import standard_revise
from imbizo.core.errors import DomainError
from tests.cases.conftest import at
from tests.factories import ServiceFactory, ServiceStandardFactory
from tests.support import inside, sast

pytestmark = pytest.mark.django_db


@pytest.fixture
def urgent_hours(world):
    """The water standard: urgent cases acknowledged within 1 hour and resolved
    within 12 hours, round the clock."""
    return PriorityTarget.objects.create(
        standard=world.standard, priority="urgent", ack_amount=1, ack_unit="calendar_hours",
        resolve_amount=12, resolve_unit="calendar_hours")


def _open(world, **extra):
    return case_open(draft=CaseDraft(service_code="water-leak", description="Burst pipe",
                                     channel="hotline", **inside(world.ward), **extra))


def test_an_urgent_burst_pipe_at_one_in_the_morning_runs_on_clock_hours(world, urgent_hours):
    with at(2026, 3, 3, 1, 0):
        case = _open(world, priority="urgent")

    assert case.ack_due_at == sast(2026, 3, 3, 2, 0)
    assert case.resolve_due_at == sast(2026, 3, 3, 13, 0)


def test_a_normal_case_keeps_the_standards_working_day_targets(world, urgent_hours):
    with at(2026, 3, 3, 1, 0):
        case = _open(world)

    assert case.ack_due_at > sast(2026, 3, 3, 16, 0)  # one working day, not one hour
    assert case.resolve_due_at > sast(2026, 3, 9, 0, 0)


def test_raising_the_priority_is_an_event_and_re_derives_the_due_times(world, urgent_hours,
                                                                          officer):
    with at(2026, 3, 3, 1, 0):
        case = _open(world)
    with at(2026, 3, 3, 1, 20):
        case = case_priority_change(case=case, actor=officer, priority="urgent",
                                    note="Water is flooding the road")

    case.refresh_from_db()
    assert case.priority == "urgent"
    assert (case.ack_due_at, case.resolve_due_at) == (sast(2026, 3, 3, 2, 0),
                                                      sast(2026, 3, 3, 13, 0))
    assert case.next_check_at == sast(2026, 3, 3, 2, 0)
    event = case.events.get(kind=EventKind.PRIORITY)
    assert (event.actor, event.details) == (officer, {"from": "normal", "to": "urgent"})
    assert not event.public


def test_a_priority_change_keeps_a_clock_that_already_fired(world, urgent_hours, officer):
    from imbizo.cases.sweep import clocks_sweep

    with at(2026, 3, 2, 10, 0):
        case = _open(world)
    with at(2026, 3, 4, 12, 0):
        clocks_sweep()
        case.refresh_from_db()
        missed = case.ack_breached_at
        case = case_priority_change(case=case, actor=officer, priority="urgent")

    assert case.ack_breached_at == missed
    assert case.ack_due_at != sast(2026, 3, 2, 11, 0)  # a fired clock is not moved


def test_a_paused_case_keeps_the_working_time_the_new_target_leaves(world, urgent_hours,
                                                                      officer):
    with at(2026, 3, 3, 1, 0):
        case = _open(world)
    with at(2026, 3, 3, 9, 0):
        case = case_wait(case=case, actor=officer, on="third_party", note="The contractor")
    with at(2026, 3, 3, 9, 30):
        case = case_priority_change(case=case, actor=officer, priority="urgent")

    assert case.resolve_due_at is None
    # 13:00 urgent deadline, counted in working time from the pause at 09:00: 4 hours.
    assert case.resolve_paused_seconds == 4 * 3600


def test_an_unknown_priority_is_refused(world, officer):
    with at(2026, 3, 3, 9, 0):
        case = _open(world)

    with pytest.raises(DomainError) as refused:
        case_priority_change(case=case, actor=officer, priority="emergency")

    assert refused.value.code == CaseError.INVALID_CHOICE


def test_a_new_version_carries_the_targets_by_priority_over(world, urgent_hours):
    newer = standard_revise(service=world.service, pledge="Faster now.")

    assert list(newer.priority_targets.values_list("priority", "resolve_amount")) == [
        ("urgent", 12)]
    assert urgent_hours.standard_id == world.standard.pk


@pytest.fixture
def roads(world):
    """Another active service, whose standard (in force since 2025) resolves in 20 working
    days and acknowledges in 3."""
    service = ServiceFactory(code="pothole", group="Roads", department=world.office.department)
    ServiceStandardFactory(service=service, effective_from=datetime.date(2025, 1, 1),
                           published=True, ack_amount=3, resolve_amount=20)
    return service


def test_correcting_the_service_follows_the_new_services_standard(world, roads, officer):
    with at(2026, 3, 2, 10, 0):
        case = _open(world)
    opened = case.opened_at
    with at(2026, 3, 2, 11, 0):
        case = case_service_change(case=case, actor=officer, service=roads,
                                   note="It is a pothole, not a leak")

    case.refresh_from_db()
    assert case.service == roads and case.opened_at == opened
    assert case.standard.service == roads
    assert case.ack_due_at == promise_of(case.standard).ack.due_from(calendar(), opened)
    assert case.ack_due_at > sast(2026, 3, 4, 16, 30)  # 3 working days, not the leak's 1
    event = case.events.get(kind=EventKind.SERVICE)
    assert event.details == {"from": "water-leak", "to": "pothole"}


def test_a_service_correction_to_an_inactive_service_is_refused(world, roads, officer):
    roads.active = False
    roads.save()
    with at(2026, 3, 2, 10, 0):
        case = _open(world)

    with pytest.raises(DomainError) as refused:
        case_service_change(case=case, actor=officer, service=roads)

    assert refused.value.code == CaseError.UNKNOWN_SERVICE
    case.refresh_from_db()
    assert case.service == world.service
