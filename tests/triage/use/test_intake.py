"""Triage at the agent intake, through the form's own door: suggestions as
one-click choices, duplicates with "open and merge", and the record of the
choice made."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from imbizo.cases.models import Case, Outcome
from imbizo.org.models import Role
from imbizo.triage.usage_models import SuggestionRecord
from tests.factories import StaffFactory
from tests.triage.use.conftest import MONDAY_10, north_of, report

LEAK = "Burst pipe on Vilakazi Street, water pouring down the road"


def at(when):
    return time_machine.travel(when, tick=False)


@pytest.fixture
def agent_client(client, world, services):
    client.force_login(StaffFactory(office=world.office, role=Role.AGENT).user)
    return client


def intake(here, **changes) -> dict:
    return {"channel": "hotline", "kind": "request", "service": "no-water",
            "description": "Caller says a pipe burst, water running down Vilakazi Street",
            "address": "Vilakazi Street", "priority": "normal",
            "lat": str(here[0]), "lon": str(here[1]), "idempotency_key": "k1", **changes}


def test_the_panel_offers_the_suggested_services_and_the_open_duplicates(
        agent_client, services, here, trained):
    with at(MONDAY_10):
        first = report(services.leak, LEAK + " call 082 555 1234", point=here)
    with at(MONDAY_10 + timedelta(minutes=2)):
        response = agent_client.post(reverse("backoffice:intake_triage"),
                                     intake(north_of(here, 10), service=""))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index('value="water-leak"') < page.index('value="no-water"') < page.index(
        'value="pothole"')
    assert 'name="pick_service"' in page
    assert first.reference in page and f'name="merge_into" value="{first.reference}"' in page
    assert "082 555 1234" not in page  # another caller's number is never shown here


def test_the_panel_is_post_only_and_for_call_takers(client, world, services, here):
    client.force_login(StaffFactory(office=world.office, role=Role.ANALYST).user)
    assert client.post(reverse("backoffice:intake_triage"), intake(here)).status_code == 403
    assert client.get(reverse("backoffice:intake_triage")).status_code in (403, 405)


def test_picking_a_suggestion_without_javascript_brings_the_form_back_with_it(
        agent_client, here, trained):
    response = agent_client.post(reverse("backoffice:intake"),
                                 intake(here, pick_service="water-leak"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["service"].value() == "water-leak"
    assert not form.errors
    assert "Vilakazi Street" in response.content.decode()  # nothing typed is lost
    assert not Case.objects.exists()


def test_checking_for_similar_reports_without_javascript_shows_them_and_keeps_the_form(
        agent_client, services, here, trained):
    with at(MONDAY_10):
        first = report(services.leak, LEAK, point=here)
        response = agent_client.post(reverse("backoffice:intake"),
                                     intake(here, service="water-leak", step="questions"))

    assert response.status_code == 200
    assert response.context["triage"].duplicates[0].reference == first.reference
    assert Case.objects.count() == 1


def test_opening_with_a_suggestion_records_what_was_suggested_and_chosen(
        agent_client, here, trained):
    response = agent_client.post(reverse("backoffice:intake"), intake(here, service="no-water"))

    assert response.status_code == 302
    record = SuggestionRecord.objects.get()
    case = Case.objects.get()
    assert (record.case, record.door, record.model) == (case, "intake", "7")
    assert record.suggested == ["water-leak", "no-water", "pothole"]
    assert record.first_suggested.code == "water-leak"
    assert (record.chosen.code, record.chosen_rank) == ("no-water", 2)


def test_open_and_merge_files_the_report_as_a_duplicate_of_the_incident(
        agent_client, services, here, trained):
    with at(MONDAY_10):
        incident = report(services.leak, LEAK, point=here)
    with at(MONDAY_10 + timedelta(minutes=2)):
        response = agent_client.post(reverse("backoffice:intake"), intake(
            north_of(here, 10), service="water-leak", merge_into=incident.reference))

    assert response.status_code == 302
    assert response.url == reverse("backoffice:case_detail", args=[incident.reference])
    duplicate = Case.objects.exclude(pk=incident.pk).get()
    assert duplicate.parent == incident
    assert duplicate.outcome == Outcome.DUPLICATE and duplicate.status == "resolved"
    assert SuggestionRecord.objects.get().case == duplicate


def test_a_merge_that_cannot_be_done_stores_nothing(agent_client, services, here, trained):
    response = agent_client.post(reverse("backoffice:intake"), intake(
        here, service="water-leak", merge_into="ZZZZ-9999"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Case.objects.exists() and not SuggestionRecord.objects.exists()


def test_the_same_form_sent_twice_is_one_case_and_one_record(agent_client, here, trained):
    agent_client.post(reverse("backoffice:intake"), intake(here))
    agent_client.post(reverse("backoffice:intake"), intake(here))

    assert Case.objects.count() == 1 and SuggestionRecord.objects.count() == 1


def test_the_panel_takes_a_bounded_number_of_queries(agent_client, services, here, trained,
                                                      django_assert_max_num_queries):
    with at(MONDAY_10):
        for metres in range(0, 40, 4):
            report(services.leak, LEAK, point=north_of(here, metres))
        url = reverse("backoffice:intake_triage")
        agent_client.post(url, intake(here, service=""))
        with django_assert_max_num_queries(8):
            response = agent_client.post(url, intake(here, service=""))
    assert len(response.context["triage"].duplicates) == 5
