"""Reads for client groups: the review board (measures x quarters) and the
services x client groups matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from imbizo.catalogue.models import Service, ServiceStandard
from imbizo.catalogue.selectors import standards_in_force_order
from imbizo.core import clock
from imbizo.core.evidence import min_answers_shown
from imbizo.org.selectors import institution_tz_name
from imbizo.quality.services import local_today
from imbizo.texts.selectors import translations_attach

from .group_models import (
    Measure,
    MeasureSource,
    Review,
    ReviewFigure,
    ReviewStatus,
    ServiceBenefit,
    Suggestion,
)
from .measures import Quarter, Satisfaction, measure_figure, rate, satisfaction_by_service_group
from .models import ClientGroup, ClientType, KeyClient

QUARTERS_SHOWN = 6
SATISFACTION_DAYS = 365


def group_list_for_reviews():
    """Active groups with their count of reviews and the latest one held."""
    return (ClientGroup.objects.filter(active=True)
            .annotate(reviews_held=Count("reviews", filter=Q(reviews__status=ReviewStatus.HELD),
                                         distinct=True),
                      measure_count=Count("measures", filter=Q(measures__active=True),
                                          distinct=True))
            .order_by("client_type", "order", "name"))


def group_get(*, code: str) -> ClientGroup:
    group = ClientGroup.objects.filter(code=code).first()
    if group is None:
        raise Http404(code)
    return group


def review_get(*, pk: int) -> Review:
    review = Review.objects.select_related("group", "held_by", "created_by").filter(pk=pk).first()
    if review is None:
        raise Http404(pk)
    return review


@dataclass
class Cell:
    value: float | None
    count: int
    rating: str
    frozen: bool


@dataclass
class BoardRow:
    measure: Measure
    cells: list[Cell | None] = field(default_factory=list)


@dataclass
class Board:
    quarters: list[Quarter]
    reviews: dict[Quarter, Review]
    rows: list[BoardRow]

    @property
    def columns(self) -> list[tuple[Quarter, Review | None]]:
        return [(q, self.reviews.get(q)) for q in self.quarters]


def review_board(group: ClientGroup, *, upto: Quarter | None = None,
                 live: Quarter | None = None) -> Board:
    """The group's measures x its last QUARTERS_SHOWN quarters, newest first: frozen figures of
    held reviews; for `live` (a quarter whose review is not held) the figures
    as they stand now, computed."""
    upto = upto or Quarter.of(local_today())
    # Newest first: on a phone the quarter under review is the column in view.
    quarters = upto.last(QUARTERS_SHOWN)[::-1]
    oldest = quarters[-1]
    reviews = {Quarter(r.year, r.quarter): r for r in Review.objects.filter(
        group=group, year__gte=oldest.year).select_related("held_by")
        if oldest <= Quarter(r.year, r.quarter) <= upto}
    frozen = {(f.review_id, f.measure_id): f for f in ReviewFigure.objects.filter(
        review__in=[r for r in reviews.values() if r.is_held])}
    measures = list(Measure.objects.filter(group=group).select_related("criterion", "service",
                                                                       "group"))
    shown_ids = {m for (_r, m) in frozen}
    measures = [m for m in measures if m.active or m.pk in shown_ids]
    live_bounds = None
    if live is not None and not (live in reviews and reviews[live].is_held):
        live_bounds = live.bounds(institution_tz_name())
    rows = []
    for measure in measures:
        row = BoardRow(measure)
        for quarter in quarters:
            review = reviews.get(quarter)
            got = frozen.get((review.pk, measure.pk)) if review and review.is_held else None
            if got is not None:
                row.cells.append(Cell(got.value, got.count, got.rating, True))
            elif quarter == live and live_bounds and measure.active:
                if measure.source == MeasureSource.MANUAL:
                    row.cells.append(Cell(None, 0, "no_data", False))
                else:
                    fig = measure_figure(measure, since=live_bounds[0],
                                         until=min(live_bounds[1], clock.now()))
                    row.cells.append(Cell(fig.value, fig.count, rate(
                        fig.value, target=measure.target, better=measure.better,
                        tolerance=measure.tolerance), False))
            else:
                row.cells.append(None)
        rows.append(row)
    return Board(quarters=quarters, reviews=reviews, rows=rows)


def board_span(group: ClientGroup) -> dict:
    """The group board's last quarter (the latest reviewed, or the last one over)
    and the quarter shown live (the latest review still being prepared)."""
    last_over = Quarter.of(local_today()).previous
    latest = Review.objects.filter(group=group).order_by("-year", "-quarter").first()
    if latest is None:
        return {"upto": last_over, "live": None}
    quarter = Quarter(latest.year, latest.quarter)
    return {"upto": max(quarter, last_over), "live": None if latest.is_held else quarter}


def review_suggestions(review: Review):
    return (Suggestion.objects.filter(review=review)
            .select_related("key_client", "action", "action__owner", "recorded_by"))


def key_clients_of(group: ClientGroup):
    return KeyClient.objects.filter(group=group, active=True).order_by("name")


# --- the matrix ------------------------------------------------------------------------------


@dataclass
class MatrixCell:
    benefit: str
    satisfaction: Satisfaction | None
    shown: bool  # enough answers to show the mean
    source: ServiceBenefit | None = None  # its translations, for the page's language


@dataclass
class MatrixRow:
    service: Service
    standard: ServiceStandard | None
    cells: list[MatrixCell | None]


@dataclass
class Matrix:
    groups: list[ClientGroup]
    rows: list[MatrixRow]
    minimum: int
    since_days: int
    every_group: list[ClientGroup] = field(default_factory=list)
    chosen: ClientGroup | None = None


def matrix(*, external_only: bool, group_code: str = "") -> Matrix:
    """Services x client groups: the benefit each service brings each group, the
    standard in force and the group's satisfaction (mean of its 1-5 answers about
    the service's cases over the last year; hidden below MIN_ANSWERS_SHOWN).
    Public: external groups only. `group_code`: that group's column only (an
    unknown code: every group). A fixed number of queries."""
    groups = ClientGroup.objects.filter(active=True)
    if external_only:
        groups = groups.filter(client_type=ClientType.EXTERNAL)
    groups = list(groups.order_by("client_type", "order", "name"))
    every = groups
    if group_code and any(g.code == group_code for g in groups):
        groups = [g for g in groups if g.code == group_code]
    group_ids = [g.pk for g in groups]
    today = local_today()
    services = list(
        Service.objects.filter(active=True, client_benefits__group_id__in=group_ids).distinct()
        .prefetch_related(
            Prefetch("client_benefits", queryset=ServiceBenefit.objects.filter(
                group_id__in=group_ids), to_attr="benefits_shown"),
            Prefetch("standards", queryset=standards_in_force_order(today),
                     to_attr="standards_in_force"))
        .order_by("group", "name"))
    now = clock.now()
    satisfaction = satisfaction_by_service_group(
        since=now - timedelta(days=SATISFACTION_DAYS), until=now, group_ids=group_ids)
    minimum = min_answers_shown()
    rows = []
    for service in services:
        by_group = {b.group_id: b for b in service.benefits_shown}
        cells = []
        for group in groups:
            benefit = by_group.get(group.pk)
            if benefit is None:
                cells.append(None)
                continue
            got = satisfaction.get((service.pk, group.pk))
            cells.append(MatrixCell(benefit.benefit, got,
                                    bool(got and got.count >= minimum), benefit))
        standard = service.standards_in_force[0] if service.standards_in_force else None
        rows.append(MatrixRow(service, standard, cells))
    # Service and group names and benefits in the page's language: one query
    # per model, whatever the size of the matrix.
    translations_attach([*services, *every, *(b for s in services for b in s.benefits_shown)])
    return Matrix(groups=groups, rows=rows, minimum=minimum, since_days=SATISFACTION_DAYS,
                  every_group=every, chosen=groups[0] if len(groups) == 1 < len(every) else None)
