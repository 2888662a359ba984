"""Historical cases for the demo: months of reports with a realistic shape.

Seasonality (summer storms bring leaks, outages and potholes), wards that
differ in need, offices that keep or miss their promises (one with a bad
patch after a staff change), escalations on late cases, reopenings. Clocks
are computed with the real working calendar, and rows are written in bulk.
"""

import datetime
import random
from dataclasses import dataclass, field, replace

from django.db import transaction

from imbizo.cases import clocks
from imbizo.cases.intake import STAFF_TYPED_CHANNELS
from imbizo.cases.models import Case, CaseEvent, EscalationStep
from imbizo.cases.reference import ALPHABET, check_symbol, format_reference
from imbizo.cases.routing import route
from imbizo.cases.services import calendar, promise_of
from imbizo.catalogue import worktime
from imbizo.catalogue.models import Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.bulk import bulk_insert, sequence_reset
from imbizo.geo.models import Ward
from imbizo.org.models import Role, Staff

from .names import FIRST_NAMES, LAST_NAMES, STREETS
from .triage_descriptions import describe

# How often each group is reported, and in which months it peaks (summer rains).
GROUP_WEIGHT = {"Water": 9, "Sanitation": 5, "Electricity": 9, "Roads": 8, "Waste": 8,
                "Housing": 3, "Social support": 2, "Health": 3, "Licensing": 3,
                "Customer care": 4}
SUMMER_GROUPS = {"Water", "Sanitation", "Electricity", "Roads"}
# What each region reports most, beyond the groups' usual weight: the needs map
# then tells a story (the West's old pipes, the North's overloaded substations).
REGION_NEEDS = {"west": {"Water": 3.0, "Sanitation": 2.0},
                "north": {"Electricity": 2.5},
                "east": {"Roads": 2.5},
                "south": {"Waste": 2.5, "Sanitation": 2.0},
                "central": {"Housing": 6.0, "Customer care": 1.5}}
# How services keep their promise: most keep it most months, some miss it,
# a few start below it and climb above it over the history (a recovery plan).
PROFILES = (("kept", 65), ("missed", 20), ("improving", 15))
CHANNELS = (("web", 30), ("hotline", 30), ("walk_in", 15), ("sms", 8), ("api", 7),
            ("field", 6), ("email", 3), ("outreach", 1))
KINDS = (("request", 78), ("complaint", 14), ("enquiry", 5), ("compliment", 2), ("suggestion", 1))
@dataclass(frozen=True)
class _Plan:
    services: list
    service_weights: list[float]
    wards: list
    ward_weights: list[float]
    officers: dict[int, list[int]]
    slow_office: int | None
    # Per service: the chance of resolving in time, against its target, at the
    # start and at the end of the history (points of share; see _on_time_chance).
    performance: dict[int, tuple[float, float]]
    region_weights: dict[str, list[float]] = field(default_factory=dict)
    seed: int = 0
    start: datetime.datetime | None = None
    span_seconds: float = 1.0


def _weights(rng: random.Random) -> _Plan:
    services = list(Service.objects.filter(active=True).order_by("code"))
    service_weights = [GROUP_WEIGHT.get(s.group, 2) * rng.uniform(0.5, 1.5) for s in services]
    wards = list(Ward.objects.select_related("region").order_by("code"))
    # Need differs by ward: a few wards carry far more reports per resident.
    ward_weights = [(w.population or 10_000) * rng.choice((0.6, 0.8, 1, 1, 1.3, 2.5))
                    for w in wards]
    officers: dict[int, list[int]] = {}
    for office_id, staff_id in Staff.objects.filter(role=Role.OFFICER).values_list(
            "office_id", "pk").order_by("pk"):
        officers.setdefault(office_id, []).append(staff_id)
    performance = {s.pk: _profile(rng) for s in services}
    slow_office = next(iter(sorted(officers)), None)
    regions = {w.region.code for w in wards if w.region_id}
    region_weights = {
        code: [weight * REGION_NEEDS.get(code, {}).get(s.group, 1.0)
               for s, weight in zip(services, service_weights, strict=True)]
        for code in regions}
    return _Plan(services, service_weights, wards, ward_weights, officers, slow_office,
                 performance, region_weights)


