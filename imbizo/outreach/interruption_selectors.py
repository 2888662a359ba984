"""Reads about service interruptions, for public pages, staff lists and the API."""

from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from imbizo.cases.transitions import OPEN_STATUSES
from imbizo.core import clock
from imbizo.geo.models import Ward

from .interruption_models import (
    LIVE_STATUSES,
    Interruption,
    InterruptionCase,
    InterruptionStatus,
    InterruptionUpdate,
    InterruptionWardMonth,
)

# "Recent" on public pages: restored or cancelled within this many days.
RECENT_DAYS = 30


def _listed() -> QuerySet[Interruption]:
    return (Interruption.objects.select_related("service", "standard")
            .prefetch_related(Prefetch("wards", queryset=Ward.objects.order_by("code")
                                       .only("id", "code", "name"))))


def interruption_list_public(*, ward_id: int | None = None, service_id: int | None = None,
                             ) -> dict[str, list[Interruption]]:
    """Current (in progress), planned (announced, not started) and recent (over in
    the last RECENT_DAYS days) interruptions, optionally of one ward or service.
    Three queries whatever the count (interruptions, services, wards)."""
    now = clock.now()
    rows = _listed().filter(
        Q(status__in=LIVE_STATUSES)
        | Q(restored_at__gte=now - timedelta(days=RECENT_DAYS))
        | Q(cancelled_at__gte=now - timedelta(days=RECENT_DAYS)))
    if ward_id is not None:
        rows = rows.filter(wards=ward_id)
    if service_id is not None:
        rows = rows.filter(service_id=service_id)
    found: dict[str, list[Interruption]] = {"current": [], "planned": [], "recent": []}
    for interruption in rows.order_by("starts_at", "pk"):
        if interruption.status == InterruptionStatus.IN_PROGRESS:
            found["current"].append(interruption)
        elif interruption.status == InterruptionStatus.ANNOUNCED:
            found["planned"].append(interruption)
        else:
            found["recent"].append(interruption)
    found["recent"].reverse()
    return found


def interruption_get(*, pk: int) -> Interruption | None:
    return _listed().select_related("standard").filter(pk=pk).first()


def interruption_updates(interruption: Interruption) -> list[InterruptionUpdate]:
    return list(interruption.updates.order_by("at", "pk"))


def interruption_list_staff(*, status: str = "", service_id: int | None = None,
                            ) -> QuerySet[Interruption]:
    """Interruptions for the back office, live ones first, with linked-case counts."""
    rows = _listed().annotate(
        linked=Count("case_links", distinct=True),
        linked_open=Count("case_links", distinct=True, filter=Q(
            case_links__case__status__in=sorted(map(str, OPEN_STATUSES)))))
    if status:
        rows = rows.filter(status=status)
    if service_id:
        rows = rows.filter(service_id=service_id)
    return rows.order_by("-starts_at", "-pk")


def interruption_list_api(*, status: str = "", service_code: str = "", ward_code: str = "",
                          ) -> QuerySet[Interruption]:
    rows = _listed()
    if status:
        rows = rows.filter(status=status)
    if service_code:
        rows = rows.filter(service__code=service_code)
    if ward_code:
        rows = rows.filter(wards__code=ward_code)
    return rows.order_by("-pk")


def interruption_linked_cases(interruption: Interruption):
    """Linked reports (staff only: references, statuses), oldest first."""
    return (InterruptionCase.objects.filter(interruption=interruption)
            .select_related("case").order_by("linked_at", "pk"))


def interruption_for_case(*, case_id: int) -> Interruption | None:
    link = (InterruptionCase.objects.filter(case_id=case_id)
            .select_related("interruption").first())
    return link.interruption if link else None


def interruption_count_live() -> dict[str, int]:
    """How many interruptions are in progress and planned (the portal's home). One query."""
    counts = dict(Interruption.objects.filter(status__in=LIVE_STATUSES)
                  .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {"current": counts.get(InterruptionStatus.IN_PROGRESS, 0),
            "planned": counts.get(InterruptionStatus.ANNOUNCED, 0)}


def interruption_list_running() -> list[Interruption]:
    """Interruptions in progress (the war room), soonest expected back first."""
    return list(_listed().filter(status=InterruptionStatus.IN_PROGRESS)
                .annotate(linked_open=Count("case_links", filter=Q(
                    case_links__case__status__in=sorted(map(str, OPEN_STATUSES)))))
                .order_by("expected_restoration_at", "pk"))


def _months_back(today: date, months: int) -> date:
    month = today.replace(day=1)
    for _ in range(months - 1):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def ward_outage_months(*, ward_id: int, months: int = 12) -> list[dict]:
    """Hours the ward was without each service, per month, newest first, from
    the rollup: [{"month", "service", "hours", "interruptions"}]. One query."""
    since = _months_back(clock.now().date(), months)
    rows = (InterruptionWardMonth.objects.filter(ward_id=ward_id, month__gte=since)
            .values("month", "service__name")
            .annotate(total=Sum("hours"), count=Sum("interruptions"))
            .order_by("-month", "service__name"))
    return [{"month": r["month"], "service": r["service__name"], "hours": r["total"],
             "interruptions": r["count"]} for r in rows]


def outage_hours_by_ward(*, months: int = 12) -> list[dict]:
    """For the scorecard: hours without any service per ward over the last
    `months` months, most affected first. One query."""
    since = _months_back(clock.now().date(), months)
    rows = (InterruptionWardMonth.objects.filter(month__gte=since)
            .values("ward__code", "ward__name")
            .annotate(total=Sum("hours"), count=Sum("interruptions"))
            .order_by("-total", "ward__code"))
    return [{"code": r["ward__code"], "name": r["ward__name"], "hours": r["total"],
             "interruptions": r["count"]} for r in rows]
