"""Scope: which cases each role sees in lists and look-ups, and what analysts
never see."""

import pytest
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.cases.selectors import case_scope
from imbizo.core import clock
from imbizo.engagement.models import Answer, Instrument, Response
from imbizo.org.models import Role
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def visible(staff) -> set[str]:
    return set(Case.objects.filter(case_scope(staff)).values_list("reference", flat=True))


def test_each_role_sees_the_cases_of_its_area(seed):
    own, foreign = seed.case.reference, seed.foreign_case.reference

    scopes = {role: visible(staff) for role, staff in seed.staff.items()}

    assert scopes == {
        Role.AGENT: {own, foreign}, Role.OFFICER: {own}, Role.SUPERVISOR: {own},
        Role.MANAGER: {own}, Role.ANALYST: set(), Role.AUDITOR: {own, foreign},
        Role.ADMINISTRATOR: {own, foreign},
    }


def test_a_manager_also_sees_their_services_cases_handled_by_another_office(seed):
    # The other department's office handles a case for a service of ours.
    Case.objects.filter(pk=seed.case.pk).update(office=seed.foreign_office)

    assert seed.case.reference in visible(seed.staff[Role.MANAGER])
    assert seed.case.reference not in visible(seed.staff[Role.OFFICER])


def test_an_officer_without_an_office_sees_nothing(seed):
    assert visible(StaffFactory(role=Role.OFFICER, office=None, department=None)) == set()


def test_the_office_queue_lists_only_the_officers_own_area(client, seed):
    from tests.trust.conftest import open_case

    own = open_case("water-leak", seed.case.ward, "Another leak", citizen_name="A")
    client.force_login(seed.staff[Role.OFFICER].user)

    page = client.get(reverse("backoffice:queue", args=["office"])).content.decode()

    assert own.reference in page and seed.foreign_case.reference not in page


def test_a_caller_lookup_by_another_departments_reference_finds_nothing_for_an_officer(
        client, seed):
    client.force_login(seed.staff[Role.OFFICER].user)

    page = client.get(reverse("backoffice:caller_lookup"),
                      {"reference": seed.foreign_case.reference}).content.decode()

    link = reverse("backoffice:case_detail", args=[seed.foreign_case.reference])
    assert link not in page and "No earlier cases." in page


def test_an_analyst_sees_ratings_but_never_what_citizens_wrote(client, seed):
    instrument = Instrument.objects.get(code="after-contact", version=1)
    question = instrument.questions.first()
    response = Response.objects.create(instrument=instrument, case=seed.case,
                                       office=seed.office, submitted_at=clock.now())
    Answer.objects.create(response=response, question=question, driver="stop",
                          text="Stop ignoring Nokuthula")
    client.force_login(seed.staff[Role.ANALYST].user)

    analyst_page = client.get(reverse("backoffice:feedback")).content.decode()
    client.force_login(seed.staff[Role.SUPERVISOR].user)
    supervisor_page = client.get(reverse("backoffice:feedback")).content.decode()

    assert "Stop ignoring Nokuthula" not in analyst_page
    assert "Stop ignoring Nokuthula" in supervisor_page


def test_an_analysts_overview_offers_no_case_lists(client, seed):
    client.force_login(seed.staff[Role.ANALYST].user)

    page = client.get(reverse("backoffice:home")).content.decode()

    assert reverse("backoffice:queue", args=["mine"]) not in page
    assert reverse("backoffice:intake") not in page
