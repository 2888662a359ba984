"""Writes for quarterly client reviews: open, record suggestions, choose up to
three, turn them into quality actions, hold (freezing each measure's figure).

The figures come from clients.measures; the actions are made by quality's own
service (quality.services.action_create) so they are judged on later figures
like every other action.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.org.models import Staff
from imbizo.org.permissions import Permission, staff_allows
from imbizo.org.selectors import institution_tz_name
from imbizo.quality.models import Action, ActionSource
from imbizo.quality.services import ActionDraft, action_create, local_today

from .errors import ClientError, ClientErrorCode
from .group_models import Measure, MeasureSource, Review, ReviewFigure, ReviewStatus, Suggestion
from .measures import Quarter, measure_figure, rate
from .models import ClientGroup, KeyClient

MAX_CHOSEN = 3


def _require_run(actor: Staff) -> None:
    if not staff_allows(actor, Permission.CLIENT_REVIEW_RUN):
        raise ClientError("forbidden", _("Only supervisors, managers and administrators run "
                                         "client reviews."))


def _lock(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("group").get(pk=review.pk)


@transaction.atomic
def review_open(*, group: ClientGroup, year: int, quarter: int, actor: Staff) -> Review:
    """Start preparing `group`'s review of a quarter that has begun."""
    _require_run(actor)
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ClientError(ClientErrorCode.INVALID_QUARTER,
                          _("A quarter is 1, 2, 3 or 4 of a year."), field="quarter")
    if Quarter(year, quarter) > Quarter.of(local_today()):
        raise ClientError(ClientErrorCode.INVALID_QUARTER,
                          _("%(quarter)s has not begun yet.")
                          % {"quarter": Quarter(year, quarter).label}, field="quarter")
    if not group.active:
        raise ClientError(ClientErrorCode.GROUP_INACTIVE,
                          _("The client group “%(name)s” is no longer active.")
                          % {"name": group.name}, field="group")
    if Review.objects.filter(group=group, year=year, quarter=quarter).exists():
        raise ClientError(ClientErrorCode.INVALID_QUARTER,
                          _("%(group)s already has a review for %(quarter)s.")
                          % {"group": group.name, "quarter": Quarter(year, quarter).label},
                          field="quarter")
    return Review.objects.create(group=group, year=year, quarter=quarter, created_by=actor,
                                 created_at=clock.now())


@transaction.atomic
def suggestion_record(*, review: Review, actor: Staff, text: str,
                      key_client: KeyClient | None = None) -> Suggestion:
    """Record a suggestion heard at the review, perhaps from one of the group's key clients."""
    _require_run(actor)
    text = (text or "").strip()
    if not text:
        raise ClientError(ClientErrorCode.INVALID_SUGGESTION, _("Write the suggestion."),
                          field="text")
    if key_client is not None and key_client.group_id != review.group_id:
        raise ClientError(ClientErrorCode.INVALID_SUGGESTION,
                          _("“%(client)s” is a key client of another group, not of "
                            "%(group)s.") % {"client": key_client.name,
                                             "group": review.group.name},
                          field="key_client")
    return Suggestion.objects.create(review=review, key_client=key_client, text=text,
                                     recorded_by=actor, recorded_at=clock.now())


@transaction.atomic
def suggestions_choose(*, review: Review, actor: Staff, chosen_ids: Iterable[int]) -> Review:
    """Mark which suggestions are shared with the team: at most three. A
    suggestion already turned into an action stays chosen."""
    _require_run(actor)
    review = _lock(review)
    ids = {int(i) for i in chosen_ids}
    suggestions = list(review.suggestions.all())
    known = {s.pk for s in suggestions}
    if ids - known:
        raise ClientError(ClientErrorCode.INVALID_SUGGESTION,
                          _("Choose among this review's suggestions."), field="chosen")
    ids |= {s.pk for s in suggestions if s.action_id}
    if len(ids) > MAX_CHOSEN:
        raise ClientError(ClientErrorCode.TOO_MANY_CHOSEN,
                          _("Choose at most three suggestions to share with the team "
                            "(%(count)d were chosen).") % {"count": len(ids)}, field="chosen")
    Suggestion.objects.filter(review=review).update(chosen=False)
    Suggestion.objects.filter(review=review, pk__in=ids).update(chosen=True)
    return review


