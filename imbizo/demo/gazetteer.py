"""The demo's gazetteer: a suburb per ward, with streets, facilities and
landmarks named as a South African metro names them (isiZulu, isiXhosa,
Sesotho, Setswana, Afrikaans and English), at points drawn inside the ward.

Synthetic: no name points at a real place. Built set-based (one bulk insert)
from its own random generator, so it never changes what other steps make.
"""

import random

from shapely.geometry import Point, shape
from shapely.prepared import prep

from imbizo.geo.models import Place, PlaceKind, Ward
from imbizo.geo.services import places_locate

STREETS_PER_WARD = (18, 30)
FACILITIES_PER_WARD = (3, 6)
LANDMARKS_PER_WARD = (2, 5)

# People and words streets are named after, by language.
NAMES = {
    "zu": ("Inkosi Bhambatha", "Nandi", "Langalibalele", "Dube", "Mkhize", "Cele", "Zungu",
           "Sibiya", "Ntuli", "Magwaza", "Mthembu", "Khumalo", "Thandanani", "Sizwe", "Nomvula",
           "Ukhozi", "Umthombo", "Isibani", "Ithemba", "Mbuyazi", "Gcabashe", "Ngcobo"),
    "xh": ("Sobukwe", "Ntsikana", "Tiyo Soga", "Khanya", "Zwelethu", "Mandisa", "Nobantu",
           "Siyavuya", "Lulama", "Mqhayi"),
    "st": ("Moshoeshoe", "Mofokeng", "Letsie", "Khotso", "Lerato", "Mohale", "Thabo", "Pula",
           "Tshepiso", "Mokoena", "Nthabiseng", "Lesedi"),
    "tn": ("Kgosi Sechele", "Tau", "Modise", "Pule", "Kagiso", "Boitumelo", "Tshepo",
           "Masego", "Kgomotso", "Mmabatho", "Segametsi"),
    "af": ("Kerk", "Stasie", "Mark", "Jakaranda", "Protea", "Eike", "Bloekom", "Rivier",
           "Berg", "Wilger", "Akasia", "Suikerbos", "Vygie", "Koppie"),
    "en": ("Church", "Station", "Market", "Acacia", "Marigold", "Lily", "Oak", "Hill", "Ridge",
           "Harbour", "Mill", "School", "Reservoir", "Jacaranda", "Sugarbird", "Aloe"),
}
STREET_TYPES = ("Street", "Street", "Street", "Road", "Road", "Avenue", "Crescent", "Lane",
                "Drive", "Close")
AFRIKAANS_TYPES = ("straat", "straat", "weg", "laan", "singel")
AFRIKAANS_ENGLISH = {"Kerk": "Church", "Stasie": "Station", "Mark": "Market",
                     "Jakaranda": "Jacaranda", "Rivier": "River", "Berg": "Mountain",
                     "Eike": "Oak", "Wilger": "Willow"}
TYPE_IN_ENGLISH = {"straat": "Street", "weg": "Road", "laan": "Avenue", "singel": "Crescent"}
# Older names some streets carried before they were renamed.
OLD_NAMES = ("West Street", "Point Road", "Victoria Street", "Queen Street", "Prince Alfred Road",
             "Smith Street", "Gale Street", "Grey Street", "Kings Road", "Berea Road")
SUBURB_STEMS = ("Thanda", "Zwelethu", "Ntuzuma", "Lindelani", "Siyathuthuka", "Ekuthuleni",
                "Thabong", "Khotsong", "Lerato", "Mohlakeng", "Tlhabane", "Bophelong",
                "Rivierpark", "Bergsig", "Protea", "Suikerbos", "Riverside", "Hillcrest",
                "Sunnyside", "Harbourview", "Inanda", "Umlazi", "Mpumalanga", "Sinethemba",
                "Lesedi", "Kagiso", "Itsoseng", "Mandela", "Tambo", "Ubuntu")
