"""The 403, 404 and 500 pages: in the site's look, with DEBUG off as in
production and under `make run`, for staff and for the public."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from imbizo.org.models import Role
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    """A client that gets the error page, as a browser does, instead of the exception."""
    return Client(raise_request_exception=False)


@override_settings(DEBUG=False)
def test_an_officer_opening_the_war_room_gets_the_styled_403_with_the_menu(quiet_client, world):
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    quiet_client.force_login(officer.user)

    response = quiet_client.get(reverse("insights:warroom"))

    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-error="403"' in page
    assert "This page is not open to you" in page
    assert "css/imbizo.css" in page  # the site's look, not Django's bare page
    assert "data-staff-nav" in page and 'data-staff-link="queues"' in page
    assert 'data-staff-link="warroom"' not in page


@override_settings(DEBUG=False)
def test_a_visitor_gets_a_styled_404_that_lists_no_url_patterns(quiet_client, world):
    response = quiet_client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-error="404"' in page
    assert "We could not find that page" in page
    assert reverse("portal:track_lookup") in page
    assert "URLconf" not in page and "open311/" not in page  # no list of patterns
    assert "data-staff-nav" not in page


@override_settings(DEBUG=False)
def test_staff_get_a_404_that_leads_back_to_the_staff_home(quiet_client, world):
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    quiet_client.force_login(officer.user)

    response = quiet_client.get(reverse("backoffice:case_detail", args=["XX-000-000"]))

    assert response.status_code == 404
    assert b'data-error="404"' in response.content
    assert b"Go to the staff home" in response.content


@override_settings(DEBUG=False, ROOT_URLCONF="tests.web.error_urls")
def test_a_failing_page_gets_the_styled_500_without_the_error(quiet_client, world):
    response = quiet_client.get("/boom/")

    page = response.content.decode()
    assert response.status_code == 500
    assert 'data-error="500"' in page
    assert "Something went wrong on our side" in page
    assert "css/imbizo.css" in page
    assert "a bug" not in page and "Traceback" not in page
