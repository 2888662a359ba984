"""The life of an improvement action: which status may follow which. Pure data
and functions; quality.services applies them and records each change.

An action is agreed open; it ends judged on its figure (effective or not)
or cancelled with a reason. An ended action stays as it ended.
"""

from enum import StrEnum


class ActionState(StrEnum):
    OPEN = "open"
    EFFECTIVE = "effective"
    NOT_EFFECTIVE = "not_effective"
    CANCELLED = "cancelled"


JUDGED_STATES = frozenset({ActionState.EFFECTIVE, ActionState.NOT_EFFECTIVE})
ENDED_STATES = frozenset({*JUDGED_STATES, ActionState.CANCELLED})

# from -> allowed next statuses
ALLOWED: dict[ActionState, frozenset[ActionState]] = {
    ActionState.OPEN: ENDED_STATES,
    ActionState.EFFECTIVE: frozenset(),
    ActionState.NOT_EFFECTIVE: frozenset(),
    ActionState.CANCELLED: frozenset(),
}


def may_move(source: ActionState, target: ActionState) -> bool:
    """Whether an action in `source` may be moved to `target`."""
    return target in ALLOWED[ActionState(source)]
