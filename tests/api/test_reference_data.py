"""REST API: services and standards, wards, offices, contacts, responses, stats."""

import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.catalogue.models import ServiceAttribute
from imbizo.engagement.models import Invitation
from imbizo.engagement.services import (
    contact_record,
    counter_token,
    invitation_get,
    response_submit,
)
from tests.api.conftest import Api, key_for
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory, WardFactory
from tests.support import inside

pytestmark = pytest.mark.django_db

RATINGS = {"concern": "4", "friendliness": "5", "civility": "5", "overall": "4",
           "keep": "Thandi at the desk was kind"}


def test_services_carry_their_questions_and_the_standard_in_force(world, reader):
    ServiceAttribute.objects.create(service=world.service, code="meter", datatype="string",
                                    description="Meter number", order=1)

    [item] = reader.get("services").json()["items"]

    assert item["code"] == "water-leak"
    assert item["department"] == world.office.department.code
    assert [a["code"] for a in item["attributes"]] == ["meter"]
    assert item["standard"]["version"] == world.standard.version
    assert item["standard"]["resolve_amount"] == 5


def test_a_service_lists_every_published_version_of_its_standard(world, reader):
    newer = ServiceStandardFactory(service=world.service, resolve_amount=3)
    ServiceStandardFactory(service=world.service, published=False)

    versions = reader.get("services/water-leak/standards").json()

    assert [v["version"] for v in versions] == [newer.version, world.standard.version]


def test_an_unknown_service_is_not_found(world, reader):
    response = reader.get("services/no-such")

    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "code"


def test_listing_services_costs_a_fixed_number_of_queries(world, reader,
                                                        django_assert_max_num_queries):
    for _ in range(10):
        ServiceStandardFactory(service=ServiceFactory())
    reader.get("services")

    with django_assert_max_num_queries(4):  # key, services, questions, standards
        response = reader.get("services")

    assert len(response.json()["items"]) == 11


def test_wards_list_without_boundaries_and_one_ward_with_it(world, reader,
                                                           django_assert_max_num_queries):
    WardFactory.create_batch(5)
    reader.get("wards")

    with django_assert_max_num_queries(2):
        listed = reader.get("wards").json()["items"]
    one = reader.get(f"wards/{world.ward.code}").json()

    assert len(listed) == 6
    assert "boundary" not in listed[0]
    assert one["boundary"]["type"] == "Polygon"


def test_offices_list(world, reader, django_assert_max_num_queries):
    reader.get("offices")

    with django_assert_max_num_queries(2):
        [office] = reader.get("offices").json()["items"]

    assert office == {**office, "code": world.office.code,
                      "department": world.office.department.code}


def rated_contact(world, device: str = "phone-1"):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="walk_in", **inside(world.ward)))
    staff = StaffFactory(office=world.office)
    contact = contact_record(channel="walk_in", office=world.office, staff=staff, case=case,
                             identifier="+27821234567", notes="Came with her neighbour")
    invitation = invitation_get(counter_token(world.office))
    assert invitation.source == Invitation.Source.COUNTER
    response_submit(invitation=invitation, answers=RATINGS, device=device)
    return contact


def test_contacts_without_the_personal_scope_carry_no_pseudonym_or_notes(world, reader):
    contact = rated_contact(world)

    [item] = reader.get("contacts").json()["items"]

    assert item["id"] == contact.pk
    assert item["office"] == world.office.code
    assert item["personal"] is None
    assert "neighbour" not in str(item)


def test_contacts_with_the_personal_scope(world, personal_reader):
    rated_contact(world)

    [item] = personal_reader.get("contacts").json()["items"]

    assert item["personal"]["notes"] == "Came with her neighbour"
    assert len(item["personal"]["citizen_key"]) == 64


def test_responses_carry_scores_and_free_text_only_with_the_personal_scope(world, reader,
                                                                          personal_reader):
    rated_contact(world)

    [plain] = reader.get("survey-responses").json()["items"]
    [full] = personal_reader.get("survey-responses").json()["items"]

    scores = {a["question"]: a["number"] for a in plain["answers"]}
    assert scores["concern"] == 4
    assert plain["instrument"] == "after-contact"
    assert "Thandi" not in str(plain)
    assert {a["question"]: a["text"] for a in full["answers"]}["keep"] == RATINGS["keep"]


def test_listing_responses_costs_a_fixed_number_of_queries(world, reader,
                                                         django_assert_max_num_queries):
    for n in range(5):
        response_submit(invitation=invitation_get(counter_token(world.office)), answers=RATINGS,
                        device=f"phone-{n}")
    reader.get("survey-responses")

    with django_assert_max_num_queries(4):  # key, responses, answers with questions
        items = reader.get("survey-responses").json()["items"]

    assert len(items) == 5


def test_a_department_key_sees_its_offices_contacts_only(world, client, other_department):
    rated_contact(world)
    api = Api(client, key_for("read", department=other_department))

    assert api.get("contacts").json()["items"] == []
    assert api.get("survey-responses").json()["items"] == []


def test_stats_count_cases_by_status_and_service(world, reader, django_assert_max_num_queries):
    for _ in range(3):
        case_open(draft=CaseDraft(service_code="water-leak", description="Leak", channel="web"))
    reader.get("stats/cases")

    with django_assert_max_num_queries(3):
        counts = reader.get("stats/cases").json()

    assert counts == {"total": 3, "by_status": {"received": 3}, "by_service": {"water-leak": 3}}


def test_stats_of_a_department_key_leave_out_other_departments(world, client, other_department):
    case_open(draft=CaseDraft(service_code="water-leak", description="Leak", channel="web"))
    api = Api(client, key_for("read", department=other_department))

    assert api.get("stats/cases").json()["total"] == 0


def test_listing_contacts_costs_a_fixed_number_of_queries(world, reader,
                                                        django_assert_max_num_queries):
    for n in range(5):
        rated_contact(world, device=f"phone-{n}")
    reader.get("contacts")

    with django_assert_max_num_queries(2):  # key, contacts with office and case
        items = reader.get("contacts").json()["items"]

    assert len(items) == 5
