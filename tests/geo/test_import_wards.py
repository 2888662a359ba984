from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from imbizo.core.errors import DomainError
from imbizo.geo.importers import wards_import
from imbizo.geo.models import Region, Ward
from imbizo.geo.selectors import ward_id_at

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geo"
OPTIONS = {"code_property": "WardID", "name_property": "WardLabel",
           "population_property": "Pop", "region_property": "Region"}


def test_wards_import_with_regions_and_population_and_are_found_by_point():
    summary = wards_import(FIXTURES / "wards.geojson", **OPTIONS)

    assert (summary.created, summary.updated, summary.regions) == (5, 0, 2)
    ward = Ward.objects.get(code="W002")
    assert (ward.name, ward.population, ward.region.name) == ("Ward 2", 9002, "North")
    assert ward_id_at(lat=-26.195, lon=28.025) == ward.pk


def test_importing_again_updates_the_same_wards():
    wards_import(FIXTURES / "wards.geojson", **OPTIONS)

    summary = wards_import(FIXTURES / "wards.geojson", **OPTIONS)

    assert (summary.created, summary.updated) == (0, 5)
    assert Ward.objects.count() == 5 and Region.objects.count() == 2


def test_an_invalid_geometry_is_refused_with_the_feature_index_and_nothing_is_stored():
    with pytest.raises(DomainError) as caught:
        wards_import(FIXTURES / "wards-bowtie.geojson", **OPTIONS)

    assert caught.value.message.startswith(
        "wards-bowtie.geojson: feature #3 (code 'W003'): the boundary is not a valid shape")
    assert Ward.objects.count() == 0


def test_a_missing_property_is_named():
    with pytest.raises(DomainError, match=r"feature #4 \(code 'W004'\): property 'WardLabel'"):
        wards_import(FIXTURES / "wards-missing-name.geojson", **OPTIONS)
    assert Ward.objects.count() == 0


def test_a_file_that_is_not_geojson_is_refused(tmp_path):
    document = tmp_path / "x.geojson"
    document.write_text('{"type": "Feature"}')

    with pytest.raises(DomainError, match="x.geojson: not a GeoJSON FeatureCollection"):
        wards_import(document, **OPTIONS)


def test_the_command_imports_and_reports(capsys):
    call_command("import_wards", str(FIXTURES / "wards.geojson"), code_property="WardID",
                 name_property="WardLabel")

    assert "Imported 5 wards (5 created, 0 updated)" in capsys.readouterr().out


def test_the_command_fails_with_the_reason(tmp_path):
    with pytest.raises(CommandError, match="Nothing was imported. wards-bowtie.geojson: feature #3"):
        call_command("import_wards", str(FIXTURES / "wards-bowtie.geojson"),
                     code_property="WardID", name_property="WardLabel")
