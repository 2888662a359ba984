"""The demo's door-to-door survey: workers everywhere, needs that differ by region."""

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from imbizo.demo.field_visits import field_visits_build
from imbizo.demo.municipality import demo_build
from imbizo.field.models import FieldAssignment, FieldConflict, FieldRecord, FieldVisitDaily
from imbizo.field.selectors import needs_figures
from imbizo.geo.models import Region, Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_build(seed=2026)
    return field_visits_build(seed=2026, visits=1500)


def test_every_region_has_field_workers_and_every_ward_is_assigned(demo):
    regions_with_workers = set(FieldAssignment.objects.values_list("ward__region__code", flat=True))
    assert regions_with_workers == set(Region.objects.values_list("code", flat=True))
    assert FieldAssignment.objects.values("ward").distinct().count() == Ward.objects.count()


def test_the_field_worker_login_signs_in_and_covers_wards_in_the_west(demo):
    user = authenticate(username="fieldworker", password="imbizo-demo")

    assert user is not None
    regions = set(FieldAssignment.objects.filter(worker=user)
                  .values_list("ward__region__code", flat=True))
    assert regions == {"west"}


def test_needs_differ_by_region_the_west_needs_water(demo):
    figures = needs_figures()

    top = {area.name: area.top(1)[0].code for area in figures.regions}
    assert top["West"] == "water"
    assert top["North"] == "electricity"
    assert top["East"] == "housing"


def test_the_rollups_count_every_visit_in_a_ward(demo):
    counted = sum(FieldVisitDaily.objects.values_list("households", flat=True))

    assert counted == FieldRecord.objects.filter(ward__isnull=False, household=True).count()
    assert counted >= 1500


def test_the_supervisor_sees_progress_conflicts_and_records_outside_wards(client, demo):
    client.login(username="supervisor", password="imbizo-demo")

    home = client.get(reverse("backoffice:field_home"))
    conflicts = client.get(reverse("backoffice:field_conflicts"))

    assert home.status_code == 200 and len(home.context["progress"]) == Ward.objects.count()
    assert conflicts.status_code == 200
    assert FieldConflict.objects.filter(resolved_at__isnull=True).count() == 4
    assert FieldRecord.objects.filter(outside_wards=True).count() == 3
