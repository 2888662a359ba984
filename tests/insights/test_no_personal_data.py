"""Public insight pages and their downloads never show personal data: the
citizen's name, numbers, email, address or exact location."""

import pytest
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open, case_resolve
from imbizo.insights.rollups import rollups_fold
from tests.support import inside

pytestmark = pytest.mark.django_db

PERSONAL = ("Nokuthula", "Zwelithini", "+27829990001", "082 999 0001", "0829990001",
            "nokuthula.z@example.org", "99 Jacaranda Lane")


@pytest.fixture
def seeded(world):
    case = case_open(draft=CaseDraft(
        service_code="water-leak", description="Leak outside my gate", channel="web",
        citizen_name="Nokuthula Zwelithini", citizen_phone="082 999 0001",
        citizen_email="nokuthula.z@example.org", contact_consent=True,
        address="99 Jacaranda Lane", **inside(world.ward)))
    case_resolve(case=case, actor=None, outcome="fixed", note="Fixed")
    rollups_fold()
    return case


def public_urls(ward) -> list[str]:
    needs, card = reverse("insights:needs"), reverse("insights:scorecard")
    page, index = reverse("insights:ward", args=[ward.code]), reverse("insights:ward_index")
    return [needs, needs + "?group=Water&period=30d", needs + "?export=wards&format=csv",
            needs + "?export=regions&format=csv", card, card + "?export=services&format=csv",
            card + "?export=offices&format=csv", index, index + "?format=json",
            index + "?export=wards&format=csv", page, page + "?format=json",
            page + "?export=months&format=csv", page + "?export=groups&format=csv"]


def test_no_public_insight_page_or_download_shows_personal_data(client, seeded):
    for url in public_urls(seeded.ward):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        leaked = [value for value in PERSONAL if value in body]
        assert leaked == [], f"{url} shows {leaked}"
        assert f"{seeded.lat:.4f}" not in body and f"{seeded.lon:.4f}" not in body, url


def test_public_pages_name_no_case(client, seeded):
    for url in public_urls(seeded.ward):
        assert seeded.reference not in client.get(url).content.decode(), url