@transaction.atomic
def suggestion_to_action(*, suggestion: Suggestion, actor: Staff, owner: Staff | None,
                         due_on: datetime.date | None, principle: str, metric: str,
                         title: str = "", detail: str = "", office=None, service=None,
                         target: float | None = None) -> Action:
    """Turn a chosen suggestion into a quality action (source: quarterly client review)."""
    _require_run(actor)
    suggestion = (Suggestion.objects.select_for_update().select_related("review__group")
                  .get(pk=suggestion.pk))
    if suggestion.action_id:
        raise ClientError(ClientErrorCode.INVALID_ACTION,
                          _("This suggestion is already an action."), field="suggestion")
    if not suggestion.chosen:
        chosen = Suggestion.objects.filter(review=suggestion.review, chosen=True).count()
        if chosen >= MAX_CHOSEN:
            raise ClientError(ClientErrorCode.TOO_MANY_CHOSEN,
                              _("Three suggestions are already shared with the team: unchoose "
                                "one first."), field="suggestion")
    if owner is None:
        raise ClientError(ClientErrorCode.INVALID_ACTION,
                          _("Name the action's owner: the person who sees it done."),
                          field="owner")
    if due_on is None:
        raise ClientError(ClientErrorCode.INVALID_ACTION,
                          _("Give the date the action is due."), field="due_on")
    review = suggestion.review
    detail = (detail or "").strip() or _(
        "Suggested at the %(quarter)s review of %(group)s: %(text)s") % {
        "quarter": review.label, "group": review.group.name, "text": suggestion.text}
    try:
        action = action_create(actor=actor, draft=ActionDraft(
            title=(title or suggestion.text).strip(), owner=owner, due_on=due_on,
            principle=principle, metric=metric, source=ActionSource.CLIENT_REVIEW,
            detail=detail, office=office, service=service, target=target))
    except DomainError as error:
        if isinstance(error, ClientError):
            raise
        raise ClientError(error.code, error.message, field=error.field) from error
    suggestion.action = action
    suggestion.chosen = True
    suggestion.save(update_fields=["action", "chosen"])
    return action


def _quarter_over(review: Review) -> bool:
    return Quarter(review.year, review.quarter).next <= Quarter.of(local_today())


@transaction.atomic
def review_hold(*, review: Review, actor: Staff, held_on: datetime.date | None = None,
                manual: Mapping[int, float | None] | None = None, notes: str = "") -> Review:
    """Hold the review: compute each active measure's figure over the quarter,
    take the hand-entered ones from `manual` (measure id -> value), rate them
    against their targets and freeze them. Only once the quarter is over."""
    _require_run(actor)
    review = _lock(review)
    if review.is_held:
        raise ClientError(ClientErrorCode.REVIEW_HELD,
                          _("This review was held on %(day)s; its figures are frozen.")
                          % {"day": review.held_on}, field="review")
    quarter = Quarter(review.year, review.quarter)
    if not _quarter_over(review):
        raise ClientError(ClientErrorCode.INVALID_QUARTER,
                          _("%(quarter)s is not over: hold its review from %(day)s.")
                          % {"quarter": quarter.label, "day": quarter.next.first_day},
                          field="held_on")
    held_on = held_on or local_today()
    if held_on < quarter.next.first_day or held_on > local_today():
        raise ClientError(ClientErrorCode.INVALID_QUARTER,
                          _("A review is held after its quarter ends and not in the future."),
                          field="held_on")
    manual = dict(manual or {})
    since, until = quarter.bounds(institution_tz_name())
    measures = list(Measure.objects.filter(group=review.group, active=True)
                    .select_related("group"))
    rows = []
    for measure in measures:
        if measure.source == MeasureSource.MANUAL:
            value, count = manual.get(measure.pk), int(manual.get(measure.pk) is not None)
        else:
            figure = measure_figure(measure, since=since, until=until)
            value, count = figure.value, figure.count
        rows.append(ReviewFigure(
            review=review, measure=measure, value=value, count=count, target=measure.target,
            rating=rate(value, target=measure.target, better=measure.better,
                        tolerance=measure.tolerance)))
    ReviewFigure.objects.bulk_create(rows)
    review.status = ReviewStatus.HELD
    review.held_on = held_on
    review.held_by = actor
    review.notes = (notes or review.notes or "").strip()
    review.save(update_fields=["status", "held_on", "held_by", "notes"])
    return review
