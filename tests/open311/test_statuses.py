"""The status table: every status and outcome of ours reads as one Open311 and one
FixMyStreet state, and the table says what docs/open311.md says."""

import re
from pathlib import Path

import pytest

from imbizo.cases.models import Outcome
from imbizo.cases.transitions import DONE_STATUSES, OPEN_STATUSES, Status
from imbizo.open311.statuses import (
    EXTENDED_OF_OPEN,
    EXTENDED_OF_OUTCOME,
    ExtendedStatus,
    client_state,
    extended_status,
    open311_status,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "open311.md"


@pytest.mark.parametrize("status", list(Status))
def test_every_status_is_open_or_closed_as_the_life_cycle_says(status):
    expected = "open" if status in OPEN_STATUSES else "closed"

    assert open311_status(status) == expected


def test_every_open_status_has_an_extended_state():
    assert set(EXTENDED_OF_OPEN) == set(OPEN_STATUSES)


def test_every_outcome_has_an_extended_state():
    assert set(Outcome.values) <= set(EXTENDED_OF_OUTCOME)


@pytest.mark.parametrize(("outcome", "state"), [
    ("fixed", "FIXED"), ("not_fixed", "NO_FURTHER_ACTION"),
    ("referred", "NOT_COUNCILS_RESPONSIBILITY"), ("duplicate", "DUPLICATE"),
    ("withdrawn", "CLOSED"),
])
def test_a_done_case_reads_by_its_outcome(outcome, state):
    for status in DONE_STATUSES:
        assert extended_status(status, outcome) == state


def test_work_in_hand_reads_as_in_progress():
    assert extended_status("in_progress") == "IN_PROGRESS"
    assert extended_status("assigned") == "ACTION_SCHEDULED"
    assert extended_status("received") == "OPEN"


@pytest.mark.parametrize(("text", "state"), [
    ("OPEN", "OPEN"), ("closed", "CLOSED"), ("in progress", "IN_PROGRESS"),
    ("Not_Councils_Responsibility", "NOT_COUNCILS_RESPONSIBILITY"), ("REOPENED", "REOPEN"),
    ("maybe", None), ("", None),
])
def test_a_clients_state_is_read_as_fixmystreet_writes_it(text, state):
    assert client_state(text) == (ExtendedStatus(state) if state else None)


def test_the_documented_table_is_the_table_in_code():
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| `(\w+)` \|", DOCS.read_text(), re.MULTILINE)
    documented = {ours: (plain, extended) for ours, plain, extended in rows}

    expected = {s.value: (open311_status(s).value, EXTENDED_OF_OPEN[s].value)
                for s in OPEN_STATUSES}
    expected.update({o: ("closed", EXTENDED_OF_OUTCOME[o].value) for o in Outcome.values})
    assert documented == expected
