"""The figures an action is meant to move, for a scope and a period.

This is the one place the quality programme reads performance figures. Until
the insights rollups land it computes them from the case and survey tables
(one aggregate query per figure, over indexed columns); after that, `figure`
hands over to `insights.selectors.figure` and nothing else here changes.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Avg, Count, F, Q
from django.utils.translation import gettext_lazy as _

from .scoring import Direction


class Metric(models.TextChoices):
    RESOLVED_WITHIN_PLEDGE = "resolved_within_pledge", _("Share resolved within the pledge")
    ACKNOWLEDGED_WITHIN_PLEDGE = "acknowledged_within_pledge", _(
        "Share acknowledged within the pledge")
    REOPENED = "reopened", _("Share of resolved cases reopened")
    COMPLAINT_SHARE = "complaint_share", _("Complaints as a share of all cases")
    AVERAGE_RATING = "average_rating", _("Average rating by citizens (1-5)")


# Which way is better, and how the value reads.
DIRECTION = {
    Metric.RESOLVED_WITHIN_PLEDGE: Direction.UP,
    Metric.ACKNOWLEDGED_WITHIN_PLEDGE: Direction.UP,
    Metric.REOPENED: Direction.DOWN,
    Metric.COMPLAINT_SHARE: Direction.DOWN,
    Metric.AVERAGE_RATING: Direction.UP,
}
PERCENT_METRICS = frozenset({Metric.RESOLVED_WITHIN_PLEDGE, Metric.ACKNOWLEDGED_WITHIN_PLEDGE,
                             Metric.REOPENED, Metric.COMPLAINT_SHARE})


@dataclass(frozen=True)
class Figure:
    """A figure over a period: its value (None without data) and how many cases
    or responses it rests on."""

    value: float | None
    count: int


def figure(*, metric: str, office=None, service=None, ward=None, since: datetime,
           until: datetime) -> Figure:
    """The value of `metric` for cases (or ratings) of the scope in [since, until).

    Scope: any of office, service and ward (objects or ids); none means the
    whole institution.
    """
    metric = Metric(metric)
    if metric == Metric.AVERAGE_RATING:
        return _average_rating(office=office, service=service, ward=ward, since=since, until=until)
    from imbizo.cases.models import Case, Kind, Outcome

    cases = Case.objects.filter(_scope(office=office, service=service, ward=ward))
    if metric == Metric.RESOLVED_WITHIN_PLEDGE:
        cases = cases.filter(resolved_at__gte=since, resolved_at__lt=until,
                             standard__isnull=False).exclude(outcome=Outcome.DUPLICATE)
        hit = Q(resolve_breached_at__isnull=True) & (
            Q(resolve_due_at__isnull=True) | Q(resolved_at__lte=F("resolve_due_at")))
    elif metric == Metric.ACKNOWLEDGED_WITHIN_PLEDGE:
        # A case whose acknowledgement was not yet due at the end of the period
        # has not had its chance; it counts once acknowledged or late.
        cases = cases.filter(opened_at__gte=since, opened_at__lt=until,
                             ack_due_at__isnull=False).filter(
            Q(acknowledged_at__isnull=False) | Q(ack_due_at__lt=until))
        # A case resolved before anyone acknowledged it was answered in time too.
        hit = Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_due_at")) | Q(
            acknowledged_at__isnull=True, resolved_at__isnull=False,
            resolved_at__lte=F("ack_due_at"))
    elif metric == Metric.REOPENED:
        cases = cases.filter(resolved_at__gte=since, resolved_at__lt=until).exclude(
            outcome=Outcome.DUPLICATE)
        hit = Q(reopen_count__gt=0)
    else:  # COMPLAINT_SHARE
        cases = cases.filter(opened_at__gte=since, opened_at__lt=until)
        hit = Q(kind=Kind.COMPLAINT)
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


def _average_rating(*, office, service, ward, since, until) -> Figure:
    from imbizo.engagement.models import Answer, QuestionType
    from imbizo.engagement.selectors import SCORED_DRIVERS

    where = Q()
    if office is not None:
        where &= Q(response__office_id=getattr(office, "pk", office))
    where &= _scope(office=None, service=service, ward=ward, prefix="response__case__")
    row = Answer.objects.filter(
        where, response__submitted_at__gte=since, response__submitted_at__lt=until,
        number__isnull=False, driver__in=SCORED_DRIVERS, question__type=QuestionType.SCALE_5,
    ).aggregate(average=Avg("number"), responses=Count("response", distinct=True))
    if not row["responses"]:
        return Figure(value=None, count=0)
    return Figure(value=round(row["average"], 2), count=row["responses"])
