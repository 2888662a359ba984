
import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, CaseEvent, EventKind
from imbizo.cases.services import case_acknowledge, case_open
from imbizo.cases.sweep import clocks_sweep
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.models import Role
from tests.cases.conftest import inside, sast
from tests.factories import StaffFactory, UserFactory
from tests.support import at_once

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def open_case(world, **changes):
    with time_machine.travel(MONDAY_10, tick=False):
        return case_open(draft=CaseDraft(
            service_code="water-leak", description="Leak", channel="web",
            citizen_email="c@example.org", contact_consent=True, **inside(world.ward),
            **changes,
        ))


@pytest.fixture
def supervisor(world):
    return StaffFactory(office=world.office, role=Role.SUPERVISOR,
                        user=UserFactory(email="boss@example.org"))


def kinds(case):
    return sorted(case.events.exclude(kind=EventKind.OPENED).values_list("kind", flat=True))


def test_nothing_fires_before_anything_is_due(world):
    case = open_case(world)

    result = clocks_sweep(now=sast(2026, 3, 3, 16, 0))

    assert result.cases == 0
    assert kinds(case) == []


def test_a_missed_acknowledgement_is_recorded_and_the_supervisor_told(world, supervisor):
    case = open_case(world)

    clocks_sweep(now=sast(2026, 3, 3, 16, 31))

    assert kinds(case) == [EventKind.ACK_BREACHED]
    alert = OutboxMessage.objects.get(template="case_staff_digest")
    assert alert.recipient == "boss@example.org"


def test_warning_comes_before_the_deadline(world, supervisor):
    case = open_case(world)
    case_acknowledge(case=case, actor=supervisor)
    case.refresh_from_db()

    clocks_sweep(now=case.resolve_warn_at)

    assert EventKind.WARNED in kinds(case)
    assert EventKind.BREACHED not in kinds(case)


def test_a_breach_fires_once_apologises_and_escalates_to_level_one(world, supervisor):
    case = open_case(world)
    case_acknowledge(case=case, actor=supervisor)
    after_due = sast(2026, 3, 9, 16, 31)

    first = clocks_sweep(now=after_due)
    second = clocks_sweep(now=after_due)

    case.refresh_from_db()
    assert first.fired[EventKind.BREACHED] == 1
    assert second.cases == 0
    assert case.escalation_level == 1
    assert case.events.filter(kind=EventKind.BREACHED).count() == 1
    assert case.events.filter(kind=EventKind.ESCALATED).count() == 1
    apology = OutboxMessage.objects.get(template="case_overdue", channel="email")
    assert apology.recipient == "c@example.org"
    subject, body = message_text(apology)  # rendered when sent
    assert case.reference in subject
    assert world.standard.redress in body


def test_the_ladder_climbs_with_working_time_past_the_deadline(world, supervisor):
    case = open_case(world)
    case_acknowledge(case=case, actor=supervisor)
    clocks_sweep(now=sast(2026, 3, 9, 16, 31))

    # Level 2 is 16 working hours past the deadline (Mon 16:30): all of Tuesday
    # (8.5 h) and 7.5 h of Wednesday, so Wednesday 11 March at 15:30.
    clocks_sweep(now=sast(2026, 3, 11, 15, 29))
    case.refresh_from_db()
    assert case.escalation_level == 1
    clocks_sweep(now=sast(2026, 3, 11, 15, 30))
    case.refresh_from_db()
    assert case.escalation_level == 2
    levels = case.events.filter(kind=EventKind.ESCALATED).values_list("details__level", flat=True)
    assert sorted(levels) == [1, 2]


def test_a_long_overdue_case_climbs_every_step_in_one_sweep(world):
    case = open_case(world)

    clocks_sweep(now=sast(2026, 6, 1, 9, 0))

    case.refresh_from_db()
    assert case.escalation_level == 3
    assert case.escalate_next_at is None
    assert case.next_check_at is None  # every clock has fired; nothing left to watch


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_escalate_each_case_exactly_once(world):
    cases = [open_case(world) for _ in range(30)]
    after = sast(2026, 3, 9, 16, 31)
    _results, errors = at_once(lambda: clocks_sweep(now=after, batch_size=7))

    assert errors == []
    assert CaseEvent.objects.filter(kind=EventKind.BREACHED).count() == len(cases)
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATED, details__level=1).count() == len(
        cases
    )
    assert set(Case.objects.values_list("escalation_level", flat=True)) == {1}
