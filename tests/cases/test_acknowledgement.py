"""Acknowledgement is a person's act: the button or a case worker's first update to
the citizen, never assignment, a status move or a message the system sends."""

import pytest

from imbizo.cases.errors import CaseError
from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import EventKind
from imbizo.cases.services import (
    case_acknowledge,
    case_open,
    case_reopen,
    case_resolve,
    case_start,
    case_status_change,
    case_update_citizen,
    case_wait,
)
from imbizo.cases.sweep import clocks_sweep
from imbizo.cases.timeline import citizen_headline
from imbizo.core.errors import DomainError
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.models import Role
from tests.cases.conftest import at
from tests.factories import StaffFactory
from tests.support import inside, sast

pytestmark = pytest.mark.django_db


def _open(world, **extra):
    return case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", **inside(world.ward), **extra))


@pytest.fixture
def assigning(world):
    """The depot gives each new case to an officer as it opens."""
    world.office.auto_assign = True
    world.office.save()
    return StaffFactory(office=world.office, role=Role.OFFICER)


def test_auto_assignment_at_one_in_the_morning_does_not_acknowledge(world, assigning):
    with at(2026, 3, 3, 1, 0):
        case = _open(world)

    case.refresh_from_db()
    assert case.status == "assigned" and case.assignee == assigning
    assert case.acknowledged_at is None
    assert not case.events.filter(kind=EventKind.ACKNOWLEDGED).exists()
    assert case.next_check_at == case.ack_due_at  # the acknowledgement clock still runs


def test_an_officer_acknowledges_an_assigned_case_with_the_button(world, assigning):
    with at(2026, 3, 3, 1, 0):
        case = _open(world)
    with at(2026, 3, 3, 8, 15):
        case = case_acknowledge(case=case, actor=assigning)

    assert case.acknowledged_at == sast(2026, 3, 3, 8, 15)
    assert case.status == "assigned"  # the status stays where it was
    event = case.events.get(kind=EventKind.ACKNOWLEDGED)
    assert (event.actor, event.public) == (assigning, True)


def test_acknowledging_a_received_case_also_moves_it_to_acknowledged(world, case, officer):
    with at(2026, 3, 2, 11, 0):
        case = case_acknowledge(case=case, actor=officer)

    assert case.status == "acknowledged"
    event = case.events.get(kind=EventKind.ACKNOWLEDGED)
    assert (event.from_status, event.to_status) == ("received", "acknowledged")


def test_a_case_is_acknowledged_only_once(world, case, officer):
    with at(2026, 3, 2, 11, 0):
        case_acknowledge(case=case, actor=officer)

    with at(2026, 3, 2, 12, 0), pytest.raises(DomainError) as refused:
        case_acknowledge(case=case, actor=officer)

    assert refused.value.code == CaseError.TRANSITION_NOT_ALLOWED
    assert case.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_the_status_entry_point_acknowledges_an_assigned_case(world, assigning):
    with at(2026, 3, 3, 1, 0):
        case = _open(world)
    with at(2026, 3, 3, 9, 0):
        case = case_status_change(case=case, to="acknowledged", actor=assigning)

    assert case.acknowledged_at == sast(2026, 3, 3, 9, 0)


def test_starting_work_does_not_acknowledge(world, case, officer):
    with at(2026, 3, 2, 11, 0):
        case = case_start(case=case, actor=officer)

    assert case.acknowledged_at is None


def test_a_case_workers_first_update_to_the_citizen_acknowledges(world, case, officer):
    with at(2026, 3, 2, 11, 0):
        case = case_update_citizen(case=case, actor=officer, message="A plumber is on the way.")
    with at(2026, 3, 2, 12, 0):
        case = case_update_citizen(case=case, actor=officer, message="Fixed by 15:00.")

    assert case.acknowledged_at == sast(2026, 3, 2, 11, 0)
    assert case.events.filter(kind=EventKind.ACKNOWLEDGED).get().details == {"how": "update"}


def test_an_agents_update_does_not_acknowledge(world, case):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    with at(2026, 3, 2, 11, 0):
        case = case_update_citizen(case=case, actor=agent, message="We passed it on.")

    assert case.acknowledged_at is None


def test_asking_the_citizen_and_resolving_count_as_updates_to_the_citizen(world, officer):
    with at(2026, 3, 2, 10, 0):
        asked, resolved = _open(world), _open(world)
    with at(2026, 3, 2, 11, 0):
        asked = case_wait(case=asked, actor=officer, on="citizen", note="Which meter?")
        resolved = case_resolve(case=resolved, actor=officer, outcome="fixed")

    assert asked.acknowledged_at == resolved.acknowledged_at == sast(2026, 3, 2, 11, 0)


def test_the_systems_messages_never_acknowledge(world, case):
    # Given the acknowledgement email queued at opening, and the sweep's apology
    with at(2026, 3, 4, 12, 0):
        clocks_sweep()

    case.refresh_from_db()
    assert OutboxMessage.objects.filter(case=case).exists()
    assert case.acknowledged_at is None and case.ack_breached_at is not None


def test_an_office_may_send_an_honest_automatic_receipt(world):
    world.office.auto_acknowledge = True
    world.office.save()
    with at(2026, 3, 3, 1, 0):
        case = _open(world, citizen_email="c@example.org", contact_consent=True)

    case.refresh_from_db()
    assert case.acknowledged_by_system and case.acknowledged_at is None
    receipt = case.events.get(kind=EventKind.ACKNOWLEDGED)
    assert receipt.actor is None and receipt.details == {"automatic": True}
    assert "Received by our system" in citizen_headline(receipt)
    # The person's clock still runs: the receipt promises when someone will look.
    assert case.next_check_at == case.ack_due_at
    message = OutboxMessage.objects.get(case=case, channel="email")
    _subject, body = message_text(message)
    assert "received by our system" in body and "no person has looked at it yet" in body


def test_a_reopened_case_moved_to_acknowledged_keeps_its_first_acknowledgement(world, case,
                                                                              officer):
    with at(2026, 3, 2, 11, 0):
        case_acknowledge(case=case, actor=officer)
        case_resolve(case=case, actor=officer, outcome="fixed")
    with at(2026, 3, 9, 9, 0):
        case_reopen(case=case, actor=None, reason="Leaking again")
    with at(2026, 3, 9, 10, 0):
        case = case_acknowledge(case=case, actor=officer)

    assert case.status == "acknowledged"
    assert case.acknowledged_at == sast(2026, 3, 2, 11, 0)  # the figures counted this one
