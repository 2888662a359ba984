import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.services import (
    case_acknowledge,
    case_assign,
    case_close,
    case_merge,
    case_note,
    case_open,
    case_reopen,
    case_resolve,
    case_resume,
    case_start,
    case_update_citizen,
    case_wait,
)
from imbizo.core.errors import DomainError
from imbizo.notify.models import OutboxMessage
from tests.cases.conftest import at, inside, sast


def test_acknowledging_stamps_the_time_and_stops_the_acknowledgement_clock(case, officer):
    with at(2026, 3, 2, 11, 0):
        case_acknowledge(case=case, actor=officer)

    case.refresh_from_db()
    assert case.status == "acknowledged"
    assert case.acknowledged_at == sast(2026, 3, 2, 11, 0)
    # The next thing to watch is the citizen-update clock, not the acknowledgement.
    assert case.next_check_at == case.update_due_at


def test_every_change_writes_an_event_with_from_and_to(case, officer):
    with at(2026, 3, 2, 11, 0):
        case_acknowledge(case=case, actor=officer)
        case_assign(case=case, actor=officer, assignee=officer)
        case_start(case=case, actor=officer)

    moves = list(case.events.exclude(kind=EventKind.OPENED)
                 .values_list("from_status", "to_status"))
    assert moves == [
        ("received", "acknowledged"), ("acknowledged", "assigned"), ("assigned", "in_progress"),
    ]


def test_waiting_on_the_citizen_pauses_and_resuming_keeps_the_time_left(case, officer):
    original_due = case.resolve_due_at  # Monday 9 March 16:30
    with at(2026, 3, 2, 12, 0):
        case_wait(case=case, actor=officer, on="citizen", note="Which meter number?")
    case.refresh_from_db()
    assert case.resolve_due_at is None and case.resolve_paused_seconds > 0

    # Two whole working days pass while we wait (Tue 3 and Wed 4 March).
    with at(2026, 3, 5, 8, 0):
        case_resume(case=case, actor=officer, note="Citizen answered")

    case.refresh_from_db()
    assert case.status == "in_progress"
    # The 21.5 working hours spent waiting (Mon 12:00-16:30, Tue, Wed) are added.
    assert original_due == sast(2026, 3, 9, 16, 30)
    assert case.resolve_due_at == sast(2026, 3, 12, 12, 30)


def test_waiting_needs_a_reason(case, officer):
    with pytest.raises(DomainError) as caught:
        case_wait(case=case, actor=officer, on="citizen", note=" ")

    assert caught.value.field == "note"


def test_an_update_to_the_citizen_resets_the_update_clock_and_is_public(case, officer):
    with at(2026, 3, 3, 9, 0):
        case_update_citizen(case=case, actor=officer, message="A team is on the way.")

    case.refresh_from_db()
    event = case.events.get(kind=EventKind.PUBLIC_UPDATE)
    assert event.public and event.note == "A team is on the way."
    assert case.update_due_at == sast(2026, 3, 5, 16, 30)
    assert OutboxMessage.objects.filter(case=case, template="case_updated").count() == 1


def test_internal_notes_are_not_public(case, officer):
    event = case_note(case=case, actor=officer, note="Caller sounded upset")

    assert event.public is False


def test_resolving_needs_an_honest_outcome(case, officer):
    with pytest.raises(DomainError) as not_fixed:
        case_resolve(case=case, actor=officer, outcome="not_fixed")
    with pytest.raises(DomainError) as referred:
        case_resolve(case=case, actor=officer, outcome="referred")
    with pytest.raises(DomainError) as unknown:
        case_resolve(case=case, actor=officer, outcome="sorted")

    assert (not_fixed.value.field, referred.value.field, unknown.value.field) == (
        "reason", "referred_to", "outcome",
    )
    case.refresh_from_db()
    assert case.status == "received"


def test_resolving_stops_the_clocks_and_tells_the_citizen(case, officer):
    with at(2026, 3, 4, 10, 0):
        case_resolve(case=case, actor=officer, outcome="fixed", root_cause="Old pipe",
                     redress="Apology")

    case.refresh_from_db()
    assert (case.status, case.outcome, case.root_cause) == ("resolved", "fixed", "Old pipe")
    assert case.resolved_at == sast(2026, 3, 4, 10, 0)
    assert case.next_check_at is None
    assert OutboxMessage.objects.filter(case=case, template="case_resolved").exists()


def test_reopening_restarts_the_resolution_clock(case, officer):
    with at(2026, 3, 4, 10, 0):
        case_resolve(case=case, actor=officer, outcome="fixed")
        case_close(case=case, actor=officer)
    with at(2026, 3, 16, 9, 0):
        case_reopen(case=case, actor=None, reason="Still leaking")

    case.refresh_from_db()
    assert case.status == "reopened" and case.reopen_count == 1 and case.outcome == ""
    assert case.resolve_due_at == sast(2026, 3, 23, 16, 30)
    assert case.next_check_at is not None


def test_a_closed_case_cannot_be_worked_without_reopening(case, officer):
    case_resolve(case=case, actor=officer, outcome="fixed")
    case_close(case=case, actor=officer)

    with pytest.raises(DomainError) as caught:
        case_start(case=case, actor=officer)

    assert "cannot be made in progress" in caught.value.message


def test_merging_resolves_the_duplicate_under_the_incident(world, case, officer):
    with at(2026, 3, 2, 11, 0):
        duplicate = case_open(draft=CaseDraft(
            service_code="water-leak", description="Same leak", channel="web",
            **inside(world.ward),
        ))
        case_merge(case=duplicate, into=case, actor=officer)

    duplicate.refresh_from_db()
    assert duplicate.parent == case
    assert (duplicate.status, duplicate.outcome) == ("resolved", "duplicate")
    assert duplicate.events.filter(kind=EventKind.MERGED).exists()
    assert list(case.duplicates.all()) == [duplicate]


def test_a_case_cannot_be_merged_into_itself(case, officer):
    with pytest.raises(DomainError):
        case_merge(case=case, into=case, actor=officer)

    assert Case.objects.get(pk=case.pk).status == "received"
