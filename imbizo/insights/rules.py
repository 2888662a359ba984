"""Pure rules behind the pages: the hotspot test and driver importance.

No ORM, no clock (docs/adr/0006-rollups.md, docs/adr/0007-satisfaction-drivers.md).
"""

import math
from dataclasses import dataclass

# Hotspots: the last 7 days of a ward against its own 28 days before them.
HOTSPOT_MIN_CASES = 10
HOTSPOT_MIN_RATIO = 1.5
HOTSPOT_MAX_P = 0.001
# Drivers: correlations from fewer paired answers than this are not shown.
DRIVER_MIN_PAIRS = 30


def poisson_tail(k: int, rate: float) -> float:
    """P(X >= k) for X ~ Poisson(rate), computed in log space (stable for large rates).

    Above the rate the upper tail's terms shrink from the first, so it is summed
    directly (a few dozen terms for a hotspot); at or below it the k terms under
    k are summed and taken from one."""
    if k <= 0:
        return 1.0
    if rate <= 0:
        return 0.0
    if k > rate:
        return _upper_tail(k, rate)
    log_terms = [-rate + i * math.log(rate) - math.lgamma(i + 1) for i in range(k)]
    top = max(log_terms)
    below = math.exp(top) * sum(math.exp(t - top) for t in log_terms)
    if below < 0.5:
        return max(0.0, 1.0 - below)
    return _upper_tail(k, rate)


def _upper_tail(k: int, rate: float) -> float:
    """Sum P(X = i) for i >= k until the terms vanish."""
    total, i = 0.0, k
    log_rate = math.log(rate)
    log_term = -rate + k * log_rate - math.lgamma(k + 1)
    while True:
        term = math.exp(log_term)
        total += term
        i += 1
        log_term += log_rate - math.log(i)
        if term < 1e-17 * max(total, 1e-300) or i > k + 10 * (rate + 10):
            return min(1.0, total)


@dataclass(frozen=True)
class HotspotVerdict:
    recent: int
    expected: float
    ratio: float
    p_value: float
    is_hotspot: bool


def hotspot_possible(*, recent: int, baseline: int) -> bool:
    """False when the counts alone rule a hotspot out (too few cases, or not
    HOTSPOT_MIN_RATIO times the expected): the cheap test a page runs before
    the Poisson tail, which costs time in proportion to `recent`. In a steady
    province every ward has hundreds of cases a week and fails this test."""
    return (recent >= HOTSPOT_MIN_CASES
            and recent / _expected(baseline) >= HOTSPOT_MIN_RATIO)


def _expected(baseline: int) -> float:
    return max(baseline / 4, 1.0)


def hotspot(*, recent: int, baseline: int) -> HotspotVerdict:
    """`recent`: cases opened in the last 7 days; `baseline`: in the 28 days before.

    Expected = baseline / 4 (at least 1). A hotspot has at least
    HOTSPOT_MIN_CASES cases, at least HOTSPOT_MIN_RATIO times the expected,
    and a Poisson chance under HOTSPOT_MAX_P of so many at the expected rate.
    """
    expected = _expected(baseline)
    p_value = poisson_tail(recent, expected)
    ratio = recent / expected
    return HotspotVerdict(
        recent=recent, expected=expected, ratio=ratio, p_value=p_value,
        is_hotspot=recent >= HOTSPOT_MIN_CASES and ratio >= HOTSPOT_MIN_RATIO
        and p_value < HOTSPOT_MAX_P)


def correlation(*, n: float, sx: float, sy: float, sxx: float, syy: float,
                sxy: float) -> float | None:
    """Pearson's r from sums; None when either side does not vary."""
    if n < 2:
        return None
    cov = n * sxy - sx * sy
    vx = n * sxx - sx * sx
    vy = n * syy - sy * sy
    if vx <= 0 or vy <= 0:
        return None
    return max(-1.0, min(1.0, cov / math.sqrt(vx * vy)))


@dataclass(frozen=True)
class DriverScore:
    driver: str
    answers: int
    mean: float | None  # performance, 1-5
    pairs: int
    importance: float | None  # correlation with overall satisfaction


def driver_scores(sums: dict[str, dict[str, float]], *, outcome: str = "overall",
                  min_pairs: int = DRIVER_MIN_PAIRS) -> list[DriverScore]:
    """Importance and performance of each driver from rating sums (DailyRatings
    columns per driver), most important first; the outcome itself is left out."""
    scores = []
    for driver, s in sums.items():
        if driver == outcome:
            continue
        r = correlation(n=s["pn"], sx=s["px"], sy=s["py"], sxx=s["pxx"], syy=s["pyy"],
                        sxy=s["pxy"]) if s["pn"] >= min_pairs else None
        mean = s["total"] / s["n"] if s["n"] else None
        scores.append(DriverScore(driver=driver, answers=int(s["n"]), mean=mean,
                                  pairs=int(s["pn"]), importance=r))
    return sorted(scores, key=lambda d: (d.importance is None, -(d.importance or 0), d.driver))
