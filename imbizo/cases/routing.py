"""Which office handles a case: routing rules as data, cached per process.

The most specific rule wins: service and ward, then service and region, then
service alone, then ward, then region, then a catch-all. Rules and the
ward-to-region map are kept for ROUTING_TTL seconds, rebuilt at once when they
change in this process (signals).
"""

from dataclasses import dataclass

from imbizo.core.snapshots import ProcessSnapshot
from imbizo.geo.models import Ward
from imbizo.org.models import Office

from .models import RoutingRule

ROUTING_TTL = 30.0


@dataclass(frozen=True)
class _Rules:
    rules: tuple[tuple[int | None, int | None, int | None, Office], ...]
    ward_region: dict[int, int | None]


def _build() -> _Rules:
    return _Rules(
        rules=tuple((r.service_id, r.ward_id, r.region_id, r.office)
                    for r in RoutingRule.objects.select_related("office")),
        ward_region=dict(Ward.objects.values_list("id", "region_id")),
    )


_rules = ProcessSnapshot(_build, ttl=ROUTING_TTL)


def routing_reset() -> None:
    _rules.reset()


def route(*, service_id: int, ward_id: int | None) -> Office | None:
    """The office for a service in a ward, or None when no rule applies."""
    current = _rules.get()
    region_id = current.ward_region.get(ward_id) if ward_id is not None else None
    best, best_rank = None, None
    for rule_service, rule_ward, rule_region, office in current.rules:
        if rule_service not in (None, service_id):
            continue
        if rule_ward is not None and rule_ward != ward_id:
            continue
        if rule_region is not None and rule_region != region_id:
            continue
        rank = (rule_service is not None, rule_ward is not None, rule_region is not None)
        if best_rank is None or rank > best_rank:
            best, best_rank = office, rank
    return best
