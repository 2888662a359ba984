"""Planted duplicates: the same problem reported twice, with the ground truth.

Each Planted line is two reports written by hand: `same` says whether they
are one problem (a burst pipe reported by two neighbours two minutes apart)
or two (potholes 400 m apart on the same road, a blocked sewer reported again
a week later). The reports are opened through cases.services in wards of
their own, then dated back to when they came in, and stay open: an officer
sees the pairs as possible duplicates, a citizen typing the same words on the
report form is offered the first to follow. `duplicates_plant` returns the
pairs by reference; bench/triage_duplicates.py measures the duplicate
finder's precision and recall on them (docs/duplicates.md). Each planted
report is recorded as sent on the report form with triage in view, so
*Triage in use* has figures once a model is trained.

The demo's own duplicate windows (triage.duplicates_windows.DEMO_WINDOWS) are
written here too, so administrators find one per service in the admin.
"""

import datetime
import random
import time
from dataclasses import dataclass

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.catalogue.models import Service
from imbizo.core import clock
from imbizo.geo.models import Ward
from imbizo.geo.selectors import ward_id_at
from imbizo.privacy.consent import CONTACT_WORDING
from imbizo.triage.duplicates import duplicates_find
from imbizo.triage.duplicates_windows import windows_seed
from imbizo.triage.usage import choice_record
from imbizo.triage.usage_models import Door

from .names import FIRST_NAMES, LAST_NAMES, STREETS


@dataclass(frozen=True)
class Planted:
    service: str
    first: str
    second: str
    metres: float  # how far north of the first the second was reported
    minutes: int  # how long after the first
    same: bool  # the ground truth: one problem or two
    # The second report in the ward next door (a ward-wide outage that is not ours).
    next_ward: bool = False


PLANTED: tuple[Planted, ...] = (
    # One problem reported twice.
    Planted("water-leak", "Burst pipe on {street}, water is running down the road",
            "pipe burst on {street}!! water everywhere pls come", 15, 2, True),
    Planted("pothole", "Big pothole outside number 14 {street}, cars swerve into the other lane",
            "deep pot hole {street} near no 14, my tyre burst", 8, 180, True),
    Planted("streetlight-out", "The streetlight on the corner of {street} has been off a week",
            "street light not working {street} corner, very dark at night", 20, 26 * 60, True),
    Planted("sewer-blockage", "Sewage is overflowing from the manhole on {street}",
            "manhole overflowing with sewage on {street}, the smell is terrible", 30, 45, True),
    Planted("no-water", "No water in the whole street since this morning",
            "Amanzi awekho kusukela ekuseni, sicela nisisize", 600, 90, True),
    Planted("illegal-dumping", "Builders' rubble dumped on the open field by {street}",
            "someone dumped building rubble on the field next to {street}", 25, 300, True),
    Planted("traffic-signal", "Traffic lights are out at the {street} intersection",
            "robots not working at {street} crossing, taxis everywhere", 40, 20, True),
    Planted("dead-animal", "Dead dog lying on the pavement of {street}",
            "there is a dead dog on {street} sidewalk since yesterday", 10, 120, True),
    Planted("stormwater-drain", "Stormwater drain blocked with plastic on {street}, road flooding",
            "drain blocked on {street}, water standing on the road", 20, 30, True),
    Planted("power-outage", "No electricity in our area since six this evening",
            "Ha re na motlakase ho tloha mantsiboea", 800, 60, True),
    Planted("water-leak", "Water leaking from the meter box outside {street} flats",
            "meter box leaking at {street} flats, water wasting for days", 5, 400, True),
    Planted("missed-bin", "Bins were not collected on {street} this week",
            "refuse not collected on {street} since Tuesday, dogs tearing the bags", 120, 600, True),
    Planted("illegal-connection", "Illegal connections hanging from the pole on {street}",
            "izinyoka connected wires on {street} pole, danger to children", 35, 240, True),
    Planted("sidewalk-repair", "Pavement broken and lifted by tree roots on {street}",
            "broken sidewalk {street}, old lady fell there", 12, 1440, True),
    # Two problems that look alike.
    Planted("pothole", "Pothole by the school gate on {street}",
            "Pothole at the taxi rank on {street}", 400, 60, False),
    Planted("water-leak", "Burst pipe on {street}",
            "Pipe leaking at the clinic on {street}", 900, 30, False),
    Planted("streetlight-out", "Streetlight out on {street}",
            "Streetlight out on {street}", 300, 60, False),
    Planted("sewer-blockage", "Sewer blocked on {street}",
            "Sewer blocked again on {street}", 50, 5 * 24 * 60, False),
    Planted("no-water", "No water since this morning", "No water since this morning",
            0, 60, False, next_ward=True),
    Planted("illegal-dumping", "Rubbish dumped behind the community hall on {street}",
            "Tyres dumped at the river bridge on {street}", 700, 120, False),
)


