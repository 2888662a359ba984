"""Correcting one place in the admin keeps its ward and search text right."""

import pytest
from django.urls import reverse

from imbizo.geo.models import Place
from imbizo.geo.selectors import place_search
from tests.factories import WardFactory, square

pytestmark = pytest.mark.django_db


def test_saving_a_place_in_the_admin_derives_its_ward_and_makes_it_searchable(admin_client):
    ward = WardFactory(code="A1", boundary=square(28.0, -26.2))

    response = admin_client.post(reverse("admin:geo_place_add"), {
        "code": "x1", "name": "Sobukwe Street", "kind": "street", "area": "Ekuthuleni",
        "alt_names": "", "lat": "-26.195", "lon": "28.005"})

    assert response.status_code == 302
    place = Place.objects.get()
    assert place.ward == ward
    assert [hit.name for hit in place_search("sobukwe", 5)] == ["Sobukwe Street"]
