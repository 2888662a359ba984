import pytest

from imbizo.core.errors import DomainError
from imbizo.geo.selectors import ward_at, ward_id_at
from imbizo.geo.services import boundary_check, ward_save
from tests.factories import square

pytestmark = pytest.mark.django_db


def test_point_inside_a_ward_finds_it():
    ward_save(code="W1", name="One", boundary=square(28.0, -26.2))
    east = ward_save(code="W2", name="Two", boundary=square(28.01, -26.2))

    assert ward_id_at(lat=-26.195, lon=28.015) == east.pk
    assert ward_at(lat=-26.195, lon=28.015).code == "W2"


def test_point_outside_every_ward_finds_none():
    ward_save(code="W1", name="One", boundary=square(28.0, -26.2))

    assert ward_id_at(lat=-25.0, lon=28.0) is None


def test_point_on_a_shared_border_belongs_to_the_lower_id():
    west = ward_save(code="W1", name="One", boundary=square(28.0, -26.2))
    ward_save(code="W2", name="Two", boundary=square(28.01, -26.2))

    assert ward_id_at(lat=-26.195, lon=28.01) == west.pk


def test_a_saved_ward_is_found_without_a_restart():
    ward_save(code="W1", name="One", boundary=square(28.0, -26.2))
    assert ward_id_at(lat=-26.195, lon=29.005) is None

    far = ward_save(code="W9", name="Nine", boundary=square(29.0, -26.2))

    assert ward_id_at(lat=-26.195, lon=29.005) == far.pk


def test_ward_save_stores_a_centroid_inside_the_boundary():
    ward = ward_save(code="W1", name="One", boundary=square(28.0, -26.2))

    assert 28.0 < ward.centroid_lon < 28.01
    assert -26.2 < ward.centroid_lat < -26.19


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        ({"type": "Point", "coordinates": [28, -26]}, "Polygon or MultiPolygon"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            "not a valid shape",
        ),
        (square(200.0, -26.2), "WGS84"),
        ({"type": "Polygon", "coordinates": "nonsense"}, "cannot be read"),
    ],
)
def test_bad_boundaries_are_refused_with_the_reason(geometry, words):
    with pytest.raises(DomainError, match=words):
        boundary_check(geometry)
