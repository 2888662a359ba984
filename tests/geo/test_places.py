"""The gazetteer: import (all or nothing), ward derivation and the search,
on whichever database the suite runs on (SQLite FTS5 or PostgreSQL pg_trgm)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from imbizo.core.errors import DomainError
from imbizo.geo.models import Place, PlaceKind
from imbizo.geo.place_import import places_import
from imbizo.geo.search import query_key, search_key
from imbizo.geo.selectors import place_search
from imbizo.geo.services import places_locate
from tests.factories import RegionFactory, WardFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards():
    # Squares of 0.01 degrees with their south-west corners at (28.00, -26.2) and (28.01, -26.2).
    region = RegionFactory(code="north", name="North")
    return (WardFactory(code="W1", name="Ward 1", region=region, boundary=square(28.0, -26.2)),
            WardFactory(code="W2", name="Ward 2", boundary=square(28.01, -26.2)))


def point(lon, lat, **properties):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}


def geojson(tmp_path, *features, name="places.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def csv_file(tmp_path, text, name="places.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def places(*rows):
    """Places saved as the importer saves them (ward, region, search text)."""
    made = [Place(code=f"p{n}", name=name, kind=kind, area=area, alt_names=alt, lat=lat, lon=lon)
            for n, (name, kind, area, alt, lat, lon) in enumerate(rows)]
    places_locate(made)
    return Place.objects.bulk_create(made)


# --- folding -------------------------------------------------------------------------


def test_folding_drops_case_accents_punctuation_and_writes_out_street_types():
    assert search_key("Dr. Pixley kaSeme St") == "dr pixley kaseme street"
    assert search_key("Église Rd") == "eglise road"
    assert search_key("Church Dr") == "church drive"


def test_a_house_number_is_not_searched_for():
    assert query_key("12 Vilakazi St") == "vilakazi street"
    assert query_key("1 2") == "2"


# --- import --------------------------------------------------------------------------


def test_a_geojson_file_imports_places_with_their_ward_and_region(tmp_path, wards):
    path = geojson(tmp_path,
                   point(28.005, -26.195, name="Vilakazi Street", kind="street", area="Orlando",
                         alt_names=["Vilakazi St", "Old Main Road"]),
                   point(28.015, -26.195, name="Orlando Clinic", kind="facility", id="clinic-1"))

    summary = places_import(path)

    assert (summary.created, summary.updated) == (2, 0)
    street = Place.objects.get(name="Vilakazi Street")
    assert street.ward == wards[0]
    assert street.region.code == "north"
    assert street.alt_names == "Vilakazi St\nOld Main Road"
    assert "old main road" in street.search_text
    clinic = Place.objects.get(code="clinic-1")
    assert (clinic.ward, clinic.kind) == (wards[1], PlaceKind.FACILITY)


def test_a_csv_file_imports_and_a_second_import_updates_instead_of_adding(tmp_path, wards):
    text = ("name,kind,lat,lon,area,alt_names\n"
            "Kerkstraat,street,-26.195,28.005,Bergsig,Church Street\n"
            "Lesedi Taxi Rank,landmark,-26.196,28.006,,\n")
    path = csv_file(tmp_path, text)

    places_import(path)
    again = places_import(path)

    assert Place.objects.count() == 2
    assert (again.created, again.updated) == (0, 2)
    assert Place.objects.get(name="Kerkstraat").alt_names == "Church Street"


def test_replace_removes_places_that_are_not_in_the_file(tmp_path, wards):
    places_import(csv_file(tmp_path, "name,lat,lon\nOld Road,-26.195,28.005\n", "a.csv"))

    summary = places_import(csv_file(tmp_path, "name,lat,lon\nNew Road,-26.195,28.005\n", "b.csv"),
                            replace=True)

    assert list(Place.objects.values_list("name", flat=True)) == ["New Road"]
    assert summary.removed == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("name,lat,lon\nGood Road,-26.195,28.005\nBad Road,abc,28.005\n",
     "line 3 (name 'Bad Road'): the latitude must be a number from -90 to 90, not 'abc'"),
    ("name,lat,lon\n,-26.195,28.005\n", "line 2: the name is missing"),
    ("name,kind,lat,lon\nThe Shop,shop,-26.195,28.005\n",
     "line 2 (name 'The Shop'): the kind 'shop' is not one of: street, landmark, facility, area"),
    ("name,latitude,lon\nA,1,2\n", "the header row lacks the column(s) lat"),
    ("name,lat,lon\nSwapped Road,28.005,-26.195\n",
     "line 2 (name 'Swapped Road'): the point 28.005, -26.195 lies outside every ward"),
])
def test_a_bad_csv_row_stores_nothing_and_says_which_row_and_what(tmp_path, wards, text, expected):
    with pytest.raises(DomainError) as refused:
        places_import(csv_file(tmp_path, text))

    assert expected in refused.value.message
    assert refused.value.message.startswith("places.csv: ")
    assert not Place.objects.exists()


def test_a_feature_that_is_not_a_point_is_named(tmp_path, wards):
    line = {"type": "Feature", "properties": {"name": "Long Road"},
            "geometry": {"type": "LineString", "coordinates": [[28.0, -26.2], [28.01, -26.2]]}}
    path = geojson(tmp_path, point(28.005, -26.195, name="Fine"), line)

    with pytest.raises(DomainError) as refused:
        places_import(path)

    assert "feature #2: the geometry must be a Point" in refused.value.message
    assert "LineString" in refused.value.message
    assert not Place.objects.exists()


def test_a_file_in_a_projected_reference_system_is_refused(tmp_path, wards):
    # Read by the same GeoJSON reader as the ward import: metres are not degrees.
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32735"}},
        "features": [point(600000, 7100000, name="Far Road")]}))

    with pytest.raises(DomainError) as refused:
        places_import(path)

    assert "the coordinates are in urn:ogc:def:crs:EPSG::32735" in refused.value.message
    assert not Place.objects.exists()


def test_an_id_used_twice_is_refused(tmp_path, wards):
    path = geojson(tmp_path, point(28.005, -26.195, name="A", id="x"),
                   point(28.006, -26.195, name="B", id="x"))

    with pytest.raises(DomainError) as refused:
        places_import(path)

    assert "feature #2 (name 'B'): the same place (id 'x') is already at feature #1" in \
        refused.value.message


def test_places_outside_every_ward_may_be_kept_without_a_ward(tmp_path, wards):
    path = csv_file(tmp_path, "name,lat,lon\nFar Road,-30.0,25.0\n")

    summary = places_import(path, allow_outside=True)

    assert summary.outside == 1
    assert Place.objects.get().ward is None


def test_the_command_says_nothing_was_imported_and_why(tmp_path, wards):
    path = csv_file(tmp_path, "name,lat,lon\nGood,-26.195,28.005\nBad,-26.195,999\n")

    with pytest.raises(CommandError) as refused:
        call_command("import_places", str(path))

    assert str(refused.value).startswith("Nothing was imported. places.csv: line 3 (name 'Bad')")
    assert not Place.objects.exists()


def test_the_command_reports_what_it_imported(tmp_path, wards, capsys):
    call_command("import_places", str(csv_file(tmp_path, "name,lat,lon\nGood,-26.195,28.005\n")))

    assert "Imported 1 places (1 created, 0 updated) from places.csv" in capsys.readouterr().out


# --- search --------------------------------------------------------------------------


@pytest.fixture
def gazetteer(wards):
    return places(
        ("Vilakazi Street", PlaceKind.STREET, "Orlando West", "", -26.195, 28.005),
        ("Vilakazi Lane", PlaceKind.STREET, "Dube", "", -26.196, 28.015),
        ("Moshoeshoe Road", PlaceKind.STREET, "Thabong", "", -26.197, 28.006),
        ("Kerkstraat", PlaceKind.STREET, "Bergsig", "Church Street", -26.198, 28.007),
        ("Dube Clinic", PlaceKind.FACILITY, "Dube", "", -26.195, 28.016),
        ("Mill Street", PlaceKind.STREET, "Bergsig", "", -26.199, 28.008),
    )


def names(q, limit=8):
    return [hit.name for hit in place_search(q, limit)]


def test_the_search_finds_a_place_by_the_start_of_its_name(gazetteer):
    assert names("vilak") == ["Vilakazi Lane", "Vilakazi Street"]


def test_the_search_forgives_a_typo(gazetteer):
    assert names("Moshoshoe")[0] == "Moshoeshoe Road"
    assert names("vilakazy street")[0] == "Vilakazi Street"


def test_the_search_ignores_a_house_number_and_reads_abbreviations(gazetteer):
    assert names("12 Vilakazi St")[0] == "Vilakazi Street"


def test_the_search_finds_a_place_by_another_name_and_says_so(gazetteer):
    [hit] = place_search("church street", 1)

    assert hit.name == "Kerkstraat"
    assert hit.also == "Church Street"


def test_the_search_finds_places_by_their_area(gazetteer):
    assert set(names("dube")) == {"Dube Clinic", "Vilakazi Lane"}


def test_a_street_type_alone_does_not_match_every_street(gazetteer):
    assert names("Sobukwe Street") == []


def test_a_hit_carries_its_ward_and_label(gazetteer, wards):
    [hit] = place_search("Dube Clinic", 1)

    assert (hit.ward_code, hit.ward_name) == ("W2", "Ward 2")
    assert hit.label == "Dube Clinic, Dube"
    assert hit.as_json()["kind_label"] == "public facility"


def test_nothing_matches_nonsense_or_a_single_letter(gazetteer):
    assert names("zzqqxx") == []
    assert names("v") == []


def test_the_limit_is_kept(gazetteer):
    assert len(names("street", limit=1)) == 1


def test_the_index_follows_updates_and_deletes(gazetteer):
    street = Place.objects.get(name="Mill Street")
    street.name = "Sobukwe Street"
    street.search_text = search_key("Sobukwe Street Bergsig")
    street.save()
    Place.objects.filter(name="Dube Clinic").delete()

    assert names("sobukwe") == ["Sobukwe Street"]
    assert names("mill") == []
    assert "Dube Clinic" not in names("dube")


def test_a_search_costs_at_most_two_queries_whatever_the_limit(gazetteer,
                                                               django_assert_max_num_queries):
    for limit in (1, 8, 20):
        with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 1):
            place_search("vilakazy", limit)


def test_names_starting_with_what_was_typed_come_first(gazetteer):
    # On PostgreSQL these come from the prefix index alone when they fill the page.
    assert names("vilakazi", limit=2) == ["Vilakazi Lane", "Vilakazi Street"]


def test_the_database_uses_its_own_index():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'geo_place_search_trgm'")
            assert "gin_trgm_ops" in cursor.fetchone()[0]
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'geo_place_fts'")
            assert "trigram" in cursor.fetchone()[0]