def _profile(rng: random.Random) -> tuple[float, float]:
    """(start, end): points above (+) or below (-) the service's target."""
    profile = rng.choices([p for p, _ in PROFILES], weights=[w for _, w in PROFILES])[0]
    if profile == "kept":
        margin = rng.uniform(0.03, 0.07)
        return margin, margin
    if profile == "missed":
        margin = -rng.uniform(0.10, 0.25)
        return margin, margin
    return -rng.uniform(0.15, 0.25), rng.uniform(0.03, 0.07)


def _on_time_chance(plan: _Plan, service, standard, opened: datetime.datetime) -> float:
    """The chance that a case of `service` opened at `opened` is resolved in time:
    the service's target moved by its profile at this point of the history,
    with a little month-to-month noise of its own."""
    target = float(standard.compliance_target) / 100
    begin, end = plan.performance[service.pk]
    progress = 0.0 if plan.start is None else min(max(
        (opened - plan.start).total_seconds() / plan.span_seconds, 0.0), 1.0)
    noise = random.Random(f"{plan.seed}:{service.pk}:{opened:%Y-%m}").uniform(-0.025, 0.025)
    return min(target + begin + (end - begin) * progress + noise, 0.995)


def _reference(n: int) -> str:
    data = ""
    for _ in range(7):
        n, digit = divmod(n, len(ALPHABET))
        data = ALPHABET[digit] + data
    return format_reference(data + check_symbol(data))


def _opened_at(rng: random.Random, start: datetime.datetime, days: int, summer: bool):
    while True:
        day = rng.randrange(days)
        moment = start + datetime.timedelta(days=day)
        month = moment.month
        season = 1.6 if summer and month in (11, 12, 1, 2, 3) else 1.0
        weekday = 1.0 if moment.weekday() < 5 else 0.45
        if rng.random() < season * weekday / 1.6:
            hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 7, 8, 8,
                                                   7, 6, 5, 4, 3, 3, 2, 2, 1])[0]
            return moment.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))


def history_build(*, seed: int, cases: int, until: datetime.datetime, months: int = 18) -> int:
    """Add `cases` historical cases opened over the `months` before `until`."""
    rng = random.Random(f"{seed}:history")
    plan = _weights(rng)
    snapshot = catalogue_snapshot()
    cal = calendar()
    ladder = list(EscalationStep.objects.order_by("level"))
    start = (until - datetime.timedelta(days=30 * months)).astimezone(cal.tz).replace(
        hour=0, minute=0, second=0, microsecond=0)
    days = (until - start).days
    plan = replace(plan, seed=seed, start=start, span_seconds=max((until - start).total_seconds(), 1))
    first_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows, events = [], []
    for n in range(cases):
        ward = rng.choices(plan.wards, weights=plan.ward_weights)[0]
        service = rng.choices(plan.services, weights=plan.region_weights.get(
            ward.region.code if ward.region_id else "", plan.service_weights))[0]
        opened = _opened_at(rng, start, days, service.group in SUMMER_GROUPS)
        if opened >= until:
            opened = until - datetime.timedelta(minutes=rng.randrange(1, 600))
        standard = snapshot.standard_in_force(service.pk, opened.date())
        office = route(service_id=service.pk, ward_id=ward.pk)
        case_id = first_id + n
        row = _case_row(rng, plan, case_id, service, ward, office, opened, standard, cal,
                        ladder, until, events)
        rows.append(row)
    with transaction.atomic():
        bulk_insert(Case, rows, now=until, with_pk=True)
        bulk_insert(CaseEvent, events)
        sequence_reset(Case)
    return len(rows)


