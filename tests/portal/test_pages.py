import datetime

import pytest
from django.urls import reverse

from tests.factories import InstitutionFactory, ServiceFactory, ServiceStandardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    InstitutionFactory()
    leak = ServiceFactory(code="water-leak", name="Water leak", group="Water",
                          keywords="burst, pipe")
    ServiceStandardFactory(service=leak, version=1, ack_amount=1, ack_unit="working_days",
                           update_amount=2, update_unit="working_days", resolve_amount=5,
                           resolve_unit="working_days", compliance_target=90,
                           pledge="We stop leaks fast.")
    # A draft and a future version must not show.
    ServiceStandardFactory(service=leak, version=2, published=False, resolve_amount=1)
    ServiceStandardFactory(service=leak, version=3, resolve_amount=2,
                           effective_from=datetime.date(2099, 1, 1))
    light = ServiceFactory(code="streetlight", name="Streetlight out", group="Electricity",
                           keywords="dark")
    ServiceStandardFactory(service=light, version=1, ack_amount=4, ack_unit="working_hours",
                           resolve_amount=1, resolve_unit="working_days")
    ServiceFactory(code="new-thing", name="New thing", group="Other")
    return leak


def test_search_finds_services_by_keyword(client, catalogue):
    page = client.get(reverse("portal:service_list"), {"q": "burst"}).content.decode()

    assert "Water leak" in page
    assert "Streetlight out" not in page


def test_the_group_filter_keeps_one_group(client, catalogue):
    page = client.get(reverse("portal:service_list"), {"group": "Electricity"}).content.decode()

    assert "Streetlight out" in page
    assert "Water leak" not in page


def test_the_charter_states_the_targets_of_the_standard_in_force_in_plain_words(client, catalogue):
    page = client.get(reverse("portal:service_detail", args=["water-leak"])).content.decode()

    assert "We stop leaks fast." in page
    assert "We acknowledge your request within <strong>1 working day</strong>" in page
    assert "We keep you informed at least every <strong>2 working days</strong>" in page
    assert "We resolve it within <strong>5 working days</strong>" in page
    assert "Our aim: 90% of requests resolved in that time." in page
    assert "version 1" in page


def test_plurals_and_hours_read_naturally(client, catalogue):
    page = client.get(reverse("portal:service_detail", args=["streetlight"])).content.decode()

    assert "<strong>4 working hours</strong>" in page
    assert "<strong>1 working day</strong>" in page


def test_a_service_without_a_standard_says_so(client, catalogue):
    page = client.get(reverse("portal:service_detail", args=["new-thing"])).content.decode()

    assert "The promise for this service is being prepared" in page


def test_an_unknown_service_is_not_found(client, catalogue):
    assert client.get(reverse("portal:service_detail", args=["nope"])).status_code == 404


def test_the_redress_route_and_complaints_route_are_on_the_charter(client, catalogue):
    page = client.get(reverse("portal:service_detail", args=["water-leak"])).content.decode()

    assert "Ask for the supervisor" in page
    assert "complaints@example.org" in page


def test_the_catalogue_needs_few_queries_however_many_services(
    client, catalogue, django_assert_max_num_queries
):
    for n in range(40):
        ServiceStandardFactory(service=ServiceFactory(code=f"extra-{n}", group="Roads"))

    with django_assert_max_num_queries(6):
        response = client.get(reverse("portal:service_list"))

    assert response.content.decode().count("/services/extra-") == 40


def test_pages_offer_a_language_switcher_and_a_skip_link(client, catalogue):
    page = client.get(reverse("portal:home")).content.decode()

    assert 'action="/i18n/setlang/"' in page
    assert 'href="#main"' in page
