import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from imbizo.portal.templatetags.charter import duration_words
from tests.factories import (
    DepartmentFactory,
    InstitutionFactory,
    ServiceFactory,
    ServiceStandardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    InstitutionFactory()
    leak = ServiceFactory(code="water-leak", name="Water leak", group="Water",
                          keywords="burst, pipe", channels=["web", "hotline"],
                          department=DepartmentFactory(name="Water and Sanitation"))
    ServiceStandardFactory(service=leak, version=1, ack_amount=1, ack_unit="working_days",
                           update_amount=2, update_unit="working_days", resolve_amount=5,
                           resolve_unit="working_days", compliance_target=90,
                           pledge="We stop leaks fast.", effective_from=datetime.date(2025, 7, 1))
    light = ServiceFactory(code="streetlight", name="Streetlight out", group="Electricity",
                           keywords="dark")
    ServiceStandardFactory(service=light, version=1, ack_amount=4, ack_unit="working_hours",
                           resolve_amount=1, resolve_unit="working_days")
    ServiceFactory(code="new-thing", name="New thing", group="Other")
    return leak


def get(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_services_by_name(client, catalogue):
    page = get(client, "portal:service_list", q="streetlight")

    assert "Streetlight out" in page
    assert "Water leak" not in page


def test_search_finds_services_by_keyword(client, catalogue):
    page = get(client, "portal:service_list", q="burst")

    assert "Water leak" in page
    assert "Streetlight out" not in page
    assert "1 service matching “burst”" in page


def test_the_group_filter_keeps_one_group(client, catalogue):
    page = get(client, "portal:service_list", group="Electricity")

    assert "Streetlight out" in page
    assert "Water leak" not in page


def test_the_catalogue_groups_services_under_their_group(client, catalogue):
    page = get(client, "portal:service_list")

    assert page.index(">Electricity</h2>") < page.index("Streetlight out") < page.index(">Other</h2>")


def test_live_search_answers_htmx_with_the_results_and_count_only(client, catalogue):
    response = client.get(reverse("portal:service_list"), {"q": "burst"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "Water leak" in page
    assert "<html" not in page
    assert 'id="result-count" hx-swap-oob="innerHTML"' in page
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, catalogue):
    response = client.get(reverse("portal:service_list"), {"q": "burst"},
                          headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert "<html" in response.content.decode()


def test_the_charter_states_the_targets_in_plain_words(client, catalogue):
    page = get(client, "portal:service_detail", "water-leak")

    assert "We stop leaks fast." in page
    assert "We acknowledge your request within <strong>1 working day</strong>." in page
    assert "We keep you informed at least every <strong>2 working days</strong>." in page
    assert "We resolve it within <strong>5 working days</strong>." in page
    assert "Our aim: <strong>90%</strong> of requests resolved within that time." in page
    assert "Since 1 July 2025 (version 1)" in page


def test_the_charter_ignores_a_draft_version(client, catalogue):
    ServiceStandardFactory(service=catalogue, version=2, published=False, resolve_amount=1,
                           pledge="Draft pledge.")

    page = get(client, "portal:service_detail", "water-leak")

    assert "Draft pledge." not in page
    assert "We resolve it within <strong>5 working days</strong>." in page


def test_the_charter_shows_a_future_version_only_once_it_is_in_force(client, catalogue):
    ServiceStandardFactory(service=catalogue, version=2, resolve_amount=3, pledge="The pledge of 2099.",
                           effective_from=datetime.date(2099, 1, 1))

    page = get(client, "portal:service_detail", "water-leak")
    assert "The pledge of 2099." not in page
    assert "(version 1)" in page

    with time_machine.travel(datetime.datetime(2099, 1, 2, 9, tzinfo=datetime.UTC), tick=False):
        page = get(client, "portal:service_detail", "water-leak")
    assert "The pledge of 2099." in page
    assert "We resolve it within <strong>3 working days</strong>." in page
    assert "(version 2)" in page


def test_plurals_and_hours_read_naturally(client, catalogue):
    page = get(client, "portal:service_detail", "streetlight")

    assert "<strong>4 working hours</strong>" in page
    assert "<strong>1 working day</strong>" in page


@pytest.mark.parametrize(("amount", "unit", "words"), [
    (1, "working_hours", "1 working hour"), (8, "working_hours", "8 working hours"),
    (1, "working_days", "1 working day"), (10, "working_days", "10 working days"),
    (1, "calendar_hours", "1 hour"), (24, "calendar_hours", "24 hours"),
    (1, "calendar_days", "1 day"), (30, "calendar_days", "30 days"),
])
def test_durations_in_plain_words(amount, unit, words):
    with translation.override("en"):
        assert duration_words(amount, unit) == words


def test_an_unknown_unit_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="fortnights"):
        duration_words(2, "fortnights")


def test_the_charter_names_the_department_and_channels(client, catalogue):
    page = get(client, "portal:service_detail", "water-leak")

    assert "Water and Sanitation" in page
    assert "<li>Web</li><li>Hotline</li>" in page


def test_a_service_without_a_standard_says_so(client, catalogue):
    page = get(client, "portal:service_detail", "new-thing")

    assert "The service standard is being prepared" in page
    assert 'id="targets"' not in page


def test_an_unknown_service_is_not_found(client, catalogue):
    assert client.get(reverse("portal:service_detail", args=["nope"])).status_code == 404


def test_an_inactive_service_is_not_found(client, catalogue):
    ServiceFactory(code="retired", active=False)

    assert client.get(reverse("portal:service_detail", args=["retired"])).status_code == 404


def test_the_redress_route_and_complaints_route_are_on_the_charter(client, catalogue):
    page = get(client, "portal:service_detail", "water-leak")

    assert "Ask for the supervisor" in page
    assert "complaints@example.org" in page


def test_the_home_page_lists_groups_with_their_services(client, catalogue):
    page = get(client, "portal:home")

    assert "<h1" in page and page.count("<h1") == 1
    assert '/services/?group=Water"' in page
    assert 'href="/services/water-leak/"' in page
    assert "complaints@example.org" in page


def test_the_catalogue_needs_few_queries_however_many_services(
    client, catalogue, django_assert_max_num_queries
):
    for n in range(40):
        ServiceStandardFactory(service=ServiceFactory(code=f"extra-{n}", group="Roads",
                                                      department=DepartmentFactory()))

    with django_assert_max_num_queries(6):
        response = client.get(reverse("portal:service_list"))

    assert response.content.decode().count("/services/extra-") == 40


def test_the_home_page_needs_few_queries_however_many_services(
    client, catalogue, django_assert_max_num_queries
):
    for n in range(40):
        ServiceStandardFactory(service=ServiceFactory(code=f"extra-{n}", group=f"Group {n % 8}"))

    with django_assert_max_num_queries(5):
        get(client, "portal:home")


@pytest.mark.parametrize("name", ["portal:home", "portal:service_list"])
def test_pages_offer_a_language_switcher_and_a_skip_link(client, catalogue, name):
    page = get(client, name)

    assert f'action="{reverse("set_language")}"' in page
    assert '<select name="language" id="language-select"' in page
    assert '<html lang="en"' in page
    assert 'href="#main"' in page
