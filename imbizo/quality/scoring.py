"""Score formulas of the quality programme: pure functions, no ORM, no clock.

A visit scores each checklist item from 1 (poor) to 4 (excellent). An area's
score is the mean of its items, the overall score the mean of all items
(every item weighs the same, so an area with more items counts for more).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

LOWEST, HIGHEST = 1, 4


@dataclass(frozen=True)
class ItemScore:
    item_id: int
    area: str
    score: int


@dataclass(frozen=True)
class Scorecard:
    areas: dict[str, float]  # area -> mean, in checklist order
    items: dict[int, int]  # item id -> score
    overall: float | None

    @property
    def percent(self) -> int | None:
        """The overall score on 0-100 (1 is 0, 4 is 100), for people who think in percent."""
        if self.overall is None:
            return None
        return round((self.overall - LOWEST) / (HIGHEST - LOWEST) * 100)


def score_valid(score: int) -> bool:
    return isinstance(score, int) and LOWEST <= score <= HIGHEST


def scorecard(scores: Iterable[ItemScore]) -> Scorecard:
    """Area means and the overall mean of the scored items (two decimals)."""
    by_area: dict[str, list[int]] = {}
    items: dict[int, int] = {}
    for entry in scores:
        by_area.setdefault(entry.area, []).append(entry.score)
        items[entry.item_id] = entry.score
    values = list(items.values())
    return Scorecard(
        areas={area: round(sum(v) / len(v), 2) for area, v in by_area.items()},
        items=items,
        overall=round(sum(values) / len(values), 2) if values else None,
    )


@dataclass(frozen=True)
class Change:
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)


@dataclass(frozen=True)
class Comparison:
    areas: dict[str, Change]
    items: dict[int, Change]
    overall: Change


def compare(before: Scorecard, after: Scorecard) -> Comparison:
    """Baseline against re-visit, per area, per item and overall."""
    areas = list(dict.fromkeys([*before.areas, *after.areas]))
    items = list(dict.fromkeys([*before.items, *after.items]))
    return Comparison(
        areas={a: Change(before.areas.get(a), after.areas.get(a)) for a in areas},
        items={i: Change(before.items.get(i), after.items.get(i)) for i in items},
        overall=Change(before.overall, after.overall),
    )


# --- actions: judged on the figure they were meant to move ---------------------------


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


class Verdict(StrEnum):
    EFFECTIVE = "effective"
    NOT_EFFECTIVE = "not_effective"
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence"


@dataclass(frozen=True)
class Windows:
    before_since: datetime
    before_until: datetime
    after_since: datetime
    after_until: datetime

    @property
    def after_started(self) -> bool:
        return self.after_until > self.after_since


def windows(*, agreed_at: datetime, due_at: datetime, days: int, now: datetime) -> Windows:
    """The periods an action is judged on.

    Before: the `days` days up to the moment the action was agreed. After: from
    the due instant (the change should be in place) until `now`, at most
    `days` long. Before the due instant the after window is empty.
    """
    span = timedelta(days=days)
    after_until = max(due_at, min(now, due_at + span))
    return Windows(before_since=agreed_at - span, before_until=agreed_at,
                   after_since=due_at, after_until=after_until)


# Cases or answers in each window before a figure is taken as evidence; callers
# pass the MIN_ANSWERS_SHOWN setting (imbizo.core.evidence), of which this is the default.
MIN_EVIDENCE = 5


def verdict(*, before: float | None, before_count: int, after: float | None, after_count: int,
            direction: Direction, target: float | None = None,
            min_count: int = MIN_EVIDENCE) -> Verdict:
    """Whether an action worked, from the figure before it and after its due date.

    Effective when both windows hold at least `min_count` observations, the
    figure moved in the expected direction, and it reached `target` if one was
    set. A figure that stood still is not effective: the work changed nothing
    a citizen could notice.
    """
    if before is None or after is None or before_count < min_count or after_count < min_count:
        return Verdict.NOT_ENOUGH_EVIDENCE
    moved = after > before if direction == Direction.UP else after < before
    if target is not None:
        moved = moved and (after >= target if direction == Direction.UP else after <= target)
    return Verdict.EFFECTIVE if moved else Verdict.NOT_EFFECTIVE


# --- learning from cases --------------------------------------------------------------


@dataclass(frozen=True)
class Classification:
    outcome: str  # "success" or "failure"
    principle: str
    strategy: str | None  # only for failures: what would fix it


def story_points(key: Classification, answer: Classification) -> tuple[int, int]:
    """(points, out of) for a staff member's classification against the supervisor's.

    One point each for the outcome and the principle; for a failure, one more
    for the strategy. A success has no strategy to pick, so it is out of two.
    """
    points = int(answer.outcome == key.outcome) + int(answer.principle == key.principle)
    if key.outcome == "failure":
        return points + int(answer.strategy == key.strategy), 3
    return points, 2


def percent(points: Sequence[tuple[int, int]]) -> int | None:
    """Overall share of points earned, 0-100, or None before any answer."""
    got = sum(p for p, _ in points)
    out_of = sum(m for _, m in points)
    return round(got / out_of * 100) if out_of else None


# --- recognition ------------------------------------------------------------------------


@dataclass(frozen=True)
class RecognitionBar:
    """What surfaces a staff member or a team as a candidate for recognition."""

    compliments: int
    min_responses: int
    min_average: float


STAFF_BAR = RecognitionBar(compliments=1, min_responses=5, min_average=4.5)
TEAM_BAR = RecognitionBar(compliments=2, min_responses=20, min_average=4.3)


def is_candidate(*, compliments: int, average: float | None, responses: int,
                 bar: RecognitionBar) -> bool:
    """Praised by citizens often enough, or rated consistently high by enough of them."""
    if compliments >= bar.compliments:
        return True
    return average is not None and responses >= bar.min_responses and average >= bar.min_average