@dataclass(frozen=True)
class PlantedPair:
    first: str  # reference
    second: str
    same: bool


def _point(ward: Ward) -> tuple[float, float] | None:
    point = (ward.centroid_lat, ward.centroid_lon)
    return point if ward_id_at(lat=point[0], lon=point[1]) == ward.pk else None


def _north(point, metres: float) -> tuple[float, float]:
    return (point[0] + metres / 111_320.0, point[1])


# The answers the planted services' required questions need (demo catalogue).
ANSWERS = {"pothole": {"size": "medium"}, "missed-bin": {"collection_day": "tuesday"}}


def _draft(rng, service: str, text: str, point, street: str) -> CaseDraft:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return CaseDraft(attributes=dict(ANSWERS.get(service, {})),
        service_code=service, description=text.format(street=street), channel="web",
        lat=point[0], lon=point[1], address=street, citizen_name=name,
        citizen_phone=f"+2782{rng.randrange(10**7):07d}", contact_consent=True,
        consent_text=str(CONTACT_WORDING))


def duplicates_plant(*, seed: int = 1, now: datetime.datetime | None = None,
                     ) -> list[PlantedPair]:
    """Open the PLANTED reports, each pair in a ward of its own, the second
    one `minutes` after the first and the pair ending in the last day before
    `now`; returns the pairs by reference (the ground truth)."""
    windows_seed(Service.objects.all())
    rng = random.Random(seed * 7919)
    now = now or clock.now()
    wards = [w for w in Ward.objects.order_by("code") if _point(w)]
    if len(wards) < 2:
        return []
    pairs = []
    for n, plant in enumerate(PLANTED):
        ward = wards[(n * 3) % len(wards)]
        street = STREETS[n % len(STREETS)]
        here = _point(ward)
        there = (_point(wards[(n * 3 + 1) % len(wards)]) if plant.next_ward
                 else _north(here, plant.metres))
        if ward_id_at(lat=there[0], lon=there[1]) is None:
            continue  # north of the last ward: the institution's edge
        first = case_open(draft=_draft(rng, plant.service, plant.first, here, street))
        second = case_open(draft=_draft(rng, plant.service, plant.second, there, street))
        second_at = now - datetime.timedelta(minutes=rng.randrange(5, 20 * 60))
        _date_back(first, second_at - datetime.timedelta(minutes=plant.minutes))
        _date_back(second, second_at)
        for case in (first, second):  # sent on the report form, triage in view
            case.refresh_from_db(fields=["opened_at"])
            choice_record(case=case, door=Door.REPORT)
        pairs.append(PlantedPair(first=first.reference, second=second.reference,
                                 same=plant.same))
    return pairs


def _date_back(case: Case, opened_at: datetime.datetime) -> None:
    # Only the instant the report came in moves: its clocks stay as they were
    # set, a few hours generous at most, which a demo can afford.
    Case.objects.filter(pk=case.pk).update(opened_at=opened_at)
    case.events.filter(kind="opened").update(at=opened_at)


@dataclass(frozen=True)
class DuplicateScore:
    pairs: int  # planted pairs that are one problem
    near_misses: int  # planted pairs that are two
    found: int  # pairs whose second report's best hit is its first
    offered: int  # second reports offered any hit
    precision: float  # found / offered
    recall: float  # found / pairs
    timings_ms: list[float]


def duplicates_score(pairs: list[PlantedPair]) -> DuplicateScore:
    """Ask the duplicate finder, for each planted second report as it came in,
    for its best hit; a hit is right when it is the first report of a pair
    that is one problem. Everything else offered counts against precision."""
    cases = {c.reference: c for c in Case.objects.filter(
        reference__in=[p.second for p in pairs] + [p.first for p in pairs],
    ).select_related("service")}
    found = offered = 0
    timings = []
    for pair in pairs:
        second = cases[pair.second]
        started = time.perf_counter()
        hits = duplicates_find(service=second.service, description=second.description,
                               lat=second.lat, lon=second.lon, ward=second.ward_id,
                               exclude_case_id=second.pk, now=second.opened_at, limit=1)
        timings.append((time.perf_counter() - started) * 1000)
        if hits:
            offered += 1
            found += pair.same and hits[0].reference == pair.first
    same = sum(p.same for p in pairs)
    return DuplicateScore(
        pairs=same, near_misses=len(pairs) - same, found=found, offered=offered,
        precision=found / offered if offered else 1.0, recall=found / same if same else 0.0,
        timings_ms=timings)
