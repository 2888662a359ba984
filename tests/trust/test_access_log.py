"""Staff access to personal data is written down, and auditors can read it."""

import pytest
from django.urls import reverse

from imbizo.core.pseudonyms import citizen_key
from imbizo.org.models import Role
from imbizo.privacy.models import AccessPurpose, PersonalDataAccess
from imbizo.privacy.services import access_record
from tests.trust.conftest import CITIZEN

pytestmark = pytest.mark.django_db


def as_(client, seed, role):
    client.force_login(seed.staff[role].user)
    return client


def test_a_case_page_with_contact_details_is_logged_with_who_and_which_case(client, seed):
    page = as_(client, seed, Role.OFFICER).get(
        reverse("backoffice:case_detail", args=[seed.case.reference]))

    assert CITIZEN["citizen_email"] in page.content.decode()
    entry = PersonalDataAccess.objects.get()
    assert (entry.staff, entry.case, entry.purpose) == (
        seed.staff[Role.OFFICER], seed.case, AccessPurpose.CASE_PAGE)
    assert entry.username == "officer" and entry.request_id == page["X-Request-ID"]


def test_an_auditor_sees_the_case_without_contact_details_or_address_and_nothing_is_logged(client, seed):
    page = as_(client, seed, Role.AUDITOR).get(
        reverse("backoffice:case_detail", args=[seed.case.reference])).content.decode()

    assert [v for v in CITIZEN.values() if v in page] == []
    assert "not shown to your role" in page
    assert PersonalDataAccess.objects.count() == 0


def test_a_caller_lookup_is_logged_with_the_number_as_a_pseudonym_only(client, seed):
    as_(client, seed, Role.AGENT).get(reverse("backoffice:caller_lookup"),
                                      {"phone": "082 999 0001"})

    entry = PersonalDataAccess.objects.get()
    assert entry.purpose == AccessPurpose.CALLER_LOOKUP and entry.results == 1
    assert entry.citizen_key == citizen_key("+27829990001")
    assert "0829990001" not in str(PersonalDataAccess.objects.values().get())


def test_the_citizen_journey_is_logged(client, seed):
    as_(client, seed, Role.SUPERVISOR).get(
        reverse("backoffice:citizen_journey", args=[seed.case.reference]))

    assert PersonalDataAccess.objects.get().purpose == AccessPurpose.CITIZEN_JOURNEY


def test_an_auditor_reads_the_log_filtered_by_staff_member(client, seed):
    access_record(staff=seed.staff[Role.OFFICER], purpose=AccessPurpose.CASE_PAGE,
                  case=seed.case)
    access_record(staff=seed.staff[Role.AGENT], purpose=AccessPurpose.CASE_PAGE,
                  case=seed.foreign_case)

    page = as_(client, seed, Role.AUDITOR).get(reverse("backoffice:access_log"),
                                               {"username": "officer"}).content.decode()

    assert seed.case.reference in page and seed.foreign_case.reference not in page


def test_the_log_filters_by_case_reference(client, seed):
    access_record(staff=seed.staff[Role.OFFICER], purpose=AccessPurpose.CASE_PAGE,
                  case=seed.case)
    access_record(staff=seed.staff[Role.AGENT], purpose=AccessPurpose.CASE_PAGE,
                  case=seed.foreign_case)

    page = as_(client, seed, Role.AUDITOR).get(
        reverse("backoffice:access_log"),
        {"reference": seed.foreign_case.reference.lower()}).content.decode()

    assert seed.foreign_case.reference in page and seed.case.reference not in page


def test_the_log_page_costs_the_same_queries_for_ten_entries_or_sixty(
        client, seed, django_assert_max_num_queries):
    for _ in range(60):
        access_record(staff=seed.staff[Role.OFFICER], purpose=AccessPurpose.CASE_PAGE,
                      case=seed.case)
    as_(client, seed, Role.AUDITOR)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("backoffice:access_log"))

    assert response.status_code == 200 and b"60 entries" in response.content
