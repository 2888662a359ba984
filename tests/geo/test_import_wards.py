"""`imbizo import-wards`: GeoJSON ward boundaries (small collections in tests/fixtures/geo)."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from imbizo.core.errors import DomainError
from imbizo.geo.importers import wards_import
from imbizo.geo.models import Region, Ward
from imbizo.geo.selectors import ward_id_at
from tests.factories import RegionFactory, WardFactory, square

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geo"
WARDS = FIXTURES / "wards.geojson"
OPTIONS = {"code_property": "WardID", "name_property": "WardLabel",
           "population_property": "Pop", "region_property": "Region"}


def _collection(folder: Path, *features, name="wards.geojson", **extra) -> Path:
    path = folder / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features), **extra}))
    return path


def _feature(properties: dict, geometry: dict | None = None) -> dict:
    return {"type": "Feature", "properties": properties,
            "geometry": geometry or square(28.0, -26.2)}


def test_wards_import_with_population_and_regions():
    summary = wards_import(WARDS, **OPTIONS)

    assert (summary.created, summary.updated, summary.regions) == (5, 0, 2)
    ward = Ward.objects.get(code="W002")
    assert (ward.name, ward.population, ward.region.name) == ("Ward 2", 9002, "North")
    assert Ward.objects.get(code="W005").boundary["type"] == "MultiPolygon"
    assert sorted(Region.objects.values_list("code", "name")) == [("north", "North"), ("south", "South")]
    assert Region.objects.get(code="south").wards.count() == 3


def test_after_import_a_point_finds_its_ward():
    ward_id_at(lat=-26.195, lon=28.025)  # builds the (empty) index before the import

    wards_import(WARDS, **OPTIONS)

    assert ward_id_at(lat=-26.195, lon=28.025) == Ward.objects.get(code="W002").pk
    assert ward_id_at(lat=-26.195, lon=28.085) == Ward.objects.get(code="W005").pk  # the island
    assert ward_id_at(lat=-26.195, lon=28.075) is None  # between W005's parts


def test_importing_again_updates_the_same_wards():
    wards_import(WARDS, **OPTIONS)

    summary = wards_import(WARDS, **OPTIONS)

    assert (summary.created, summary.updated) == (0, 5)
    assert Ward.objects.count() == 5 and Region.objects.count() == 2


def test_an_existing_region_is_matched_by_code_or_name():
    north = RegionFactory(code="n", name="north")
    south = RegionFactory(code="south", name="Southern region")

    summary = wards_import(WARDS, **OPTIONS)

    assert summary.regions == 2 and Region.objects.count() == 2
    assert Ward.objects.get(code="W001").region == north
    assert Ward.objects.get(code="W003").region == south


def test_without_population_or_region_properties_existing_values_are_kept():
    region = RegionFactory()
    WardFactory(code="W001", name="Old", region=region, population=42)

    summary = wards_import(WARDS, code_property="WardID", name_property="WardLabel")

    ward = Ward.objects.get(code="W001")
    assert (summary.created, summary.updated, summary.regions) == (4, 1, 1)
    assert (ward.name, ward.population, ward.region) == ("Ward 1", 42, region)
    assert Ward.objects.get(code="W002").region is None


def test_an_invalid_boundary_in_the_middle_is_refused_by_index_and_nothing_is_stored():
    with pytest.raises(DomainError) as caught:
        wards_import(FIXTURES / "wards-bowtie.geojson", **OPTIONS)

    assert caught.value.message.startswith(
        "wards-bowtie.geojson: feature #3 (code 'W003'): the boundary is not a valid shape: "
        "Self-intersection[")
    assert Ward.objects.count() == 0
    assert Region.objects.count() == 0


def test_a_missing_property_is_named_with_the_properties_there_are():
    with pytest.raises(DomainError) as caught:
        wards_import(FIXTURES / "wards-missing-name.geojson", **OPTIONS)

    assert caught.value.message == (
        "wards-missing-name.geojson: feature #4 (code 'W004'): property 'WardLabel' (the ward name) "
        "is missing; the feature has: Pop, Region, WardID")
    assert Ward.objects.count() == 0


def test_a_misspelt_code_property_is_named_at_the_first_feature():
    with pytest.raises(DomainError, match=r"wards.geojson: feature #1: property 'WARD_ID' \(the ward code\)"):
        wards_import(WARDS, code_property="WARD_ID", name_property="WardLabel")


@pytest.mark.parametrize(
    ("features", "words"),
    [
        ([_feature({"c": "W1", "n": "One", "p": "many"})],
         "feature #1 (code 'W1'): 'p' (the population) must be a whole number of 0 or more, not 'many'"),
        ([_feature({"c": "W1", "n": "One", "p": -3})], "not '-3'"),
        ([_feature({"c": "W1", "n": "One"}), _feature({"c": "W1", "n": "Again"})],
         "feature #2 (code 'W1'): the code was already used by feature #1"),
        ([_feature({"c": "W" * 33, "n": "One"})], "the code is longer than 32 characters"),
        ([_feature({"c": "W1", "n": "One"}, {"type": "Point", "coordinates": [28.0, -26.2]})],
         "feature #1 (code 'W1'): the boundary must be a GeoJSON Polygon or MultiPolygon"),
        ([_feature({"c": "W1", "n": "One"}, square(2_800_000.0, -2_620_000.0))],
         "feature #1 (code 'W1'): the boundary lies outside longitude -180..180"),
        (["not a feature"], "feature #1: not a GeoJSON Feature with properties"),
        ([], "the collection has no features"),
    ],
)
def test_bad_features_are_refused_with_a_clear_reason(tmp_path, features, words):
    document = _collection(tmp_path, *features)

    with pytest.raises(DomainError) as caught:
        wards_import(document, code_property="c", name_property="n", population_property="p")

    assert caught.value.message.startswith("wards.geojson: ")
    assert words in caught.value.message
    assert Ward.objects.count() == 0


def test_numeric_codes_read_as_whole_numbers(tmp_path):
    document = _collection(tmp_path, _feature({"c": 79800001.0, "n": "Ward 1"}))

    wards_import(document, code_property="c", name_property="n")

    assert Ward.objects.get().code == "79800001"


def test_a_projected_reference_system_is_refused(tmp_path):
    document = _collection(tmp_path, _feature({"c": "W1", "n": "One"}),
                           crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2048"}})

    with pytest.raises(DomainError, match="the coordinates are in urn:ogc:def:crs:EPSG::2048; convert"):
        wards_import(document, code_property="c", name_property="n")


@pytest.mark.parametrize(
    ("content", "words"),
    [("{", "not valid JSON"), ('{"type": "Feature"}', "not a GeoJSON FeatureCollection")],
)
def test_a_file_that_is_not_geojson_is_refused(tmp_path, content, words):
    document = tmp_path / "x.geojson"
    document.write_text(content)

    with pytest.raises(DomainError, match=f"x.geojson: {words}"):
        wards_import(document, **OPTIONS)


def test_the_command_imports_and_prints_a_summary(capsys):
    call_command("import_wards", str(WARDS), "--code-property", "WardID", "--name-property", "WardLabel",
                 "--population-property", "Pop", "--region-property", "Region")

    assert capsys.readouterr().out.strip() == (
        "Imported 5 wards (5 created, 0 updated) in 2 regions from wards.geojson")


def test_the_command_fails_with_the_reason(tmp_path):
    with pytest.raises(CommandError, match=r"Nothing was imported. wards-bowtie.geojson: feature #3 "
                                           r"\(code 'W003'\)"):
        call_command("import_wards", str(FIXTURES / "wards-bowtie.geojson"),
                     code_property="WardID", name_property="WardLabel")
    assert Ward.objects.count() == 0
