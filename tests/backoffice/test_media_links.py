"""Photos an Open311 app keeps on its own servers are shown to staff as links."""

import pytest
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.support import inside

pytestmark = pytest.mark.django_db


def test_the_case_page_links_the_photos_an_open311_client_sent(client, world):
    case = case_open(draft=CaseDraft(
        service_code="water-leak", description="Leak", channel="api",
        media_urls=("https://photos.example.org/leak-1.jpg",), **inside(world.ward)))
    client.force_login(StaffFactory(office=world.office, role=Role.OFFICER).user)

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert 'href="https://photos.example.org/leak-1.jpg"' in page
    assert 'rel="noopener noreferrer nofollow"' in page
