"""Demo data for service interruptions.

A water outage is in progress in the West now, with reports that came in
during it (opened through cases.services, so they are linked and told at
once); planned work is announced in the North; and the 18 months of history
carry past planned and unplanned interruptions of water and electricity in
every region, each linked to the historical reports of its service and wards
made while it ran. Past interruptions are written directly, with instants in
the past, as the case history is; the current ones go through the services.
The hours-without-service rollup is rebuilt at the end.
"""

import datetime
import random

from django.db import transaction

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.catalogue.models import Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.geo.models import Ward
from imbizo.outreach.interruption_models import (
    Interruption,
    InterruptionCase,
    InterruptionKind,
    InterruptionLeadTime,
    InterruptionStatus,
    InterruptionUpdate,
)
from imbizo.outreach.interruptions import (
    InterruptionDraft,
    interruption_create,
    interruptions_rollup_rebuild,
)
from imbizo.privacy.consent import CONTACT_WORDING

from .names import FIRST_NAMES, LAST_NAMES, STREETS

HISTORY_PER_MONTH = 4

_UNPLANNED = {
    "no-water": ("Burst bulk main at {street}",
                 "No water in {wards} while a burst bulk main at {street} is repaired. Water "
                 "tankers stand at the ward offices. Keep taps closed to avoid flooding when "
                 "the water returns."),
    "power-outage": ("Substation fault at {street}",
                     "No electricity in {wards} after a fault at the {street} substation. "
                     "Treat every line as live."),
}
_PLANNED = {
    "no-water": ("Valve replacement on {street}",
                 "Water will be off in {wards} while valves on {street} are replaced. Fill "
                 "containers the night before."),
    "power-outage": ("Maintenance at {street} substation",
                     "Electricity will be off in {wards} for maintenance at the {street} "
                     "substation."),
}


def interruptions_build(*, seed: int, until: datetime.datetime | None = None,
                        months: int = 18) -> dict[str, int]:
    """Build the demo interruptions; return counts by kind of row."""
    rng = random.Random(seed + 16)
    until = until or clock.now()
    services = {s.code: s for s in Service.objects.filter(code__in=_UNPLANNED)}
    if len(services) < len(_UNPLANNED):
        return {}
    wards_by_region: dict[str, list[Ward]] = {}
    for ward in Ward.objects.select_related("region").order_by("code"):
        wards_by_region.setdefault(ward.region.code if ward.region else "", []).append(ward)
    for service in services.values():
        InterruptionLeadTime.objects.get_or_create(service=service, defaults={"hours": 48})
    with transaction.atomic():
        past, linked = _history(rng, services, wards_by_region, until, months)
    current, reports = _current(rng, services, wards_by_region, until)
    rows = interruptions_rollup_rebuild()
    return {"past interruptions": past, "historical reports linked": linked,
            "current and planned": current, "reports during the outage": reports,
            "ward-month rows": rows}


def _street(rng: random.Random) -> str:
    return rng.choice(STREETS)


def _texts(templates: dict, service: Service, rng, wards: list[Ward]) -> tuple[str, str]:
    title, text = templates[service.code]
    street = _street(rng)
    names = ", ".join(w.name for w in wards)
    return title.format(street=street), text.format(street=street, wards=names)