def _case_row(rng, plan, case_id, service, ward, office, opened, standard, cal, ladder, until,
              events):
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
    anonymous = rng.random() < 0.12
    consent = not anonymous and rng.random() < 0.7
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    lat = ward.centroid_lat + rng.uniform(-0.004, 0.004)
    # Several phrasings per service, typos, other languages (triage learns from them).
    words = describe(random.Random(rng.random()), service.code, service.name)
    lon = ward.centroid_lon + rng.uniform(-0.004, 0.004)
    row = {
        "id": case_id, "reference": _reference(case_id * 2_654_435_761 % (31 ** 7)), "kind": kind,
        "channel": channel, "service_id": service.pk, "ward_id": ward.pk,
        "description": (description := words[0]), "principles": words[1],
        # As case_open does: staff's intake words are private (cases.intake).
        "public_description": "" if channel in STAFF_TYPED_CHANNELS else description,
        "address": f"{rng.randint(1, 400)} {rng.choice(STREETS)}", "lat": lat, "lon": lon,
        "citizen_name": "" if anonymous else f"{first} {last}",
        "citizen_phone": "" if anonymous else f"+2782{rng.randrange(10**7):07d}",
        "citizen_email": "" if anonymous or rng.random() < 0.5 else
        f"{first}.{last}{rng.randrange(100)}@example.org".lower().replace(" ", ""),
        "contact_consent": consent, "anonymous": anonymous,
        "office_id": office.pk if office else None, "opened_at": opened,
        "standard_id": standard.pk if standard else None,
        "priority": rng.choices(("low", "normal", "high", "urgent"), weights=(10, 75, 12, 3))[0],
    }
    events.append({"case_id": case_id, "kind": "opened", "at": opened, "public": True,
                   "to_status": "received", "details": {"channel": channel}})
    if standard is None:
        return {**row, "status": "received", "next_check_at": None}
    promise = promise_of(standard, row["priority"])
    resolve = clocks.resolve_clock(cal, promise, opened)
    row.update(ack_due_at=promise.ack.due_from(cal, opened), resolve_due_at=resolve.due_at,
               resolve_warn_at=resolve.warn_at,
               update_due_at=promise.update.due_from(cal, opened))
    target = max((resolve.due_at - opened).total_seconds(), 3600)
    performance = _on_time_chance(plan, service, standard, opened)
    # A staff change at one office: three bad months in the middle of the history.
    if office and office.pk == plan.slow_office and opened.month in (5, 6, 7):
        performance -= 0.3
    on_time = rng.random() < performance
    share = rng.uniform(0.15, 0.95) if on_time else rng.uniform(1.05, 3.5)
    # People acknowledge in working hours (an emergency's on-call crew at any hour),
    # mostly within the pledge; cases that came in overnight wait for the morning.
    if promise.ack.unit.startswith("calendar"):
        acknowledged = opened + datetime.timedelta(minutes=rng.triangular(5, 150, 30))
    else:
        acknowledged = worktime.add_working_minutes(cal, opened, int(rng.triangular(5, 900, 90)))
    resolved = opened + datetime.timedelta(seconds=target * share)
    acknowledged = min(acknowledged, resolved)  # resolving tells the citizen: it acknowledges
    officers = plan.officers.get(office.pk if office else None) or [None]
    assignee = rng.choice(officers)
    if office is not None and office.auto_acknowledge:
        # The office's automatic receipt: counted apart; a person still acknowledges.
        row["acknowledged_by_system"] = True
        events.append({"case_id": case_id, "kind": "acknowledged", "at": opened,
                       "public": True, "details": {"automatic": True}})
    automatic = office is not None and office.auto_assign and assignee is not None
    if automatic:
        # Auto-assignment as the case opens: no acknowledgement (a person's act).
        row.update(status="assigned", assigned_at=opened, assignee_id=assignee)
        events.append({"case_id": case_id, "kind": "assigned", "at": opened,
                       "from_status": "received", "to_status": "assigned",
                       "details": {"office": office.code, "automatic": True}})
    if acknowledged < until and assignee:
        # Acknowledging is a person's act: the officer who takes (or was given) the case.
        row["acknowledged_at"] = acknowledged
        moved = {} if automatic else {"from_status": "received", "to_status": "acknowledged"}
        events.append({"case_id": case_id, "kind": "acknowledged", "at": acknowledged,
                       "public": True, "actor_id": assignee, "details": {"how": "acknowledged"},
                       **moved})
        if not automatic:
            row.update(status="assigned", assigned_at=acknowledged, assignee_id=assignee)
            events.append({"case_id": case_id, "kind": "assigned", "at": acknowledged,
                           "from_status": "acknowledged", "to_status": "assigned",
                           "actor_id": assignee})
    if row["ack_due_at"] < min(acknowledged if assignee else until, until):
        # The sweep saw the deadline pass before anyone acknowledged.
        row["ack_breached_at"] = row["ack_due_at"]
    if resolve.due_at < min(resolved, until):
        row.update(resolve_breached_at=resolve.due_at, resolve_warned_at=resolve.warn_at,
                   escalation_level=1)
        events.append({"case_id": case_id, "kind": "breached", "at": resolve.due_at,
                       "public": True, "details": {"due": resolve.due_at.isoformat()}})
        for step in ladder:
            due = clocks.escalation_due(cal, resolve.due_at, step.after_hours)
            if due < min(resolved, until):
                row["escalation_level"] = step.level
                events.append({"case_id": case_id, "kind": "escalated", "at": due,
                               "details": {"level": step.level, "step": step.name}})
            elif "escalate_next_at" not in row:
                row["escalate_next_at"] = due
    if resolved < until:
        outcome = "fixed" if rng.random() < 0.88 else rng.choice(("not_fixed", "referred",
                                                                   "withdrawn"))
        before = row.get("status", "received")  # the event records where the case came from
        row.update(status="resolved", resolved_at=resolved, outcome=outcome,
                   outcome_reason="No budget this year" if outcome == "not_fixed" else "",
                   referred_to="Provincial roads department" if outcome == "referred" else "",
                   root_cause=rng.choice(("Old infrastructure", "Storm damage", "Vandalism",
                                          "Wear and tear", "Third-party contractor")),
                   next_check_at=None, escalate_next_at=None)
        events.append({"case_id": case_id, "kind": "status", "at": resolved, "public": True,
                       "from_status": before, "to_status": "resolved",
                       "details": {"outcome": outcome}, "actor_id": assignee})
        closed = resolved + datetime.timedelta(days=rng.uniform(1, 6))
        if closed < until:
            if rng.random() < 0.04:
                reopened = closed + datetime.timedelta(days=rng.uniform(0.5, 10))
                if reopened < until:
                    events.append({"case_id": case_id, "kind": "reopened", "at": reopened,
                                   "public": True, "from_status": "resolved",
                                   "to_status": "reopened", "note": "Still not fixed."})
                    row.update(reopened_at=reopened, reopen_count=1)
                    # The second time round the office keeps the (restarted) promise.
                    again = clocks.resolve_clock(cal, promise, reopened)
                    fixed = reopened + (again.due_at - reopened) * rng.uniform(0.2, 0.9)
                    if fixed >= until:
                        row.update(status="reopened", outcome="", resolved_at=None)
                        return _open_clock(row, cal, promise, reopened, until)
                    row.update(resolve_due_at=again.due_at, resolve_warn_at=again.warn_at,
                               resolved_at=fixed, outcome="fixed")
                    events.append({"case_id": case_id, "kind": "status", "at": fixed,
                                   "public": True, "from_status": "reopened",
                                   "to_status": "resolved", "details": {"outcome": "fixed"}})
                    closed = fixed + datetime.timedelta(days=rng.uniform(1, 6))
                    if closed >= until:
                        row["status"] = "resolved"
                        return row
            row.update(status="closed", closed_at=closed)
            events.append({"case_id": case_id, "kind": "status", "at": closed,
                           "from_status": "resolved", "to_status": "closed"})
        return row
    return _open_clock(row, cal, promise, None, until)


def _open_clock(row, cal, promise, restarted, until=None):
    """Clocks of a case still open at the end of the history."""
    if restarted is not None:
        resolve = clocks.resolve_clock(cal, promise, restarted)
        row.update(resolve_due_at=resolve.due_at, resolve_warn_at=resolve.warn_at,
                   resolve_breached_at=None, resolve_warned_at=None, escalation_level=0,
                   update_due_at=promise.update.due_from(cal, restarted))
    if until is not None and row.get("acknowledged_at"):
        # Officers sent updates along the way; the next one is due from the last.
        last_update = until - datetime.timedelta(hours=6)
        row.update(last_public_update_at=last_update,
                   update_due_at=promise.update.due_from(cal, last_update))
    row["next_check_at"] = clocks.next_check(
        row.get("ack_due_at") if not row.get("acknowledged_at") and not row.get("ack_breached_at")
        else None,
        row.get("update_due_at"),
        row.get("resolve_warn_at") if not row.get("resolve_warned_at") else None,
        row.get("resolve_due_at") if not row.get("resolve_breached_at") else None,
        row.get("escalate_next_at"),
    )
    return row


