import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from shapely import STRtree
from shapely.geometry import shape

from imbizo.catalogue.models import Service
from imbizo.catalogue.selectors import standard_in_force
from imbizo.demo.field_visits import field_visits_build
from imbizo.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from imbizo.demo.municipality import demo_build, ward_cells
from imbizo.geo.models import Place, PlaceKind, Region, Ward
from imbizo.geo.selectors import place_search, ward_id_at
from imbizo.org.models import Department, Office, Role, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return demo_build(seed=2026)


def test_the_demo_has_the_size_of_a_metro(demo):
    assert Region.objects.count() == 5
    assert Ward.objects.count() >= 100
    assert Department.objects.count() >= 8
    assert Office.objects.count() >= 20
    assert Service.objects.count() >= 40
    assert Staff.objects.count() >= 150
    assert set(Staff.objects.values_list("role", flat=True)) == set(Role.values)


def test_every_service_has_a_published_standard_in_force(demo):
    import datetime

    missing = [s.code for s in Service.objects.all()
               if standard_in_force(service=s, on=datetime.date(2026, 6, 1)) is None]

    assert missing == []


def test_revised_standards_keep_their_history(demo):
    pothole = Service.objects.get(code="pothole")

    versions = list(pothole.standards.order_by("version").values_list("version", "resolve_amount"))

    assert versions == [(1, 7), (2, 3)]  # looser first, tightened in July 2025


def test_wards_are_valid_and_do_not_overlap(demo):
    polygons = [shape(w.boundary) for w in Ward.objects.all()]
    assert all(p.is_valid and p.geom_type == "Polygon" for p in polygons)
    tree = STRtree(polygons)

    overlaps = [
        (i, j) for i, polygon in enumerate(polygons)
        for j in tree.query(polygon) if j > i and polygon.intersection(polygons[j]).area > 1e-12
    ]

    assert overlaps == []


def test_every_office_stands_in_a_ward_of_its_region(demo):
    for office in Office.objects.select_related("region"):
        ward_id = ward_id_at(lat=office.lat, lon=office.lon)
        assert ward_id is not None, office.code
        assert Ward.objects.get(pk=ward_id).region == office.region


def test_every_demo_login_signs_in_with_the_demo_password(demo):
    field_visits_build(seed=2026, visits=20)  # makes the field worker's login
    for username, role, password in DEMO_LOGINS:
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert user.staff.role == role
    assert password == DEMO_PASSWORD


def test_the_same_seed_gives_the_same_wards_and_another_seed_differs():
    def fingerprint(seed):
        return [(round(p.area, 10), pop) for p, pop in ward_cells(seed)]

    assert fingerprint(7) == fingerprint(7)
    assert fingerprint(7) != fingerprint(8)


def test_the_command_refuses_a_database_that_is_not_empty(demo):
    with pytest.raises(CommandError, match="already has an institution"):
        call_command("demo")


def test_the_gazetteer_covers_every_ward_with_searchable_places(demo):
    places = Place.objects.all()
    assert 2_000 <= places.count() <= 6_000
    assert not places.filter(ward=None).exists()
    assert set(places.values_list("ward", flat=True)) == set(Ward.objects.values_list("id", flat=True))
    assert set(places.values_list("kind", flat=True)) == set(PlaceKind.values)
    street = places.filter(kind=PlaceKind.STREET).order_by("id").first()
    assert street.name in [hit.name for hit in place_search(street.name, 20)]


def test_location_bound_services_need_a_place_and_enquiries_do_not(demo):
    assert Service.objects.get(code="pothole").needs_place
    assert Service.objects.get(code="water-leak").needs_place
    assert not Service.objects.get(code="general-enquiry").needs_place
    assert not Service.objects.get(code="housing-list").needs_place
