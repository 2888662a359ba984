"""Writes to the catalogue: services and their versioned standards."""

from datetime import date

from django.db import transaction
from django.db.models import Max

from imbizo.core.errors import DomainError

from .errors import CatalogueError
from .models import PriorityTarget, Service, ServiceStandard

# Fields a new version of a standard carries; everything else is bookkeeping.
STANDARD_FIELDS = (
    "pledge",
    "description",
    "ack_amount",
    "ack_unit",
    "update_amount",
    "update_unit",
    "resolve_amount",
    "resolve_unit",
    "warn_before_hours",
    "compliance_target",
    "redress",
    "effective_from",
    "published",
)
# Fields of a standard's target for one priority (PriorityTarget).
PRIORITY_TARGET_FIELDS = ("priority", "ack_amount", "ack_unit", "resolve_amount", "resolve_unit")


@transaction.atomic
def standard_revise(
    *, service: Service, created_by=None, priority_targets: list[dict] | None = None, **fields,
) -> ServiceStandard:
    """Save a new version of `service`'s standard; earlier versions stay as they were.

    Fields not given are carried over from the latest version, and so are its
    targets by priority unless `priority_targets` (dicts of
    PRIORITY_TARGET_FIELDS) replaces them. The first version needs at least
    `pledge`, `redress` and `effective_from`.
    """
    unknown = set(fields) - set(STANDARD_FIELDS)
    if unknown:
        raise DomainError(
            CatalogueError.UNKNOWN_FIELD, f"Unknown standard field(s): {', '.join(sorted(unknown))}"
        )
    # Lock the service row so two editors cannot both create version N+1.
    Service.objects.select_for_update().filter(pk=service.pk).first()
    latest = service.standards.order_by("-version").first()
    values = {name: getattr(latest, name) for name in STANDARD_FIELDS} if latest else {}
    values.update(fields)
    for required in ("pledge", "redress", "effective_from"):
        if not values.get(required):
            raise DomainError(
                CatalogueError.STANDARD_INCOMPLETE,
                f"A service standard needs a {required.replace('_', ' ')}.",
                field=required,
            )
    number = (service.standards.aggregate(n=Max("version"))["n"] or 0) + 1
    standard = ServiceStandard(service=service, version=number, created_by=created_by, **values)
    standard.full_clean(exclude=["service", "version", "created_by"])
    standard.save()
    if priority_targets is None and latest is not None:
        priority_targets = list(latest.priority_targets.values(*PRIORITY_TARGET_FIELDS))
    _priority_targets_add(standard, priority_targets or [])
    return standard


def _priority_targets_add(standard: ServiceStandard, targets: list[dict]) -> None:
    seen = set()
    for values in targets:
        unknown = set(values) - set(PRIORITY_TARGET_FIELDS)
        if unknown or values.get("priority") in seen:
            raise DomainError(
                CatalogueError.UNKNOWN_FIELD,
                f"Give each priority at most one target, with {', '.join(PRIORITY_TARGET_FIELDS)}.",
                field="priority_targets",
            )
        seen.add(values["priority"])
        target = PriorityTarget(standard=standard, **values)
        target.full_clean(exclude=["standard"])
        target.save()


def standard_publish(*, standard: ServiceStandard, effective_from: date | None = None):
    """Publish `standard` as a new version (published, optionally from another date)."""
    changes = {"published": True}
    if effective_from is not None:
        changes["effective_from"] = effective_from
    return standard_revise(service=standard.service, **changes)
