"""How our case statuses read in Open311: a pure table, documented in docs/open311.md.

GeoReport v2 knows two statuses, `open` and `closed`. FixMyStreet's extension
adds finer states (IN_PROGRESS, FIXED, DUPLICATE, ...); we give them in
`extended_status` (with extensions=true) and in servicerequestupdates. A
resolved or closed case reads by its outcome: fixed is FIXED, a duplicate
DUPLICATE, and so on.
"""

from enum import StrEnum

from imbizo.cases.models import Outcome
from imbizo.cases.transitions import DONE_STATUSES, OPEN_STATUSES, Status


class Open311Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ExtendedStatus(StrEnum):
    """FixMyStreet's extended states, as it sends and expects them."""

    OPEN = "OPEN"
    INVESTIGATING = "INVESTIGATING"
    ACTION_SCHEDULED = "ACTION_SCHEDULED"
    IN_PROGRESS = "IN_PROGRESS"
    FIXED = "FIXED"
    NO_FURTHER_ACTION = "NO_FURTHER_ACTION"
    NOT_COUNCILS_RESPONSIBILITY = "NOT_COUNCILS_RESPONSIBILITY"
    DUPLICATE = "DUPLICATE"
    INTERNAL_REFERRAL = "INTERNAL_REFERRAL"
    CLOSED = "CLOSED"
    REOPEN = "REOPEN"


# Our status (while a case is open) -> the extended state.
EXTENDED_OF_OPEN: dict[Status, ExtendedStatus] = {
    Status.RECEIVED: ExtendedStatus.OPEN,
    Status.ACKNOWLEDGED: ExtendedStatus.INVESTIGATING,
    Status.ASSIGNED: ExtendedStatus.ACTION_SCHEDULED,
    Status.IN_PROGRESS: ExtendedStatus.IN_PROGRESS,
    Status.WAITING_CITIZEN: ExtendedStatus.INVESTIGATING,
    Status.WAITING_THIRD_PARTY: ExtendedStatus.IN_PROGRESS,
    Status.REOPENED: ExtendedStatus.OPEN,
}

# The outcome of a resolved or closed case -> the extended state.
EXTENDED_OF_OUTCOME: dict[str, ExtendedStatus] = {
    Outcome.FIXED: ExtendedStatus.FIXED,
    Outcome.NOT_FIXED: ExtendedStatus.NO_FURTHER_ACTION,
    Outcome.REFERRED: ExtendedStatus.NOT_COUNCILS_RESPONSIBILITY,
    Outcome.DUPLICATE: ExtendedStatus.DUPLICATE,
    Outcome.WITHDRAWN: ExtendedStatus.CLOSED,
    "": ExtendedStatus.CLOSED,
}

# Statuses a client may ask for (GET requests?status=...) -> ours.
STATUSES_OF: dict[Open311Status, frozenset[Status]] = {
    Open311Status.OPEN: OPEN_STATUSES,
    Open311Status.CLOSED: DONE_STATUSES,
}

# A client's update (POST servicerequestupdates) in one of these states reopens a
# resolved or closed case. Only REOPEN: a plain OPEN is what a client sends with
# any comment while its own copy is still open, perhaps before it has heard
# that we resolved the case; a thank-you must not reopen it.
REOPENING_STATES = frozenset({ExtendedStatus.REOPEN})


def open311_status(status: str) -> Open311Status:
    """`open` or `closed` for one of our statuses."""
    return Open311Status.OPEN if Status(status) in OPEN_STATUSES else Open311Status.CLOSED


def extended_status(status: str, outcome: str = "") -> ExtendedStatus:
    """The FixMyStreet state for a case in `status` with `outcome` (when done)."""
    if Status(status) in OPEN_STATUSES:
        return EXTENDED_OF_OPEN[Status(status)]
    return EXTENDED_OF_OUTCOME.get(outcome, ExtendedStatus.CLOSED)


def client_state(text: str) -> ExtendedStatus | None:
    """A client's status as one of the extended states (any case, spaces for
    underscores, as FixMyStreet writes them), or None when it is none of them."""
    normalised = text.strip().upper().replace(" ", "_")
    if normalised == "REOPENED":
        normalised = "REOPEN"
    try:
        return ExtendedStatus(normalised)
    except ValueError:
        return None
