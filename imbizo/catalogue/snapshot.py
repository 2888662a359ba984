"""An in-process, read-only copy of the catalogue for the intake hot path.

Opening a case needs the service, its questions, the standard in force and
the working calendar; they change a few times a year. Each process keeps them for SNAPSHOT_TTL
seconds, rebuilt at once when they change in this process (signals) and
within the TTL when another process changes them. See docs/adr/0004.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from imbizo.core.snapshots import ProcessSnapshot
from imbizo.org.selectors import institution_get

from . import worktime
from .models import PriorityTarget, Service, ServiceAttribute, ServiceStandard
from .selectors import working_calendar

SNAPSHOT_TTL = 30.0


@dataclass(frozen=True)
class CatalogueSnapshot:
    services: dict[str, Service]  # active services by code, attributes in `.questions`
    standards: dict[int, tuple[ServiceStandard, ...]]  # published, newest effective first
    calendar: worktime.WorkingCalendar
    # Targets by priority of every published standard: standard id -> priority -> row.
    priority_targets: dict[int, dict[str, PriorityTarget]]

    def standard_in_force(self, service_id: int, on: date) -> ServiceStandard | None:
        for standard in self.standards.get(service_id, ()):
            if standard.effective_from <= on:
                return standard
        return None

    def priority_target(self, standard: ServiceStandard, priority: str) -> PriorityTarget | None:
        """The target `standard` sets for `priority`, or None (the standard's own apply)."""
        if standard.published:
            return self.priority_targets.get(standard.pk, {}).get(priority)
        return standard.priority_targets.filter(priority=priority).first()


def snapshot_reset() -> None:
    _snapshot.reset()


def catalogue_snapshot() -> CatalogueSnapshot:
    return _snapshot.get()


def _build() -> CatalogueSnapshot:
    services = {
        service.code: service
        for service in Service.objects.filter(active=True).prefetch_related(
            Prefetch("attributes", queryset=ServiceAttribute.objects.order_by("order", "id"),
                     to_attr="questions")
        )
    }
    standards: dict[int, list[ServiceStandard]] = {}
    for standard in ServiceStandard.objects.filter(published=True).order_by(
        "service_id", "-effective_from", "-version"
    ):
        standards.setdefault(standard.service_id, []).append(standard)
    targets: dict[int, dict[str, PriorityTarget]] = {}
    for target in PriorityTarget.objects.filter(standard__published=True):
        targets.setdefault(target.standard_id, {})[target.priority] = target
    # The row itself, not the per-process country (org.selectors): a copy of
    # a copy could lag the institution by two TTLs.
    institution = institution_get()
    return CatalogueSnapshot(
        services=services,
        standards={k: tuple(v) for k, v in standards.items()},
        calendar=working_calendar(tz_name=institution.time_zone, country=institution.country,
                                  holiday_subdivision=institution.holiday_subdivision),
        priority_targets=targets,
    )


_snapshot = ProcessSnapshot(_build, ttl=SNAPSHOT_TTL)
