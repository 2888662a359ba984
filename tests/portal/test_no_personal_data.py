"""Public pages never show personal data: every public response of a seeded
instance is scanned for the seeded names, numbers and addresses."""

import pytest
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open, case_resolve, case_update_citizen
from imbizo.engagement.models import Invitation
from imbizo.engagement.services import invitation_create
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
    case_update_citizen(case=case, actor=None, message="A team is on the way.")
    case_resolve(case=case, actor=None, outcome="fixed", note="Fixed")
    token = invitation_create(instrument_code="after-contact", source=Invitation.Source.EMAIL,
                              case=case, identifier="someone-else@example.org")
    return case, token


def public_urls(case, token) -> list[str]:
    return [
        reverse("portal:home"), reverse("portal:service_list"),
        reverse("portal:service_list") + "?q=leak",
        reverse("portal:service_detail", args=["water-leak"]), reverse("portal:report"),
        reverse("portal:track_lookup"), reverse("portal:case_track", args=[case.reference]),
        reverse("portal:case_track", args=[case.reference]) + "?new=1",
        reverse("portal:wards_geojson"), f"/survey/{token}/",
    ]


def test_no_public_page_shows_the_citizens_personal_data(client, seeded):
    case, token = seeded

    for url in public_urls(case, token):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        leaked = [value for value in PERSONAL if value in body]
        assert leaked == [], f"{url} shows {leaked}"


def test_the_tracking_page_does_not_give_the_exact_location(client, seeded):
    case, _token = seeded

    body = client.get(reverse("portal:case_track", args=[case.reference])).content.decode()

    assert f"{case.lat:.4f}" not in body and f"{case.lon:.4f}" not in body
