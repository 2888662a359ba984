"""The staff case page: photo links an Open311 app sent, and what each role is shown."""

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


def test_an_auditor_sees_contact_details_typed_into_a_description_masked(client, world):
    case = case_open(draft=CaseDraft(
        service_code="water-leak", description="Call me on 082 555 0123 or thabo@example.org",
        channel="hotline", **inside(world.ward)))
    client.force_login(StaffFactory(office=None, department=None, role=Role.AUDITOR).user)

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert "082 555 0123" not in page and "thabo@example.org" not in page
    assert "Call me on [removed] or [removed]" in page


def test_an_officer_sees_the_description_as_written(client, world):
    case = case_open(draft=CaseDraft(
        service_code="water-leak", description="Call me on 082 555 0123",
        channel="hotline", **inside(world.ward)))
    client.force_login(StaffFactory(office=world.office, role=Role.OFFICER).user)

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert "Call me on 082 555 0123" in page


def test_a_read_only_role_is_told_it_may_not_change_the_case(client, world):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="hotline", **inside(world.ward)))
    client.force_login(StaffFactory(office=None, department=None, role=Role.AUDITOR).user)

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert "Your role may read this case but not change it." in page
