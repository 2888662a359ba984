"""The demo municipality: a fictional metro with wards, offices, services with
published standards and staff in every role, built deterministically from a seed.

Each step takes its own random generator derived from the seed and the step's
name, so adding a step never changes what the others produce.
"""

import datetime
import math
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from shapely import MultiPoint, Point, Polygon, voronoi_polygons
from shapely.geometry import mapping

from imbizo.cases.models import RoutingRule
from imbizo.catalogue.models import (
    Closure,
    Service,
    ServiceAttribute,
    TargetUnit,
    WorkingHours,
)
from imbizo.catalogue.services import standard_revise
from imbizo.engagement.models import LoopRule
from imbizo.geo.models import Region, Ward
from imbizo.geo.services import boundary_check
from imbizo.org.models import Department, Institution, Office, Role, Staff

from .catalogue_data import ATTRIBUTES, DEPARTMENTS, NEEDS_PLACE, REVISED, SERVICES
from .gazetteer import build_gazetteer
from .logins import DEMO_PASSWORD
from .names import FIRST_NAMES, LAST_NAMES, STREETS

INSTITUTION = "Ubuntu Bay Metropolitan Municipality"
CENTRE = (31.0, -29.83)  # lon, lat
WARD_COUNT = 110
REGIONS = (("central", "Central"), ("north", "North"), ("east", "East"),
           ("south", "South"), ("west", "West"))
UNIT = {"h": TargetUnit.WORKING_HOURS, "d": TargetUnit.WORKING_DAYS}


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)


def rng_for(seed: int, step: str) -> random.Random:
    return random.Random(f"{seed}:{step}")


def ward_cells(seed: int, count: int = WARD_COUNT) -> list[tuple[Polygon, float]]:
    """Ward polygons (Voronoi cells clipped to the city outline) and populations."""
    rng = rng_for(seed, "wards")
    lon0, lat0 = CENTRE
    outline = Polygon([
        (lon0 + 0.19 * math.cos(a) * (1 + 0.08 * math.sin(3 * a)),
         lat0 + 0.15 * math.sin(a) * (1 + 0.05 * math.cos(2 * a)))
        for a in (i * 2 * math.pi / 48 for i in range(48))
    ]).convex_hull
    points = []
    while len(points) < count:
        # Denser towards the centre, like a real city.
        radius = 0.19 * math.sqrt(rng.random()) ** 1.4
        angle = rng.uniform(0, 2 * math.pi)
        point = Point(lon0 + radius * math.cos(angle), lat0 + radius * 0.8 * math.sin(angle))
        if outline.contains(point):
            points.append(point)
    cells = voronoi_polygons(MultiPoint(points), extend_to=outline)
    result = []
    for cell in cells.geoms:
        clipped = cell.intersection(outline)
        if clipped.is_empty or clipped.geom_type != "Polygon":
            continue
        centre = clipped.centroid
        distance = math.hypot(centre.x - lon0, centre.y - lat0)
        population = int(8_000 + 32_000 * math.exp(-distance / 0.09) * rng.uniform(0.6, 1.0))
        result.append((clipped, population))
    result.sort(key=lambda item: (-round(item[0].centroid.y, 4), round(item[0].centroid.x, 4)))
    return result


def _region_of(lon: float, lat: float) -> str:
    dx, dy = lon - CENTRE[0], lat - CENTRE[1]
    if math.hypot(dx, dy * 1.2) < 0.06:
        return "central"
    angle = math.degrees(math.atan2(dy, dx)) % 360
    if 45 <= angle < 135:
        return "north"
    if 135 <= angle < 225:
        return "west"
    if 225 <= angle < 315:
        return "south"
    return "east"


