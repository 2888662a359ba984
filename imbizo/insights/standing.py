"""How the public scorecard reads: how many standards were kept, the five
furthest from their promise, which way each is going, and the table's order
and search. Pure functions over the scorecard's rows: no ORM, no clock."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# A trend compares the first and the last few months of the period, each
# judged only on enough cases, and calls a change of this many points a move.
TREND_MONTHS = 3
TREND_MIN_CASES = 30
TREND_POINTS = 8.0
WORST_SHOWN = 5


class Trend(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STEADY = "steady"
    UNKNOWN = ""  # too few months or cases to say


def trend_of(months: Sequence[tuple[object, object]]) -> Trend:
    """Which way the share resolved in time went over `months` ((month, Score)
    oldest first): the first TREND_MONTHS against the last, each pooled."""
    judged = [score for _month, score in months if score.resolve_cases]
    if len(judged) < 2 * TREND_MONTHS:
        return Trend.UNKNOWN
    first, last = _pooled(judged[:TREND_MONTHS]), _pooled(judged[-TREND_MONTHS:])
    if first is None or last is None:
        return Trend.UNKNOWN
    change = (last - first) * 100
    if change >= TREND_POINTS:
        return Trend.IMPROVING
    if change <= -TREND_POINTS:
        return Trend.WORSENING
    return Trend.STEADY


def _pooled(scores) -> float | None:
    cases = sum(s.resolve_cases for s in scores)
    if cases < TREND_MIN_CASES:
        return None
    return sum(s.resolve_share * s.resolve_cases for s in scores) / cases


def gap(score) -> float | None:
    """Points by which the share resolved in time falls short of the target
    (negative: above it); None when the service is not judged."""
    if score.meets is None:
        return None
    return score.target - score.resolve_share * 100


@dataclass(frozen=True)
class Summary:
    kept: int
    missed: int
    unjudged: int
    worst: list  # the judged rows furthest below (or least above) their target
    improving: int

    @property
    def judged(self) -> int:
        return self.kept + self.missed


def summary_of(rows: Sequence, trends: dict[str, Trend]) -> Summary:
    """`rows` are ServiceScores; `trends` by service code."""
    judged = [r for r in rows if r.score.meets is not None]
    worst = sorted(judged, key=lambda r: (-gap(r.score), r.service.name))[:WORST_SHOWN]
    kept = sum(1 for r in judged if r.score.meets)
    return Summary(kept=kept, missed=len(judged) - kept, unjudged=len(rows) - len(judged),
                   worst=worst,
                   improving=sum(1 for t in trends.values() if t == Trend.IMPROVING))


# The table's columns that sort, each with its key; None values go last.
_VERDICT_ORDER = {False: 0, True: 1, None: 2}
_TREND_ORDER = {Trend.WORSENING: 0, Trend.STEADY: 1, Trend.IMPROVING: 2, Trend.UNKNOWN: 3}
SORT_KEYS = {
    "service": lambda r, t: r.service.name.casefold(),
    "group": lambda r, t: (r.service.group.casefold(), r.service.name.casefold()),
    "share": lambda r, t: r.score.resolve_share,
    "target": lambda r, t: r.score.target,
    "ack": lambda r, t: r.score.ack_share,
    "resolved": lambda r, t: r.score.resolved,
    "pledge": lambda r, t: (_VERDICT_ORDER[r.score.meets], -(gap(r.score) or 0)),
    "trend": lambda r, t: _TREND_ORDER[t.get(r.service.code, Trend.UNKNOWN)],
}
DEFAULT_SORT = "pledge"


def sort_parse(text: str) -> tuple[str, bool]:
    """'share' -> ('share', False); '-share' -> ('share', True); anything
    else -> the default order."""
    descending = text.startswith("-")
    column = text.lstrip("-")
    if column not in SORT_KEYS:
        return DEFAULT_SORT, False
    return column, descending


def rows_sorted(rows: Sequence, trends: dict[str, Trend], *, column: str,
                descending: bool) -> list:
    key = SORT_KEYS[column]
    present = [r for r in rows if key(r, trends) is not None]
    missing = [r for r in rows if key(r, trends) is None]
    ordered = sorted(present, key=lambda r: (key(r, trends), r.service.name.casefold()),
                     reverse=descending)
    return ordered + sorted(missing, key=lambda r: r.service.name.casefold())


def rows_matching(rows: Sequence, query: str) -> list:
    """Rows whose service name, code or group holds every word of `query`."""
    words = query.casefold().split()
    if not words:
        return list(rows)
    return [r for r in rows
            if all(w in f"{r.service.name} {r.service.code} {r.service.group}".casefold()
                   for w in words)]
