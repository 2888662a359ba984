"""The one status entry point: the transition table decides, the move's own
service acts."""

import pytest

from imbizo.cases.errors import CaseError
from imbizo.cases.models import Case, CaseEvent, EventKind
from imbizo.cases.services import Resolution, case_status_change
from imbizo.cases.transitions import ALLOWED, Status
from imbizo.core.errors import DomainError
from tests.cases.conftest import at, sast

pytestmark = pytest.mark.django_db





def move(case, to, actor, **details):
    return case_status_change(case=case, to=to, actor=actor, **details)


def test_each_allowed_move_goes_through_and_records_one_event(case, officer):
    path = [
        (Status.ACKNOWLEDGED, {}),
        (Status.ASSIGNED, {"assignee": officer}),
        (Status.IN_PROGRESS, {}),
        (Status.WAITING_CITIZEN, {"note": "Which meter?"}),
        (Status.WAITING_THIRD_PARTY, {"note": "The contractor"}),
        (Status.IN_PROGRESS, {}),
        (Status.RESOLVED, {"resolution": Resolution(outcome="fixed")}),
        (Status.CLOSED, {}),
        (Status.REOPENED, {"note": "Leaking again"}),
    ]
    with at(2026, 3, 2, 11, 0):
        for target, details in path:
            move(case, target, officer, **details)

    case.refresh_from_db()
    moves = list(case.events.exclude(kind=EventKind.OPENED)
                 .values_list("from_status", "to_status"))
    assert moves == [("received", "acknowledged"), *zip(
        [t.value for t, _d in path[:-1]], [t.value for t, _d in path[1:]], strict=True)]
    assert (case.status, case.assignee, case.reopen_count) == ("reopened", officer, 1)


def test_leaving_a_wait_resumes_the_clock_with_the_time_left(case, officer):
    with at(2026, 3, 2, 12, 0):
        move(case, "waiting_citizen", officer, note="Which meter number?")
    with at(2026, 3, 5, 8, 0):
        move(case, "in_progress", officer)

    case.refresh_from_db()
    assert case.status == "in_progress" and case.waiting_since is None
    assert case.resolve_due_at == sast(2026, 3, 12, 12, 30)


def test_the_moves_own_rules_still_apply(case, officer):
    with pytest.raises(DomainError) as no_outcome:
        move(case, "resolved", officer)
    with pytest.raises(DomainError) as no_reason:
        move(case, "waiting_third_party", officer, note=" ")

    assert (no_outcome.value.code, no_reason.value.field) == (CaseError.MISSING_OUTCOME, "note")


def test_the_reopening_reason_is_the_note(case, officer):
    move(case, "resolved", None, resolution=Resolution(outcome="fixed"))

    move(case, "reopened", None, note="Still leaking")

    event = case.events.get(kind=EventKind.REOPENED)
    assert (event.note, event.details) == ("Still leaking", {"by_citizen": True, "channel": "api"})


RESOLVE = ("resolved", {"resolution": Resolution(outcome="fixed")})


@pytest.mark.parametrize(("before", "target"), [
    ([], "reopened"),
    ([], "received"),
    ([RESOLVE], "in_progress"),
    ([RESOLVE, ("closed", {})], "acknowledged"),
])
def test_a_move_the_table_forbids_is_refused_and_changes_nothing(case, officer, before, target):
    for status, details in before:
        move(case, status, officer, **details)
    status_before = Case.objects.get(pk=case.pk).status
    assert Status(target) not in ALLOWED[Status(status_before)]
    events_before = CaseEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        move(case, target, officer, note="Again")

    assert refused.value.code == CaseError.TRANSITION_NOT_ALLOWED
    assert Case.objects.get(pk=case.pk).status == status_before
    assert CaseEvent.objects.count() == events_before


def test_a_status_that_is_not_one_is_refused(case, officer):
    with pytest.raises(DomainError) as refused:
        move(case, "sorted", officer)

    assert (refused.value.code, refused.value.field) == (CaseError.INVALID_CHOICE, "status")
    case.refresh_from_db()
    assert case.status == "received"