def build_geography(seed: int) -> dict[str, Region]:
    regions = {code: Region.objects.create(code=code, name=name) for code, name in REGIONS}
    wards = []
    for number, (polygon, population) in enumerate(ward_cells(seed), start=1):
        geometry = mapping(polygon)
        geometry = {"type": "Polygon",
                    "coordinates": [[list(xy) for xy in ring] for ring in geometry["coordinates"]]}
        lat, lon = boundary_check(geometry)
        wards.append(Ward(
            code=f"UB{number:03d}", name=f"Ward {number}", population=population,
            region=regions[_region_of(lon, lat)], boundary=geometry,
            centroid_lat=lat, centroid_lon=lon,
        ))
    Ward.objects.bulk_create(wards)
    return regions


def build_calendar() -> None:
    week = [(d, datetime.time(7, 30), datetime.time(16, 0)) for d in range(4)]
    week.append((4, datetime.time(7, 30), datetime.time(15, 0)))
    WorkingHours.objects.bulk_create(WorkingHours(weekday=d, start=s, end=e) for d, s, e in week)
    Closure.objects.bulk_create([
        Closure(date=datetime.date(2025, 12, 31), reason="End-of-year closure"),
        Closure(date=datetime.date(2026, 12, 31), reason="End-of-year closure"),
    ])


def build_organisation(seed: int, regions: dict[str, Region]) -> dict[str, list[Office]]:
    rng = rng_for(seed, "organisation")
    Institution.objects.create(
        pk=1, name=INSTITUTION, short_name="Ubuntu Bay", time_zone="Africa/Johannesburg",
        website="https://ubuntubay.example", phone="0800 000 311",
        email="service@ubuntubay.example",
        complaints_route=(
            "Not happy with how we handled your matter? Call 0800 000 311, email "
            "complaints@ubuntubay.example or ask for the customer care manager at any "
            "customer care centre. We answer every complaint within 10 working days."
        ),
    )
    departments = {
        code: Department.objects.create(code=code, name=name, description=description)
        for code, name, description in DEPARTMENTS
    }
    plan = [("customer-care", f"{name} Customer Care Centre", code, "Mon-Fri 07:30-16:00")
            for code, name in REGIONS]
    plan += [("customer-care", "Ubuntu Bay Call Centre", "central", "24 hours, every day")]
    for dept, label, region_codes in (
        ("water", "Water Depot", ("north", "south")),
        ("electricity", "Electricity Depot", ("east", "west")),
        ("roads", "Roads Depot", ("north", "south")),
        ("waste", "Waste Depot", ("east", "west")),
        ("health", "Clinic", ("central", "north", "south")),
        ("licensing", "Licensing Centre", ("central", "west")),
        ("housing", "Housing Office", ("central",)),
        ("social", "Social Development Office", ("east",)),
    ):
        for region in region_codes:
            plan.append((dept, f"{dict(REGIONS)[region]} {label}", region, "Mon-Fri 07:30-15:30"))
    wards_by_region: dict[str, list[Ward]] = {}
    for ward in Ward.objects.select_related("region").order_by("code"):
        wards_by_region.setdefault(ward.region.code, []).append(ward)
    offices: dict[str, list[Office]] = {}
    for dept, name, region, hours in plan:
        ward = rng.choice(wards_by_region[region])
        code = name.lower().replace(" ", "-")
        office = Office.objects.create(
            code=code[:32], name=name, department=departments[dept], region=regions[region],
            address=f"{rng.randint(1, 400)} {rng.choice(STREETS)}, {ward.name}",
            lat=ward.centroid_lat, lon=ward.centroid_lon, opening_hours=hours,
            phone=f"031 {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
            is_public=dept != "customer-care" or "Call Centre" not in name,
            auto_assign=dept in ("water", "electricity", "waste"),
            # One department shows the honest automatic acknowledgement.
            auto_acknowledge=dept == "waste",
        )
        offices.setdefault(dept, []).append(office)
    return offices


# Emergencies run round the clock: a burst pipe or a live wire is looked at
# within the hour and made safe the same day.
URGENT_TARGETS = {
    group: [{"priority": "urgent", "ack_amount": 1, "ack_unit": "calendar_hours",
             "resolve_amount": 12, "resolve_unit": "calendar_hours"}]
    for group in ("Water", "Sanitation", "Electricity")
}


