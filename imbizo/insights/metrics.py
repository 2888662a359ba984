"""The figures other apps may ask for (insights.selectors.figure), as data.

Each metric is a ratio or a total of rollup measures; definitions in words
are in docs/insights.md. Pure: no ORM.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import RESOLVE_BUCKETS, RESOLVE_HOURS_EDGES


class Metric(StrEnum):
    """Stable names: other apps store them (e.g. in action plans)."""

    OPENED = "opened"
    RESOLVED = "resolved"
    BREACHED = "breached"
    ESCALATED = "escalated"
    REOPENED = "reopened"
    SHARE_ACKNOWLEDGED_IN_TIME = "share_acknowledged_in_time"
    SHARE_RESOLVED_IN_TIME = "share_resolved_in_time"
    REOPEN_RATE = "reopen_rate"
    MEDIAN_DAYS_TO_RESOLVE = "median_days_to_resolve"
    OPEN_NOW = "open_now"
    OVERDUE_NOW = "overdue_now"
    RATING_OVERALL = "rating_overall"
    RATING_SATISFACTION = "rating_satisfaction"
    RATING_CONCERN = "rating_concern"
    RATING_FRIENDLINESS = "rating_friendliness"
    RATING_CIVILITY = "rating_civility"  # courtesy and respect
    RATING_HELPFULNESS = "rating_helpfulness"
    RATING_TIMELINESS = "rating_timeliness"
    RATING_EASE = "rating_ease"
    RATING_EFFECTIVENESS = "rating_effectiveness"
    RATING_EFFICIENCY = "rating_efficiency"
    RATING_FAIRNESS = "rating_fairness"
    RATING_TRUST = "rating_trust"


class Kind(StrEnum):
    COUNT = "count"
    SHARE = "share"  # 0 to 1
    MEAN = "mean"  # 1 to 5
    DAYS = "days"


@dataclass(frozen=True)
class MetricRule:
    label: object
    kind: Kind
    family: str  # "cases", "ratings" or "stock"
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    driver: str = ""


def _rating(driver: str, label) -> MetricRule:
    return MetricRule(label, Kind.MEAN, "ratings", ("total",), ("n",), driver=driver)


RULES: dict[Metric, MetricRule] = {
    Metric.OPENED: MetricRule(_("Cases opened"), Kind.COUNT, "cases", ("opened",)),
    Metric.RESOLVED: MetricRule(_("Cases resolved"), Kind.COUNT, "cases", ("resolved",)),
    Metric.BREACHED: MetricRule(_("Resolution deadlines missed"), Kind.COUNT, "cases",
                                ("breached",)),
    Metric.ESCALATED: MetricRule(_("Escalations"), Kind.COUNT, "cases", ("escalated",)),
    Metric.REOPENED: MetricRule(_("Cases reopened"), Kind.COUNT, "cases", ("reopened",)),
    Metric.SHARE_ACKNOWLEDGED_IN_TIME: MetricRule(
        _("Share acknowledged within the pledge"), Kind.SHARE, "cases", ("ack_met",),
        ("ack_met", "ack_missed")),
    Metric.SHARE_RESOLVED_IN_TIME: MetricRule(
        _("Share resolved within the pledge"), Kind.SHARE, "cases", ("resolved_on_time",),
        ("resolved_on_time", "resolved_late")),
    Metric.REOPEN_RATE: MetricRule(_("Reopened per case resolved"), Kind.SHARE, "cases",
                                   ("reopened",), ("resolved",)),
    Metric.MEDIAN_DAYS_TO_RESOLVE: MetricRule(_("Typical days to resolve (median)"), Kind.DAYS,
                                              "cases", RESOLVE_BUCKETS),
    Metric.OPEN_NOW: MetricRule(_("Open now"), Kind.COUNT, "stock", ("open",)),
    Metric.OVERDUE_NOW: MetricRule(_("Open and overdue now"), Kind.COUNT, "stock",
                                   ("open_overdue",)),
    Metric.RATING_OVERALL: _rating("overall", _("Overall satisfaction with the contact")),
    Metric.RATING_SATISFACTION: _rating("satisfaction", _("Satisfaction with the service")),
    Metric.RATING_CONCERN: _rating("concern", _("Concern shown")),
    Metric.RATING_FRIENDLINESS: _rating("friendliness", _("Friendliness")),
    Metric.RATING_CIVILITY: _rating("civility", _("Courtesy and respect")),
    Metric.RATING_HELPFULNESS: _rating("helpfulness", _("Staff helpfulness")),
    Metric.RATING_TIMELINESS: _rating("timeliness", _("Timeliness")),
    Metric.RATING_EASE: _rating("ease", _("Ease of dealing with us")),
    Metric.RATING_EFFECTIVENESS: _rating("effectiveness", _("Need addressed")),
    Metric.RATING_EFFICIENCY: _rating("efficiency", _("Reasonable time taken")),
    Metric.RATING_FAIRNESS: _rating("fairness", _("Fair treatment")),
    Metric.RATING_TRUST: _rating("trust", _("Trust")),
}


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def median_days(histogram: Mapping[str, int]) -> float | None:
    """The median time to resolve, in days, estimated from the histogram of first
    resolutions: linear within the bucket that holds the middle case; the open
    last bucket counts as its lower edge."""
    counts = [histogram.get(name, 0) for name in RESOLVE_BUCKETS]
    total = sum(counts)
    if total <= 0:
        return None
    half = total / 2
    seen = 0
    edges = (0, *RESOLVE_HOURS_EDGES)
    for i, count in enumerate(counts):
        if count and seen + count >= half:
            low = edges[i]
            high = RESOLVE_HOURS_EDGES[i] if i < len(RESOLVE_HOURS_EDGES) else low
            hours = low + (high - low) * (half - seen) / count
            return round(hours / 24, 1)
        seen += count
    return None


def value_of(metric: Metric, sums: Mapping[str, float]) -> float | None:
    """The metric's value from summed rollup measures."""
    rule = RULES[metric]
    if rule.kind == Kind.DAYS:
        return median_days(sums)
    top = sum(sums.get(name, 0) for name in rule.numerator)
    if not rule.denominator:
        return top
    value = ratio(top, sum(sums.get(name, 0) for name in rule.denominator))
    return None if value is None or not math.isfinite(value) else value
