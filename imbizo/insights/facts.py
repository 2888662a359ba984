"""What each change to a case or a rating adds to the figures: pure rules.

No ORM and no clock: callers pass the case (any object with the Case fields
named below) and what happened. The same rules, written as SQL, rebuild the
rollups from the raw tables (insights.rollups); docs/adr/0006-rollups.md and
docs/insights.md give the definitions in words.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .models import RESOLVE_BUCKETS, RESOLVE_HOURS_EDGES

OPEN = frozenset({"received", "acknowledged", "assigned", "in_progress", "waiting_citizen",
                  "waiting_third_party", "reopened"})
DONE = frozenset({"resolved", "closed"})
# The answer that says how satisfied the citizen is overall, in order of preference.
OUTCOME_DRIVERS = ("overall", "satisfaction")


@dataclass(frozen=True)
class Fact:
    """Signed counts that happened at `at` to one case."""

    at: datetime
    counts: dict[str, int] = field(default_factory=dict)


def resolve_bucket(hours: float) -> str:
    """The histogram column for a first resolution that took `hours`."""
    for i, edge in enumerate(RESOLVE_HOURS_EDGES):
        if hours < edge:
            return RESOLVE_BUCKETS[i]
    return RESOLVE_BUCKETS[-1]


def _stock(case) -> dict[str, int]:
    if case.status not in OPEN:
        return {}
    return {"open": 1, "open_overdue": int(case.resolve_breached_at is not None),
            "open_escalated": int(case.escalation_level > 0)}


def _ack(case) -> Fact | None:
    """A case's acknowledgement counts once: met, or missed when the sweep saw the
    deadline pass (or it came late before the sweep did). A person's
    acknowledgement only: the system's, on receipt where the office chose it, is
    counted apart when the case opens (ack_auto) and stops no clock."""
    if case.ack_due_at is None:
        return None
    if case.ack_breached_at is not None:
        return Fact(case.ack_breached_at, {"ack_missed": 1})
    if case.acknowledged_at is None:
        return None
    met = case.acknowledged_at <= case.ack_due_at
    return Fact(case.acknowledged_at, {"ack_met" if met else "ack_missed": 1})


def opening_counts(case) -> dict[str, int]:
    """The counts of a new case (insights.receivers adds "open")."""
    return _opening(case)


def _resolution(case, *, at: datetime, on_time: bool | None, first: bool) -> dict[str, int]:
    counts = {"resolved": 1}
    if on_time is not None:
        counts["resolved_on_time" if on_time else "resolved_late"] = 1
    if first:
        counts["first_resolved"] = 1
        counts[resolve_bucket((at - case.opened_at).total_seconds() / 3600)] = 1
    return counts


def _plus(*parts: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = {}
    for part in parts:
        for name, value in part.items():
            total[name] = total.get(name, 0) + value
    return {k: v for k, v in total.items() if v}


def _opening(case) -> dict[str, int]:
    """What a case counts as it opens: itself, and the system's acknowledgement
    where its office sends one on receipt (no person has acknowledged yet)."""
    return {"opened": 1, "ack_auto": int(case.acknowledged_by_system)}


def change_facts(case, *, event, acknowledged_before: datetime | None) -> list[Fact]:
    """A recorded change (`case` in its new state, `event` the change: a status
    move or an acknowledgement)."""
    facts = []
    if acknowledged_before is None and case.acknowledged_at is not None:
        ack = _ack(case)
        if ack is not None and ack.at == case.acknowledged_at and case.ack_breached_at is None:
            facts.append(ack)
    source, target = event.from_status, event.to_status
    if source in OPEN and target in DONE:
        on_time = event.details.get("on_time") if case.standard_id else None
        counts = _resolution(case, at=event.at, on_time=on_time, first=case.reopen_count == 0)
        counts.update({"open": -1, "open_overdue": -int(case.resolve_breached_at is not None),
                       "open_escalated": -int(case.escalation_level > 0)})
        facts.append(Fact(event.at, _plus(counts)))
    elif target == "reopened":
        facts.append(Fact(event.at, {"reopened": 1, "open": 1}))
    return facts


def sweep_facts(fired: Iterable) -> list[Fact]:
    """What the clock sweep fired for one case (each with kind, at, details)."""
    facts = []
    for f in fired:
        if f.kind == "ack_breached":
            facts.append(Fact(f.at, {"ack_missed": 1}))
        elif f.kind == "breached":
            facts.append(Fact(f.at, {"breached": 1, "open_overdue": 1}))
        elif f.kind == "escalated":
            first = f.details.get("level") == 1
            facts.append(Fact(f.at, {"escalated": 1, "open_escalated": int(first)}))
    return [f for f in facts if f.counts]


def case_facts(case, events: Sequence) -> list[Fact]:
    """Everything one case contributes, from its row and its events (ordered by
    at, id). Summed over all cases this is what the rollups hold; it moves a
    case's history when the case changes office."""
    facts = [Fact(case.opened_at, _plus(_opening(case), _stock(case)))]
    ack = _ack(case)
    if ack is not None:
        facts.append(ack)
    last_cycle_event = "opened"
    reopened = False
    for event in events:
        if event.kind in ("opened", "reopened", "breached"):
            last_cycle_event = event.kind
        if event.kind == "breached":
            facts.append(Fact(event.at, {"breached": 1}))
        elif event.kind == "escalated":
            facts.append(Fact(event.at, {"escalated": 1}))
        elif event.kind == "reopened":
            facts.append(Fact(event.at, {"reopened": 1}))
        if event.from_status in OPEN and event.to_status in DONE:
            on_time = None
            if case.standard_id:
                on_time = event.details.get("on_time", last_cycle_event != "breached")
            facts.append(Fact(event.at, _resolution(case, at=event.at, on_time=on_time,
                                                    first=not reopened)))
        if event.kind == "reopened":
            reopened = True
    return facts


def negate(facts: Iterable[Fact]) -> list[Fact]:
    return [Fact(f.at, {k: -v for k, v in f.counts.items()}) for f in facts]


@dataclass(frozen=True)
class RatingFact:
    driver: str
    counts: dict[str, int]


def rating_facts(answers: Iterable[tuple[str, int]]) -> list[RatingFact]:
    """Sums per driver for one response's 1-5 answers, as (driver, number) pairs.

    Each answer is also paired with the response's overall answer (the first of
    OUTCOME_DRIVERS it has; the largest, should a survey ask twice).
    """
    answers = list(answers)
    outcome = None
    for driver in OUTCOME_DRIVERS:
        numbers = [n for d, n in answers if d == driver]
        if numbers:
            outcome = max(numbers)
            break
    sums: dict[str, dict[str, int]] = {}
    for driver, x in answers:
        s = sums.setdefault(driver, dict.fromkeys(("n", "total", "total_sq", "pn", "px", "py",
                                                   "pxx", "pyy", "pxy"), 0))
        s["n"] += 1
        s["total"] += x
        s["total_sq"] += x * x
        if outcome is not None:
            y = outcome
            s["pn"] += 1
            s["px"] += x
            s["py"] += y
            s["pxx"] += x * x
            s["pyy"] += y * y
            s["pxy"] += x * y
    return [RatingFact(driver, counts) for driver, counts in sums.items()]