SUBURB_FORMS = ("{}", "{}", "{} Park", "{} Heights", "{} Extension", "Kwa{}", "{} Gardens",
                "{} View")
FACILITIES = ("{} Primary School", "{} Secondary School", "{} Clinic", "{} Community Hall",
              "{} Library", "{} Police Station", "{} Community Health Centre",
              "{} Customer Care Centre", "{} Sports Ground", "{} Swimming Pool")
LANDMARKS = ("{} Taxi Rank", "{} Shopping Centre", "{} Market", "{} Methodist Church",
             "{} Taverns", "{} Park", "{} Bus Terminus", "{} Spaza Corner", "{} Mosque",
             "{} Water Tower", "{} Bridge", "{} Stadium")


def _street(rng: random.Random) -> tuple[str, str]:
    language = rng.choice(("zu", "zu", "xh", "st", "tn", "af", "en", "en"))
    stem = rng.choice(NAMES[language])
    if language == "af":
        kind = rng.choice(AFRIKAANS_TYPES)
        name = f"{stem}{kind}"
        english = AFRIKAANS_ENGLISH.get(stem)
        return name, f"{english} {TYPE_IN_ENGLISH[kind]}" if english else ""
    alt = rng.choice(OLD_NAMES) if rng.random() < 0.12 else ""
    return f"{stem} {rng.choice(STREET_TYPES)}", alt


def _suburbs(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        stem = rng.choice(SUBURB_STEMS)
        form = rng.choice(SUBURB_FORMS)
        if stem.endswith("view") and "View" in form:
            continue
        name = form.format(stem)
        if name not in names:
            names.append(name)
        elif len(names) > len(SUBURB_STEMS) * 4:
            names.append(f"{name} {len(names)}")
    return names


def _points(rng: random.Random, polygon, count: int) -> list[tuple[float, float]]:
    """`count` (lat, lon) drawn inside `polygon`."""
    inside = prep(polygon)
    minx, miny, maxx, maxy = polygon.bounds
    points: list[tuple[float, float]] = []
    while len(points) < count:
        # Rounded before the test: a point on the city's edge must stay in.
        lon, lat = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)
        if inside.contains(Point(lon, lat)):
            points.append((lat, lon))
    return points


def build_gazetteer(seed: int) -> int:
    """Create the demo's places over its wards; return how many."""
    rng = random.Random(f"{seed}:gazetteer")
    wards = list(Ward.objects.order_by("code").values_list("code", "boundary"))
    suburbs = _suburbs(rng, len(wards))
    places: list[Place] = []
    for (code, boundary), suburb in zip(wards, suburbs, strict=True):
        polygon = shape(boundary)
        centre = polygon.representative_point()
        wanted = [(PlaceKind.AREA, suburb, "")]
        streets: set[str] = set()
        for _n in range(rng.randint(*STREETS_PER_WARD)):
            name, alt = _street(rng)
            if name not in streets:
                streets.add(name)
                wanted.append((PlaceKind.STREET, name, alt))
        for templates, kind, span in ((FACILITIES, PlaceKind.FACILITY, FACILITIES_PER_WARD),
                                      (LANDMARKS, PlaceKind.LANDMARK, LANDMARKS_PER_WARD)):
            for template in rng.sample(templates, rng.randint(*span)):
                wanted.append((kind, template.format(suburb), ""))
        points = [(round(centre.y, 6), round(centre.x, 6))] + _points(rng, polygon, len(wanted) - 1)
        for number, ((kind, name, alt), (lat, lon)) in enumerate(zip(wanted, points, strict=True)):
            places.append(Place(code=f"demo-{code}-{number:03d}", name=name, kind=kind,
                                area="" if kind == PlaceKind.AREA else suburb, alt_names=alt,
                                lat=lat, lon=lon))
    places_locate(places)
    Place.objects.bulk_create(places, batch_size=2000)
    return len(places)
