"""The figures an action is meant to move, for a scope and a period.

This is the one place the quality programme reads performance figures: from
the insights rollups (`insights.selectors.figure`), never from the raw case
tables. The metrics offered for actions are the insights metrics that are a
share or an average (their names are stored on actions); counts are left
out, as they grow with the length of a period. Periods are whole days in the
institution's time zone, as the rollups keep them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.insights import selectors as insights
from imbizo.insights.metrics import RULES, Kind
from imbizo.insights.metrics import Metric as InsightsMetric

from .scoring import Direction


class Metric(models.TextChoices):
    SHARE_RESOLVED_IN_TIME = InsightsMetric.SHARE_RESOLVED_IN_TIME, _(
        "Share resolved within the pledge")
    SHARE_ACKNOWLEDGED_IN_TIME = InsightsMetric.SHARE_ACKNOWLEDGED_IN_TIME, _(
        "Share acknowledged within the pledge")
    REOPEN_RATE = InsightsMetric.REOPEN_RATE, _("Reopened per case resolved")
    RATING_OVERALL = InsightsMetric.RATING_OVERALL, _(
        "Overall satisfaction with the contact (1-5)")
    RATING_CONCERN = InsightsMetric.RATING_CONCERN, _("Concern shown (1-5)")
    RATING_FRIENDLINESS = InsightsMetric.RATING_FRIENDLINESS, _("Friendliness (1-5)")
    RATING_CIVILITY = InsightsMetric.RATING_CIVILITY, _("Courtesy and respect (1-5)")


# Which way is better.
DIRECTION = {
    Metric.SHARE_RESOLVED_IN_TIME: Direction.UP,
    Metric.SHARE_ACKNOWLEDGED_IN_TIME: Direction.UP,
    Metric.REOPEN_RATE: Direction.DOWN,
    Metric.RATING_OVERALL: Direction.UP,
    Metric.RATING_CONCERN: Direction.UP,
    Metric.RATING_FRIENDLINESS: Direction.UP,
    Metric.RATING_CIVILITY: Direction.UP,
}
PERCENT_METRICS = frozenset(m for m in Metric if RULES[InsightsMetric(m)].kind == Kind.SHARE)


@dataclass(frozen=True)
class Figure:
    """A figure over a period: its value (None without data; shares in percent,
    ratings 1-5) and how many observations it rests on (the cases resolved or
    acknowledged, the answers given)."""

    value: float | None
    count: int


def figure(*, metric: str, office=None, service=None, ward=None, since: datetime,
           until: datetime) -> Figure:
    """The value of `metric` for the scope over [since, until) (see insights.selectors.figure).

    Scope: any of office, service and ward (objects or ids); none means the
    whole institution.
    """
    name = InsightsMetric(Metric(metric).value)
    rule = RULES[name]
    scope = {"office": office, "service": service, "ward": ward}
    value = insights.figure(metric=name, since=since, until=until, **scope)
    # The observations behind the value: the sum of its denominator measures.
    extra = {"driver": rule.driver} if rule.family == "ratings" else {}
    sums = insights.period_sums(rule.family, rule.denominator, since=since, until=until,
                                **scope, **extra).get((), {})
    count = int(sum(sums.values()))
    if value is None or not count:
        return Figure(value=None, count=count)
    if rule.kind == Kind.SHARE:
        return Figure(value=round(value * 100, 1), count=count)
    return Figure(value=round(value, 2), count=count)
