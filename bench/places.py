"""Place search benchmark: geo.selectors.place_search over a gazetteer of
PLACES places (100,000 by default) on PostgreSQL (pg_trgm), or SQLite when
PostgreSQL is not reachable (FTS5).

Builds the demo municipality's wards, writes PLACES synthetic places (the
demo's naming, drawn inside the wards) to a CSV file and imports it with
`places_import` (timed: the import door an operator uses). Then times the
search for QUERIES queries of the kinds people type (a name's start, a typo,
a house number and abbreviation, name and suburb, a landmark, no match, two
letters), each RUNS times after a warm-up, in process; and the same queries
through the JSON endpoint (/places/search/, Django test client) for the
server time a browser waits on. Counts the database queries per search.

Usage: .venv/bin/python bench/places.py [--places 100000] [--queries 300] [--runs 5]
Ends with: places: N places (engine); search p50 A ms, p95 B ms; endpoint p95 C ms; Q query
"""

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _setup import database_fresh, django_start, machine

DB = "imbizo_bench_places"
SEED = 2026


def places_csv(path: Path, count: int) -> None:
    """`count` places over the demo's wards, named as the demo names them."""
    from shapely.geometry import shape
    from shapely.prepared import prep

    from imbizo.demo import gazetteer
    from imbizo.geo.models import Ward

    rng = random.Random(f"{SEED}:bench-places")
    wards = [(shape(b), prep(shape(b))) for b in Ward.objects.order_by("code").values_list(
        "boundary", flat=True)]
    suburbs = gazetteer._suburbs(rng, len(wards))
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "kind", "lat", "lon", "area", "alt_names"])
        for n in range(count):
            index = n % len(wards)
            polygon, inside = wards[index]
            suburb = suburbs[index]
            roll = rng.random()
            if roll < 0.8:
                name, alt = gazetteer._street(rng)
                kind = "street"
            elif roll < 0.9:
                name, alt, kind = rng.choice(gazetteer.FACILITIES).format(suburb), "", "facility"
            else:
                name, alt, kind = rng.choice(gazetteer.LANDMARKS).format(suburb), "", "landmark"
            minx, miny, maxx, maxy = polygon.bounds
            while True:
                lon, lat = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)
                if inside.contains(_point(lon, lat)):
                    break
            out.writerow([f"b{n}", name, kind, f"{lat:.6f}", f"{lon:.6f}", suburb, alt])


def _point(lon, lat):
    from shapely.geometry import Point

    return Point(lon, lat)


def queries(count: int) -> list[tuple[str, str]]:
    """(kind, text) pairs drawn from the stored names."""
    from imbizo.geo.models import Place

    rng = random.Random(f"{SEED}:bench-queries")
    names = list(Place.objects.order_by("?").values_list("name", "area")[:count])
    made = []
    for i, (name, area) in enumerate(names):
        kind = ("prefix", "typo", "number", "suburb", "none", "short")[i % 6]
        if kind == "prefix":
            text = name[:rng.randint(3, 8)]
        elif kind == "typo":
            at = rng.randrange(1, max(2, len(name) - 1))
            text = name[:at] + rng.choice("aeiouklmnst") + name[at + 1:]
        elif kind == "number":
            text = f"{rng.randint(1, 400)} {name.replace('Street', 'St').replace('Road', 'Rd')}"
        elif kind == "suburb":
            text = f"{name} {area}"
        elif kind == "none":
            text = rng.choice(("Xylophone Crescent", "Qwerty Boulevard", "Zzyzx Road",
                               "Fjord Heights Extension 9"))
        else:
            text = name[:2]
        made.append((kind, text))
    return made


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    engine = django_start(database_fresh(DB))
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from imbizo.demo.municipality import build_geography
    from imbizo.geo.models import Place
    from imbizo.geo.place_import import places_import
    from imbizo.geo.selectors import place_search

    build_geography(SEED)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "places.csv"
        started = time.monotonic()
        places_csv(path, args.places)
        written = time.monotonic() - started
        started = time.monotonic()
        summary = places_import(path)
        imported = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE geo_place")
    total = Place.objects.count()
    print(f"  {total:,} places: file written in {written:.1f} s, imported in {imported:.1f} s "
          f"({summary})", flush=True)

    asked = queries(args.queries)
    for _kind, text in asked[:30]:  # warm-up: plans, caches, the ward index
        place_search(text, 8)
    timings: dict[str, list[float]] = {}
    found = {}
    counts = set()
    for _run in range(args.runs):
        for kind, text in asked:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                hits = place_search(text, 8)
                elapsed = (time.perf_counter() - started) * 1000
            counts.add(len(captured.captured_queries))
            timings.setdefault(kind, []).append(elapsed)
            found[(kind, text)] = bool(hits)
    every = [t for values in timings.values() for t in values]

    settings.RATE_LIMITS_ENABLED = False
    client = Client()
    endpoint = []
    for _kind, text in asked:
        started = time.perf_counter()
        response = client.get("/places/search/", {"q": text})
        endpoint.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code

    print(f"machine: {machine()}; engine: {engine}; runs: {args.runs} x {len(asked)} queries")
    print(f"{'kind':8} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'found':>7}")
    for kind, values in timings.items():
        hit_rate = sum(v for (k, _t), v in found.items() if k == kind) / max(
            1, sum(1 for (k, _t) in found if k == kind))
        print(f"{kind:8} {len(values):5d} {statistics.median(values):8.1f} "
              f"{percentile(values, 95):8.1f} {max(values):8.1f} {hit_rate:7.0%}")
    print(f"places: {total:,} places ({engine}); search p50 {statistics.median(every):.1f} ms, "
          f"p95 {percentile(every, 95):.1f} ms; endpoint p95 {percentile(endpoint, 95):.1f} ms; "
          f"{'/'.join(str(c) for c in sorted(counts))} query per search")
    sys.exit(0)


if __name__ == "__main__":
    main()