def build_catalogue(offices: dict[str, list[Office]], regions: dict[str, Region]) -> int:
    departments = {d.code: d for d in Department.objects.all()}
    services = Service.objects.bulk_create([
        Service(code=code, name=name, group=group, department=departments[dept],
                keywords=keywords, channels=channels, offering=offering,
                description=pledge.split(" within ")[0] + ".",
                metadata=code in ATTRIBUTES, needs_place=code in NEEDS_PLACE)
        for code, name, group, dept, keywords, channels, offering, *_rest, pledge in SERVICES
    ])
    by_code = {s.code: s for s in services}
    ServiceAttribute.objects.bulk_create([
        ServiceAttribute(service=by_code[code], code=attr, datatype=datatype, required=required,
                         description=question, order=order,
                         values=[{"key": k, "name": n} for k, n in values])
        for code, attributes in ATTRIBUTES.items()
        for order, (attr, datatype, required, question, values) in enumerate(attributes, start=1)
    ])
    rules = []
    for code, name, group, dept, *_r, ack, update, resolve, target, pledge in SERVICES:
        service = by_code[code]
        standard_revise(
            service=service, pledge=pledge,
            description=f"{name}: part of the {group.lower()} services of the municipality.",
            ack_amount=ack[0], ack_unit=UNIT[ack[1]],
            update_amount=update[0], update_unit=UNIT[update[1]],
            resolve_amount=resolve[0] + (2 if code in REVISED else 0), resolve_unit=UNIT[resolve[1]],
            warn_before_hours=4, compliance_target=target,
            redress=("If we miss this date, the office supervisor calls you within 1 working "
                     "day to apologise, explain and agree a new date. You can also ask for the "
                     "customer care manager."),
            effective_from=datetime.date(2025, 1, 1), published=True,
            priority_targets=URGENT_TARGETS.get(group, []),
        )
        if code in REVISED:
            standard_revise(service=service, effective_from=datetime.date(2025, 7, 1),
                            **REVISED[code])
        department_offices = offices.get(dept) or offices["customer-care"]
        rules.append(RoutingRule(service=service, office=department_offices[0]))
        for region in regions.values():
            nearest = next((o for o in department_offices if o.region_id == region.pk), None)
            if nearest is not None and nearest != department_offices[0]:
                rules.append(RoutingRule(service=service, region=region, office=nearest))
    RoutingRule.objects.bulk_create(rules)
    # One rule per survey a citizen is sent, so that a poor answer to any of
    # them reaches a supervisor; each says what the citizen is told.
    follow_up = by_code["feedback-follow-up"]
    call = ("The office supervisor will call you within 2 working days to hear what went "
            "wrong and agree how to put it right.")
    LoopRule.objects.bulk_create([
        LoopRule(name="A personal factor rated 1 or 2, or a detractor",
                 drivers=["concern", "friendliness", "civility", "overall"], max_score=2,
                 detractor=True, follow_up_service=follow_up, promise=call),
        LoopRule(name="Any answer of 1 or 2 after a transaction",
                 instrument_code="post-transaction", max_score=2, follow_up_service=follow_up,
                 promise=call),
        LoopRule(name="Any of the seven client-service measures at 1 or 2",
                 instrument_code="client-service", max_score=2, follow_up_service=follow_up,
                 promise=("A supervisor will call you within 2 working days "
                          "to hear where we fell short.")),
    ])
    return len(services)


