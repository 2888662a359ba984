"""The figures an action is meant to move, for a scope and a period.

This is the one place the quality programme reads performance figures. The
metric names are those of the insights rollups (insights.metrics.Metric),
which other apps store. Until those rollups land on main this module computes
the figures from the case and survey tables (one aggregate query each, over
indexed columns); then `figure` hands over to `insights.selectors.figure`
and nothing else in the quality programme changes.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Avg, Count, F, Q
from django.utils.translation import gettext_lazy as _

from .scoring import Direction


class Metric(models.TextChoices):
    SHARE_RESOLVED_IN_TIME = "share_resolved_in_time", _("Share resolved within the pledge")
    SHARE_ACKNOWLEDGED_IN_TIME = "share_acknowledged_in_time", _(
        "Share acknowledged within the pledge")
    REOPEN_RATE = "reopen_rate", _("Share of resolved cases reopened")
    RATING_OVERALL = "rating_overall", _("Overall satisfaction with the contact (1-5)")
    RATING_CONCERN = "rating_concern", _("Concern shown (1-5)")
    RATING_FRIENDLINESS = "rating_friendliness", _("Friendliness (1-5)")
    RATING_CIVILITY = "rating_civility", _("Courtesy and respect (1-5)")


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
PERCENT_METRICS = frozenset({Metric.SHARE_RESOLVED_IN_TIME, Metric.SHARE_ACKNOWLEDGED_IN_TIME,
                             Metric.REOPEN_RATE})
RATING_DRIVERS = {Metric.RATING_OVERALL: "overall", Metric.RATING_CONCERN: "concern",
                  Metric.RATING_FRIENDLINESS: "friendliness", Metric.RATING_CIVILITY: "civility"}


@dataclass(frozen=True)
class Figure:
    """A figure over a period: its value (None without data; shares in percent,
    ratings 1-5) and how many cases or responses it rests on."""

    value: float | None
    count: int


def figure(*, metric: str, office=None, service=None, ward=None, since: datetime,
           until: datetime) -> Figure:
    """The value of `metric` for cases (or ratings) of the scope in [since, until).

    Scope: any of office, service and ward (objects or ids); none means the
    whole institution.
    """
    metric = Metric(metric)
    if metric in RATING_DRIVERS:
        return _rating(RATING_DRIVERS[metric], office=office, service=service, ward=ward,
                       since=since, until=until)
    from imbizo.cases.models import Case, Outcome

    cases = Case.objects.filter(_scope(office=office, service=service, ward=ward))
    if metric == Metric.SHARE_RESOLVED_IN_TIME:
        cases = cases.filter(resolved_at__gte=since, resolved_at__lt=until,
                             standard__isnull=False).exclude(outcome=Outcome.DUPLICATE)
        hit = Q(resolve_breached_at__isnull=True) & (
            Q(resolve_due_at__isnull=True) | Q(resolved_at__lte=F("resolve_due_at")))
    elif metric == Metric.SHARE_ACKNOWLEDGED_IN_TIME:
        # A case whose acknowledgement was not yet due at the end of the period
        # has not had its chance; it counts once acknowledged or late.
        cases = cases.filter(opened_at__gte=since, opened_at__lt=until,
                             ack_due_at__isnull=False).filter(
            Q(acknowledged_at__isnull=False) | Q(ack_due_at__lt=until))
        # A case resolved before anyone acknowledged it was answered in time too.
        hit = Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_due_at")) | Q(
            acknowledged_at__isnull=True, resolved_at__isnull=False,
            resolved_at__lte=F("ack_due_at"))
    else:  # REOPEN_RATE
        cases = cases.filter(resolved_at__gte=since, resolved_at__lt=until).exclude(
            outcome=Outcome.DUPLICATE)
        hit = Q(reopen_count__gt=0)
    row = cases.aggregate(total=Count("pk"), hits=Count("pk", filter=hit))
    if not row["total"]:
        return Figure(value=None, count=0)
    return Figure(value=round(row["hits"] * 100 / row["total"], 1), count=row["total"])


def _scope(*, office, service, ward, prefix: str = "") -> Q:
    where = Q()
    for name, value in (("office", office), ("service", service), ("ward", ward)):
        if value is not None:
            where &= Q(**{f"{prefix}{name}_id": getattr(value, "pk", value)})
    return where


def _rating(driver: str, *, office, service, ward, since, until) -> Figure:
    from imbizo.engagement.models import Answer, QuestionType

    where = Q()
    if office is not None:
        where &= Q(response__office_id=getattr(office, "pk", office))
    where &= _scope(office=None, service=service, ward=ward, prefix="response__case__")
    row = Answer.objects.filter(
        where, response__submitted_at__gte=since, response__submitted_at__lt=until,
        number__isnull=False, driver=driver, question__type=QuestionType.SCALE_5,
    ).aggregate(average=Avg("number"), responses=Count("response", distinct=True))
    if not row["responses"]:
        return Figure(value=None, count=0)
    return Figure(value=round(row["average"], 2), count=row["responses"])
