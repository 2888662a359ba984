import pytest

from imbizo.cases.transitions import (
    ALLOWED,
    DONE_STATUSES,
    OPEN_STATUSES,
    ClockEffect,
    Status,
    move,
)


def test_every_status_has_its_row_in_the_table():
    assert set(ALLOWED) == set(Status)


def test_open_and_done_statuses_cover_every_status_once():
    assert set(Status) == OPEN_STATUSES | DONE_STATUSES
    assert not OPEN_STATUSES & DONE_STATUSES


@pytest.mark.parametrize(
    ("source", "target", "effect"),
    [
        (Status.IN_PROGRESS, Status.WAITING_CITIZEN, ClockEffect.PAUSE),
        (Status.WAITING_CITIZEN, Status.IN_PROGRESS, ClockEffect.RESUME),
        (Status.WAITING_CITIZEN, Status.WAITING_THIRD_PARTY, ClockEffect.NONE),
        (Status.IN_PROGRESS, Status.RESOLVED, ClockEffect.STOP),
        (Status.RESOLVED, Status.CLOSED, ClockEffect.NONE),
        (Status.CLOSED, Status.REOPENED, ClockEffect.RESTART),
        (Status.RECEIVED, Status.ACKNOWLEDGED, ClockEffect.NONE),
    ],
)
def test_clock_effect_of_a_move(source, target, effect):
    assert move(source, target).clock == effect


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (Status.CLOSED, Status.IN_PROGRESS),
        (Status.RESOLVED, Status.ACKNOWLEDGED),
        (Status.RECEIVED, Status.REOPENED),
        (Status.IN_PROGRESS, Status.RECEIVED),
    ],
)
def test_forbidden_moves_raise(source, target):
    with pytest.raises(ValueError, match="cannot go from"):
        move(source, target)


def test_nothing_returns_to_received():
    assert all(Status.RECEIVED not in targets for targets in ALLOWED.values())


def test_a_done_case_can_only_close_or_reopen():
    assert ALLOWED[Status.RESOLVED] == {Status.CLOSED, Status.REOPENED}
    assert ALLOWED[Status.CLOSED] == {Status.REOPENED}
