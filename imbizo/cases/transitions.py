"""The case life-cycle: which status may follow which, and what each move does
to the resolution clock. Pure data and functions; services apply them."""

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_CITIZEN = "waiting_citizen"
    WAITING_THIRD_PARTY = "waiting_third_party"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


class ClockEffect(StrEnum):
    NONE = "none"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    RESTART = "restart"


OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.ACKNOWLEDGED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.WAITING_CITIZEN,
        Status.WAITING_THIRD_PARTY,
        Status.REOPENED,
    }
)
WAITING_STATUSES = frozenset({Status.WAITING_CITIZEN, Status.WAITING_THIRD_PARTY})
DONE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})

_WORKING = (Status.ACKNOWLEDGED, Status.ASSIGNED, Status.IN_PROGRESS)

# from -> allowed next statuses
ALLOWED: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({*_WORKING, *WAITING_STATUSES, Status.RESOLVED, Status.CLOSED}),
    Status.ACKNOWLEDGED: frozenset(
        {Status.ASSIGNED, Status.IN_PROGRESS, *WAITING_STATUSES, Status.RESOLVED, Status.CLOSED}
    ),
    Status.ASSIGNED: frozenset(
        {Status.ASSIGNED, Status.IN_PROGRESS, *WAITING_STATUSES, Status.RESOLVED, Status.CLOSED}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.ASSIGNED, *WAITING_STATUSES, Status.RESOLVED, Status.CLOSED}
    ),
    Status.WAITING_CITIZEN: frozenset(
        {Status.IN_PROGRESS, Status.ASSIGNED, Status.WAITING_THIRD_PARTY, Status.RESOLVED,
         Status.CLOSED}
    ),
    Status.WAITING_THIRD_PARTY: frozenset(
        {Status.IN_PROGRESS, Status.ASSIGNED, Status.WAITING_CITIZEN, Status.RESOLVED,
         Status.CLOSED}
    ),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset(
        {Status.ACKNOWLEDGED, Status.ASSIGNED, Status.IN_PROGRESS, *WAITING_STATUSES,
         Status.RESOLVED, Status.CLOSED}
    ),
}


@dataclass(frozen=True)
class Move:
    source: Status
    target: Status
    clock: ClockEffect


def move(source: Status, target: Status) -> Move:
    """The move from `source` to `target`, or ValueError when the life-cycle forbids it."""
    if target not in ALLOWED[source]:
        raise ValueError(f"A case cannot go from {source.value} to {target.value}.")
    return Move(source, target, _clock_effect(source, target))


def _clock_effect(source: Status, target: Status) -> ClockEffect:
    if target == Status.REOPENED:
        return ClockEffect.RESTART
    if target in DONE_STATUSES:
        return ClockEffect.NONE if source in DONE_STATUSES else ClockEffect.STOP
    if target in WAITING_STATUSES and source not in WAITING_STATUSES:
        return ClockEffect.PAUSE
    if source in WAITING_STATUSES and target not in WAITING_STATUSES:
        return ClockEffect.RESUME
    return ClockEffect.NONE