def build_staff(seed: int, offices: dict[str, list[Office]]) -> int:
    rng = rng_for(seed, "staff")
    password = make_password(DEMO_PASSWORD)  # one hash for all: hashing is slow on purpose
    User = get_user_model()
    plan: list[tuple[str, str, Department | None, Office | None, bool]] = []
    departments = {d.code: d for d in Department.objects.all()}
    water_depot = offices["water"][0]
    call_centre = next(o for o in offices["customer-care"] if "Call" in o.name)
    plan += [
        ("admin", Role.ADMINISTRATOR, None, None, True),
        ("manager", Role.MANAGER, departments["water"], None, False),
        ("supervisor", Role.SUPERVISOR, water_depot.department, water_depot, False),
        ("officer", Role.OFFICER, water_depot.department, water_depot, False),
        ("agent", Role.AGENT, call_centre.department, call_centre, False),
        ("analyst", Role.ANALYST, None, None, False),
        ("auditor", Role.AUDITOR, None, None, False),
    ]
    used = {p[0] for p in plan}

    def person() -> str:
        while True:
            name = f"{rng.choice(FIRST_NAMES)}.{rng.choice(LAST_NAMES)}".lower().replace(" ", "")
            if name not in used:
                used.add(name)
                return name

    for dept in departments.values():
        if dept.code != "water":
            plan.append((person(), Role.MANAGER, dept, None, False))
    for office in (o for group in offices.values() for o in group):
        agents = 12 if office == call_centre else (3 if office.department.code == "customer-care" else 1)
        plan.append((person(), Role.SUPERVISOR, office.department, office, False))
        plan += [(person(), Role.OFFICER, office.department, office, False)
                 for _ in range(rng.randint(3, 5))]
        plan += [(person(), Role.AGENT, office.department, office, False) for _ in range(agents)]
    plan += [(person(), Role.ANALYST, None, None, False) for _ in range(4)]
    plan += [(person(), Role.AUDITOR, None, None, False) for _ in range(2)]
    plan += [(person(), Role.ADMINISTRATOR, None, None, True)]

    users = User.objects.bulk_create([
        User(username=username, password=password, is_staff=admin, is_superuser=admin,
             first_name=_display(username)[0], last_name=_display(username)[1],
             email=f"{username}@ubuntubay.example")
        for username, _role, _dept, _office, admin in plan
    ])
    staff = Staff.objects.bulk_create([
        Staff(user=user, role=role, department=dept, office=office,
              job_title=Role(role).label)
        for user, (_u, role, dept, office, _a) in zip(users, plan, strict=True)
    ])
    managers = {s.department_id: s for s in staff if s.role == Role.MANAGER}
    for dept in departments.values():
        dept.head = managers.get(dept.pk)
    Department.objects.bulk_update(departments.values(), ["head"])
    return len(staff)


# The demo logins are people too: ratings, cases and digests show a staff
# member's name, and "Supervisor (demo)" on a ratings table reads as a fault.
LOGIN_NAMES = {
    "admin": ("Lindiwe", "Khumalo"), "manager": ("Themba", "Nkosi"),
    "supervisor": ("Nomvula", "Dlamini"), "officer": ("Sipho", "Mthembu"),
    "agent": ("Zodwa", "Mahlangu"), "analyst": ("Pieter", "van Wyk"),
    "auditor": ("Fatima", "Adams"),
}


def _display(username: str) -> tuple[str, str]:
    if username in LOGIN_NAMES:
        return LOGIN_NAMES[username]
    if "." not in username:
        return username.capitalize(), ""
    first, last = username.split(".", 1)
    return first.capitalize(), last.capitalize()


@transaction.atomic
def demo_build(*, seed: int = 2026) -> DemoSummary:
    """Create the demo municipality in an empty database."""
    regions = build_geography(seed)
    places = build_gazetteer(seed)
    build_calendar()
    offices = build_organisation(seed, regions)
    services = build_catalogue(offices, regions)
    staff = build_staff(seed, offices)
    return DemoSummary(counts={
        "regions": len(regions), "wards": Ward.objects.count(), "places": places,
        "departments": Department.objects.count(),
        "offices": sum(len(o) for o in offices.values()), "services": services,
        "staff": staff,
    })
