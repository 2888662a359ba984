"""The province's lookup tables: everything per-row SQL needs to draw a case
with the demo's realism, computed once in Python and written to small
unlogged tables (`province_pv_*`) that the set-based load joins against.

Weighted choices become "pick arrays": an item repeated in proportion to its
weight, so `arr[1 + floor(random() * len)]` draws it in SQL at the cost of an
array subscript. Clocks come from the real working calendar: the due instant
of every distinct target, counted from the start of every hour of the history
(cases are clocked from the hour they opened in; calendar-hour targets keep
the minutes).
"""

import datetime
import json
import random
import re
from dataclasses import dataclass

from django.db import connection

from imbizo.cases import clocks
from imbizo.cases.models import EscalationStep
from imbizo.cases.services import calendar, calendar_reset, promise_of
from imbizo.catalogue import worktime
from imbizo.catalogue.models import Priority, Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.pseudonyms import citizen_key
from imbizo.geo.models import Region, Ward
from imbizo.org.models import Office, Role, Staff

from .history import GROUP_WEIGHT, REGION_NEEDS, SUMMER_GROUPS, _profile
from .names import FIRST_NAMES, LAST_NAMES
from .triage_descriptions import describe

PICK_SIZE = 16_384
HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 7, 8, 8, 7, 6, 5, 4, 3, 3, 2, 2, 1]
SUMMER_MONTHS = (11, 12, 1, 2, 3)
OFFICE_QUALITY = (4.4, 4.1, 3.8, 3.5, 3.1)
PHRASINGS_PER_SERVICE = 12
TABLES = ("ward", "service", "std", "promise", "route", "office", "officer", "citizen",
          "words", "due", "esc")


@dataclass(frozen=True)
class Plan:
    """What the SQL needs besides the lookup tables: pick arrays and the span."""

    start: datetime.datetime
    until: datetime.datetime
    days: int
    ward_pick: list[int]
    service_pick: list[list[int]]  # per region position (1-based in SQL)
    summer_day_pick: list[int]
    day_pick: list[int]
    hour_pick: list[int]
    citizens: int
    ladder: list[tuple[int, int]]  # (level, working hours after the deadline)
    slow_office: int | None


def pick_array(items: list, weights: list[float], size: int = PICK_SIZE) -> list:
    """`items` repeated in proportion to `weights`, `size` entries in all
    (largest remainders; every item with weight keeps at least one entry)."""
    total = sum(weights)
    shares = [w * size / total for w in weights]
    counts = [max(int(s), 1 if w > 0 else 0) for s, w in zip(shares, weights, strict=True)]
    order = sorted(range(len(items)), key=lambda i: counts[i] - shares[i])
    short = size - sum(counts)
    for i in order[:max(short, 0)]:
        counts[i] += 1
    return [item for item, n in zip(items, counts, strict=True) for _ in range(n)]


