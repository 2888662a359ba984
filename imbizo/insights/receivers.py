"""Delta rows for the rollups, written in the transaction of each change.

Cases and engagement send signals (cases.hooks, engagement.hooks); they never
import insights. Opening a case adds its delta to the single INSERT statement
that writes the case, so the intake hot path keeps one round trip.
"""

from collections import defaultdict
from datetime import UTC, timedelta

from django.dispatch import receiver

from imbizo.cases.hooks import case_changed, case_moving, case_opening, cases_swept
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.core.bulk import bulk_insert
from imbizo.engagement.hooks import response_submitted

from . import facts
from .models import RATING_MEASURES, CaseDelta, OpeningDelta, RatingDelta
from .rollups import HOURLY_DAYS, rating_facts


def _periods(at, tz, now) -> dict:
    day = at.astimezone(tz).date()
    recent = at >= now - timedelta(days=HOURLY_DAYS)
    return {"day": day, "month": day.replace(day=1),
            "hour": at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
            if recent else None}


def delta_rows(case, fact_list, *, office_id=None, service_id=None, now=None) -> list[dict]:
    """CaseDelta rows (as dicts) for `fact_list` of `case`, one per instant."""
    tz = catalogue_snapshot().calendar.tz
    now = now or clock.now()
    merged: dict = defaultdict(dict)
    for fact in fact_list:
        counts = merged[fact.at]
        for name, value in fact.counts.items():
            counts[name] = counts.get(name, 0) + value
    keys = {"case_id": case.pk, "ward_id": case.ward_id or 0,
            "service_id": case.service_id if service_id is None else service_id,
            "office_id": (case.office_id if office_id is None else office_id) or 0,
            "channel": case.channel}
    return [{**keys, **_periods(at, tz, now), **counts}
            for at, counts in merged.items() if any(counts.values())]


@receiver(case_opening)
def record_opening(*, case, rows, **kwargs) -> None:
    """One narrow row, inserted with the case (the intake hot path: no query)."""
    at = case.opened_at
    rows.append(OpeningDelta(
        **_periods(at, catalogue_snapshot().calendar.tz, at), ward_id=case.ward_id or 0,
        service_id=case.service_id, office_id=case.office_id or 0, channel=case.channel,
        ack_auto=facts.opening_counts(case)["ack_auto"]))


@receiver(case_changed)
def record_change(*, case, event, acknowledged_before, **kwargs) -> None:
    found = facts.change_facts(case, event=event, acknowledged_before=acknowledged_before)
    if found:
        CaseDelta.objects.bulk_create(CaseDelta(**row) for row in delta_rows(case, found))


@receiver(case_moving)
def record_move(*, case, office_to, service_to=None, **kwargs) -> None:
    """The case's whole history moves to its new office or its corrected service
    (figures count against the office that holds a case and its final service);
    with a new service its ratings move too."""
    service_to = case.service_id if service_to is None else service_to
    history = facts.case_facts(case, list(case.events.order_by("at", "id")))
    rows = [*delta_rows(case, facts.negate(history)),
            *delta_rows(case, history, office_id=office_to, service_id=service_to)]
    CaseDelta.objects.bulk_create(CaseDelta(**row) for row in rows)
    if service_to != case.service_id:
        _ratings_move(case, service_to)


def _ratings_move(case, service_to) -> None:
    """The case's rating sums, taken from its old service and added to the new one."""
    moved = []
    for row in rating_facts(case_id=case.pk).rows():
        keys = {"day": row["k_day"], "month": row["k_month"], "ward_id": row["k_ward_id"],
                "office_id": row["k_office_id"], "driver": row["k_driver"]}
        sums = {name: row[name] for name in RATING_MEASURES}
        moved.append(RatingDelta(**keys, service_id=row["k_service_id"],
                                 **{k: -v for k, v in sums.items()}))
        moved.append(RatingDelta(**keys, service_id=service_to, **sums))
    RatingDelta.objects.bulk_create(moved)


@receiver(cases_swept)
def record_sweep(*, fired, **kwargs) -> None:
    now = clock.now()
    bulk_insert(CaseDelta, (row for case, case_fired in fired
                            for row in delta_rows(case, facts.sweep_facts(case_fired), now=now)))


@receiver(response_submitted)
def record_response(*, response, answers, **kwargs) -> None:
    scale = [(question.driver, number) for question, number, _text in answers
             if question.type == "scale5" and number is not None]
    if not scale:
        return
    day = response.submitted_at.astimezone(catalogue_snapshot().calendar.tz).date()
    case = response.case
    keys = {"day": day, "month": day.replace(day=1), "office_id": response.office_id or 0,
            "ward_id": (case.ward_id or 0) if case else 0,
            "service_id": case.service_id if case else 0}
    RatingDelta.objects.bulk_create(
        RatingDelta(**keys, driver=fact.driver, **fact.counts)
        for fact in facts.rating_facts(scale))