def _history(rng, services, wards_by_region, until, months) -> tuple[int, int]:
    start = until - datetime.timedelta(days=30 * months)
    tz = catalogue_snapshot().calendar.tz
    regions = sorted(r for r in wards_by_region if r)
    ward_by_id = {w.pk: w for wards in wards_by_region.values() for w in wards}
    # Outages are found through reports: most unplanned ones start a little
    # before a historical report of their service (when there is history).
    reports = {code: list(Case.objects.filter(
        service=service, ward__isnull=False, opened_at__gte=start,
        opened_at__lt=until - datetime.timedelta(days=3)).order_by("pk")
        .values_list("ward_id", "opened_at")) for code, service in services.items()}
    made, links = 0, 0
    for _n in range(months * HISTORY_PER_MONTH):
        service = services[rng.choice(sorted(services))]
        planned = rng.random() < 0.4
        seen = reports[service.code]
        if seen and not planned:
            ward_id, opened = rng.choice(seen)
            region = ward_by_id[ward_id].region.code
            starts = opened - datetime.timedelta(minutes=rng.randint(30, 180))
            neighbours = [w for w in wards_by_region[region] if w.pk != ward_id]
            wards = [ward_by_id[ward_id], *rng.sample(neighbours, k=min(rng.randint(0, 3),
                                                                        len(neighbours)))]
        else:
            region = rng.choice(regions)
            wards = rng.sample(wards_by_region[region], k=min(rng.randint(1, 4),
                                                                len(wards_by_region[region])))
            starts = start + datetime.timedelta(minutes=rng.randrange(
                int((until - start).total_seconds() // 60) - 3 * 24 * 60))
        if planned:  # planned work starts on the hour, in the morning (local time)
            starts = starts.astimezone(tz).replace(hour=rng.choice((8, 9, 10)), minute=0,
                                                   second=0, microsecond=0)
            expected = starts + datetime.timedelta(hours=rng.choice((4, 6, 8)))
            # Most planned work ends on time; some overruns.
            restored = expected + datetime.timedelta(minutes=rng.choice((-60, -30, 0, 0, 45,
                                                                        150)))
        else:
            expected = starts + datetime.timedelta(hours=rng.choice((6, 8, 12, 24)))
            restored = starts + (expected - starts) * rng.uniform(0.6, 1.8)
        title, text = _texts(_PLANNED if planned else _UNPLANNED, service, rng, wards)
        interruption = Interruption.objects.create(
            service=service, kind=InterruptionKind.PLANNED if planned
            else InterruptionKind.UNPLANNED, title=title, public_text=text,
            starts_at=starts, expected_restoration_at=expected, restored_at=restored,
            announced_at=starts - datetime.timedelta(hours=48) if planned else starts,
            status=InterruptionStatus.RESTORED, priority="urgent", source="staff",
            created_at=starts - datetime.timedelta(hours=72 if planned else 0, minutes=-20))
        interruption.wards.set(wards)
        updates = [InterruptionUpdate(interruption=interruption, change="started", text=text,
                                      at=starts)]
        if restored > expected:
            updates.append(InterruptionUpdate(
                interruption=interruption, change="updated", at=expected,
                text="The work is taking longer than planned. We will tell you as soon as "
                     "the service is back."))
        updates.append(InterruptionUpdate(interruption=interruption, change="restored",
                                          at=restored, text="The service is restored."))
        InterruptionUpdate.objects.bulk_create(updates)
        case_ids = Case.objects.filter(
            service=service, ward__in=wards, opened_at__gte=starts, opened_at__lt=restored,
        ).values_list("pk", flat=True)
        created = InterruptionCase.objects.bulk_create(
            [InterruptionCase(interruption=interruption, case_id=pk, linked_at=starts)
             for pk in case_ids], ignore_conflicts=True)
        made += 1
        links += len(created)
    return made, links


def _current(rng, services, wards_by_region, until) -> tuple[int, int]:
    water = services["no-water"]
    west = wards_by_region.get("west") or next(iter(wards_by_region.values()))
    wards = west[:3]
    now = clock.now()
    title, text = _texts(_UNPLANNED, water, rng, wards)
    outage = interruption_create(draft=InterruptionDraft(
        service=water, ward_ids=[w.pk for w in wards], kind=InterruptionKind.UNPLANNED,
        title=title, public_text=text, starts_at=now - datetime.timedelta(hours=5),
        expected_restoration_at=now + datetime.timedelta(hours=7)))
    north = wards_by_region.get("north") or west
    title, text = _texts(_PLANNED, water, rng, north[:2])
    day = (now + datetime.timedelta(days=3)).astimezone(catalogue_snapshot().calendar.tz).replace(
        hour=9, minute=0, second=0, microsecond=0)
    interruption_create(draft=InterruptionDraft(
        service=water, ward_ids=[w.pk for w in north[:2]], kind=InterruptionKind.PLANNED,
        title=title, public_text=text, starts_at=day,
        expected_restoration_at=day + datetime.timedelta(hours=6)))
    reports = 0
    for n in range(12):
        ward = wards[n % len(wards)]
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        case_open(draft=CaseDraft(
            service_code=water.code, channel=rng.choice(("web", "hotline", "sms")),
            description=rng.choice(("No water since this morning.", "Taps are dry.",
                                    "No water at all in our street, is there a problem?")),
            ward_code=ward.code, citizen_name=name,
            citizen_phone=f"+2782{rng.randrange(10**7):07d}", contact_consent=True,
            consent_text=str(CONTACT_WORDING)))
        reports += 1
    return (2 if outage else 0), reports