def _copy(table: str, columns: str, rows) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS province_pv_{table}")
        cursor.execute(f"CREATE UNLOGGED TABLE province_pv_{table} ({columns})")
        names = ", ".join(part.split()[0] for part in re.split(r",\s*(?![^()]*\))", columns)
                          if not part.startswith("PRIMARY KEY"))
        with cursor.cursor.copy(f"COPY province_pv_{table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"ANALYZE province_pv_{table}")


def lookups_drop() -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS province_pv_{table}")


def plan_build(*, seed: int, cases: int, until: datetime.datetime, days: int) -> Plan:
    """Write the lookup tables for `cases` cases over `days` days before `until`."""
    rng = random.Random(f"{seed}:province-plan")
    calendar_reset()
    cal = calendar()
    start = (until - datetime.timedelta(days=days)).astimezone(cal.tz).replace(
        hour=0, minute=0, second=0, microsecond=0)
    days = (until - start).days + 1
    services = list(Service.objects.filter(active=True).order_by("code"))
    wards = list(Ward.objects.order_by("code"))
    regions = {r.pk: (pos, r.code) for pos, r in enumerate(Region.objects.order_by("pk"), start=1)}
    _wards_write(rng, wards, regions)
    ward_weights = [(w.population or 10_000) * rng.choice((0.6, 0.8, 1, 1, 1.3, 2.5))
                    for w in wards]
    service_weights = [GROUP_WEIGHT.get(s.group, 2) * rng.uniform(0.5, 1.5) for s in services]
    service_pick = [
        pick_array([s.pk for s in services],
                   [w * REGION_NEEDS.get(code, {}).get(s.group, 1.0)
                    for s, w in zip(services, service_weights, strict=True)])
        for _pos, code in sorted(regions.values())]
    _copy("service", "service_id int PRIMARY KEY, summer bool",
          ((s.pk, s.group in SUMMER_GROUPS) for s in services))
    _standards_write(rng, seed, services, start, days)
    slow_office = _offices_write(rng)
    citizens = min(max(cases // 4, 1_000), 2_000_000)
    _citizens_write(rng, citizens)
    _words_write(rng, services)
    ladder = [(s.level, s.after_hours) for s in EscalationStep.objects.order_by("level")]
    _clocks_write(cal, start, days, ladder)
    day_dates = [start + datetime.timedelta(days=d) for d in range(days)]
    weekday = [1.0 if d.weekday() < 5 else 0.45 for d in day_dates]
    season = [1.6 if d.month in SUMMER_MONTHS else 1.0 for d in day_dates]
    return Plan(
        start=start, until=until, days=days,
        ward_pick=pick_array(list(range(1, len(wards) + 1)), ward_weights),
        service_pick=service_pick,
        summer_day_pick=pick_array(list(range(days)),
                                   [w * s for w, s in zip(weekday, season, strict=True)]),
        day_pick=pick_array(list(range(days)), weekday),
        hour_pick=pick_array(list(range(24)), HOURS, size=1024),
        citizens=citizens, ladder=ladder, slow_office=slow_office,
    )


def _wards_write(rng, wards, regions) -> None:
    _copy("ward", "pos int PRIMARY KEY, ward_id int, region_pos int, lat float8, lon float8",
          ((pos, w.pk, regions[w.region_id][0], w.centroid_lat, w.centroid_lon)
           for pos, w in enumerate(wards, start=1)))


def _standards_write(rng, seed, services, start, days) -> None:
    """Per service and day: the standard in force and the chance of keeping it
    (the service's profile at that point of the history, a little monthly noise)."""
    snapshot = catalogue_snapshot()
    performance = {s.pk: _profile(rng) for s in services}
    rows, promises = [], {}
    for service in services:
        begin, end = performance[service.pk]
        for day in range(days):
            on = (start + datetime.timedelta(days=day)).date()
            standard = snapshot.standard_in_force(service.pk, on)
            if standard is None:
                continue
            noise = random.Random(f"{seed}:{service.pk}:{on:%Y-%m}").uniform(-0.025, 0.025)
            target = float(standard.compliance_target) / 100
            chance = min(target + begin + (end - begin) * day / max(days - 1, 1) + noise, 0.995)
            rows.append((service.pk, day, standard.pk, chance))
            promises.setdefault(standard.pk, standard)
    _copy("std", "service_id int, day int, standard_id int, chance float8, "
          "PRIMARY KEY (service_id, day)", rows)
    keys: dict[tuple, int] = {}
    out = []
    for standard in promises.values():
        for priority in Priority.values:
            promise = promise_of(standard, priority)
            ack = _key(keys, ("target", promise.ack.amount, promise.ack.unit))
            update = _key(keys, ("target", promise.update.amount, promise.update.unit))
            resolve = _key(keys, ("resolve", promise.resolve.amount, promise.resolve.unit,
                                  promise.warn_before_minutes))
            out.append((standard.pk, priority, ack, update, resolve,
                        promise.ack.unit.startswith("calendar")))
    _copy("promise", "standard_id int, priority text, ack_key int, update_key int, "
          "resolve_key int, ack_calendar bool, PRIMARY KEY (standard_id, priority)", out)
    _CLOCK_KEYS.clear()
    _CLOCK_KEYS.update(keys)


_CLOCK_KEYS: dict[tuple, int] = {}


def _key(keys: dict, value: tuple) -> int:
    return keys.setdefault(value, len(keys) + 1)


def _offices_write(rng) -> int | None:
    officers: dict[int, list[int]] = {}
    for office_id, staff_id in Staff.objects.filter(role=Role.OFFICER).values_list(
            "office_id", "pk").order_by("pk"):
        officers.setdefault(office_id, []).append(staff_id)
    slow_office = next(iter(sorted(officers)), None)
    offices = list(Office.objects.order_by("pk"))
    _copy("office", "office_id int PRIMARY KEY, officers int, auto_assign bool, auto_ack bool, "
          "slow bool, quality float8",
          ((o.pk, len(officers.get(o.pk, ())), o.auto_assign, o.auto_acknowledge,
            o.pk == slow_office, rng.choice(OFFICE_QUALITY)) for o in offices))
    _copy("officer", "office_id int, k int, staff_id int, PRIMARY KEY (office_id, k)",
          ((office, k, staff) for office, staff_ids in officers.items()
           for k, staff in enumerate(staff_ids)))
    _routes_write()
    return slow_office


def _routes_write() -> None:
    """The office of every service in every ward: cases.routing's rule (the most
    specific rule applies, the first of equals), as one query."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS province_pv_route")
        cursor.execute("""
            CREATE UNLOGGED TABLE province_pv_route AS
            SELECT DISTINCT ON (s.id, w.id) s.id AS service_id, w.id AS ward_id, r.office_id
            FROM catalogue_service s CROSS JOIN geo_ward w
            JOIN cases_routingrule r ON (r.service_id IS NULL OR r.service_id = s.id)
                                    AND (r.ward_id IS NULL OR r.ward_id = w.id)
                                    AND (r.region_id IS NULL OR r.region_id = w.region_id)
            ORDER BY s.id, w.id, r.service_id IS NOT NULL DESC, r.ward_id IS NOT NULL DESC,
                     r.region_id IS NOT NULL DESC, r.id""")
        cursor.execute("ALTER TABLE province_pv_route ADD PRIMARY KEY (service_id, ward_id)")


def _citizens_write(rng, count: int) -> None:
    """A pool of citizens who report (some more than once): name, phone, email
    and the pseudonym (citizen_key) engagement files their contacts under."""
    def rows():
        phones = rng.sample(range(10**7), count)
        for k, number in enumerate(phones):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            phone = f"+2782{number:07d}"
            email = "" if rng.random() < 0.5 else \
                f"{first}.{last}{rng.randrange(100)}@example.org".lower().replace(" ", "")
            yield k, f"{first} {last}", phone, email, citizen_key(phone)
    _copy("citizen", "k int PRIMARY KEY, name text, phone text, email text, key text", rows())


def _words_write(rng, services) -> None:
    _copy("words", "service_id int, k int, description text, principles jsonb, "
          "PRIMARY KEY (service_id, k)",
          ((s.pk, k, *_described(rng, s)) for s in services
           for k in range(PHRASINGS_PER_SERVICE)))


def _described(rng, service) -> tuple[str, str]:
    text, principles = describe(random.Random(rng.random()), service.code, service.name)
    return text, json.dumps(principles)


def _clocks_write(cal: worktime.WorkingCalendar, start, days: int, ladder) -> None:
    """Due instants of every distinct target from the start of every hour of the
    history (and a month beyond, for escalations of the last deadlines)."""
    slots = (days + 31) * 24

    def due_rows():
        for (kind, amount, unit, *warn), key in _CLOCK_KEYS.items():
            target = worktime.Target(amount, unit)
            promise = clocks.Promise(ack=target, update=target, resolve=target,
                                     warn_before_minutes=warn[0] if warn else 0)
            for slot in range(slots):
                at = start + datetime.timedelta(hours=slot)
                if kind == "resolve":
                    clock = clocks.resolve_clock(cal, promise, at)
                    yield key, slot, clock.due_at, clock.warn_at, unit.startswith("calendar")
                else:
                    yield key, slot, target.due_from(cal, at), None, unit.startswith("calendar")

    _copy("due", "key int, slot int, due timestamptz, warn timestamptz, shift bool, "
          "PRIMARY KEY (key, slot)", due_rows())

    def esc_rows():
        for level, after_hours in ladder:
            for slot in range(slots):
                at = start + datetime.timedelta(hours=slot)
                yield level, slot, clocks.escalation_due(cal, at, after_hours)

    _copy("esc", "level int, slot int, due timestamptz, PRIMARY KEY (level, slot)", esc_rows())
