"""Reads from the catalogue."""

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from imbizo.core import clock
from imbizo.core.errors import DomainError

from . import worktime
from .errors import CatalogueError
from .models import Closure, Service, ServiceAttribute, ServiceStandard, WorkingHours


def standards_in_force_order(on: date) -> QuerySet[ServiceStandard]:
    """Published versions effective by `on`, the one in force first for each service.

    The one rule for "the standard in force" (the snapshot mirrors it in Python).
    """
    return ServiceStandard.objects.filter(published=True, effective_from__lte=on).order_by(
        "-effective_from", "-version")


def standard_in_force(*, service: Service, on: date | None = None) -> ServiceStandard | None:
    """The published version with the latest effective date on or before `on` (today)."""
    return standards_in_force_order(on or clock.now().date()).filter(service=service).first()


def service_list_public(*, query: str = "", group: str = "") -> QuerySet[Service]:
    """Active services for the public catalogue, each with `current_standards` prefetched."""
    services = Service.objects.filter(active=True)
    if group:
        services = services.filter(group=group)
    for word in query.split():
        services = services.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(keywords__icontains=word)
            | Q(group__icontains=word)
        )
    return services.select_related("department").prefetch_related(
        Prefetch("standards", queryset=standards_in_force_order(clock.now().date()),
                 to_attr="current_standards")
    )


def service_groups() -> list[str]:
    return list(
        Service.objects.filter(active=True)
        .exclude(group="")
        .order_by("group")
        .values_list("group", flat=True)
        .distinct()
    )


def working_calendar(
    *, tz_name: str, country: str, holiday_subdivision: str = ""
) -> worktime.WorkingCalendar:
    """The institution's calendar: working hours, the public holidays of its
    country (and subdivision) and its closures."""
    hours = tuple(
        WorkingHours.objects.order_by("weekday", "start").values_list("weekday", "start", "end")
    )
    closures = tuple(Closure.objects.values_list("date", flat=True))
    return _calendar(tz_name, country, holiday_subdivision, hours, closures)


@lru_cache(maxsize=8)
def _calendar(tz_name: str, country: str, holiday_subdivision: str, hours: tuple,
              closures: tuple) -> worktime.WorkingCalendar:
    week: list[list[tuple]] = [[] for _ in range(7)]
    for weekday, start, end in hours:
        week[weekday].append((start, end))
    return worktime.public_holiday_calendar(
        country=country,
        tz_name=tz_name,
        holiday_subdivision=holiday_subdivision,
        hours=tuple(tuple(day) for day in week) if hours else None,
        closures=closures,
    )


def local_now(tz_name: str) -> datetime:
    return clock.now().astimezone(ZoneInfo(tz_name))


def service_list_requestable() -> QuerySet[Service]:
    """Active services, each with `has_attributes` (whether it asks extra questions),
    for Open311 services lists."""
    return Service.objects.filter(active=True).annotate(
        has_attributes=Exists(ServiceAttribute.objects.filter(service=OuterRef("pk")))
    ).order_by("group", "name", "code")


def service_get_with_attributes(*, code: str) -> Service:
    """The active service `code` with `definition` (its attributes, in order), or
    DomainError(UNKNOWN_SERVICE)."""
    service = (
        Service.objects.filter(active=True, code=code)
        .prefetch_related(Prefetch("attributes",
                                   queryset=ServiceAttribute.objects.order_by("order", "id"),
                                   to_attr="definition"))
        .first()
    )
    if service is None:
        raise DomainError(
            CatalogueError.UNKNOWN_SERVICE,
            _("There is no service with the code '%(code)s'.") % {"code": code},
            field="service_code",
        )
    return service
