import pytest
import time_machine
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.services import case_open
from imbizo.org.models import Role
from tests.cases.conftest import inside, sast
from tests.factories import OfficeFactory, StaffFactory

MONDAY_10 = sast(2026, 3, 2, 10, 0)


@pytest.fixture
def case(world):
    with time_machine.travel(MONDAY_10, tick=False):
        return case_open(draft=CaseDraft(
            service_code="water-leak", description="Pipe burst at the corner", channel="web",
            citizen_name="Sipho Dlamini", citizen_phone="0821234567", contact_consent=True,
            **inside(world.ward),
        ))


def signed_in(client, staff):
    client.force_login(staff.user)
    return client


def test_staff_pages_need_a_login(client, world):
    response = client.get(reverse("backoffice:home"))

    assert response.status_code == 302
    assert reverse("backoffice:login") in response["Location"]


def test_a_user_without_a_staff_record_is_refused(client, world, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="x")
    client.force_login(user)

    assert client.get(reverse("backoffice:home")).status_code == 403


def test_an_officer_sees_the_case_of_their_office_with_its_timeline(client, world, case):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)

    response = signed_in(client, officer).get(
        reverse("backoffice:case_detail", args=[case.reference]))

    assert response.status_code == 200
    assert b"Pipe burst at the corner" in response.content
    assert b'data-kind="opened"' in response.content


def test_an_officer_of_another_office_gets_not_found(client, world, case):
    stranger = StaffFactory(office=OfficeFactory(), role=Role.OFFICER)

    response = signed_in(client, stranger).get(
        reverse("backoffice:case_detail", args=[case.reference]))

    assert response.status_code == 404


def test_acknowledge_update_and_resolve_through_the_page(client, world, case):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    signed_in(client, officer)

    def act(action, **data):
        return client.post(reverse("backoffice:case_action", args=[case.reference, action]), data)

    assert act("acknowledge").status_code == 302
    act("update", message="A plumber is coming tomorrow.")
    act("resolve", outcome="fixed", note="Pipe replaced", root_cause="Old pipe")

    case.refresh_from_db()
    assert case.status == "resolved" and case.outcome == "fixed"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [EventKind.OPENED, EventKind.ACKNOWLEDGED, EventKind.PUBLIC_UPDATE,
                     EventKind.STATUS]


def test_a_refused_action_is_explained_on_the_page(client, world, case):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    signed_in(client, officer)

    response = client.post(
        reverse("backoffice:case_action", args=[case.reference, "resolve"]),
        {"outcome": "not_fixed"}, follow=True,
    )

    assert b"Say why it was not fixed." in response.content
    case.refresh_from_db()
    assert case.status == "received"


def test_an_analyst_cannot_act_on_cases(client, world, case):
    analyst = StaffFactory(office=None, role=Role.ANALYST)

    response = signed_in(client, analyst).post(
        reverse("backoffice:case_action", args=[case.reference, "acknowledge"]))

    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.status == "received"


def offered(client, case):
    response = client.get(reverse("backoffice:case_detail", args=[case.reference]))
    return {action for action, shown in response.context["offer"].items() if shown}


def test_the_page_offers_the_moves_the_table_allows_from_where_the_case_is(client, world,
                                                                           case):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    signed_in(client, officer)
    received = offered(client, case)
    client.post(reverse("backoffice:case_action", args=[case.reference, "wait"]),
                {"on": "citizen", "note": "Which meter?"})
    waiting = offered(client, case)
    client.post(reverse("backoffice:case_action", args=[case.reference, "resolve"]),
                {"outcome": "fixed"})

    resolved = offered(client, case)

    assert received == {"acknowledge", "assign_self", "start", "wait", "resolve",
                        "update_citizen", "note", "public_text", "priority", "service",
                        "language"}
    # The note to the citizen acknowledged the case: no button any more.
    assert waiting == {"assign_self", "resume", "resolve", "update_citizen", "note",
                       "public_text", "priority", "service", "language"}
    # The language stays correctable: a survey may still go to the citizen.
    assert resolved == {"close", "reopen", "note", "public_text", "language"}


def test_the_counter_qr_code_is_offered_to_roles_that_may_print_it(client, world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    officer = StaffFactory(office=world.office, role=Role.OFFICER)

    for_supervisor = signed_in(client, supervisor).get(reverse("backoffice:home"))
    for_officer = signed_in(client, officer).get(reverse("backoffice:home"))

    assert for_supervisor.context["counter_qr_office"] == world.office
    assert reverse("backoffice:counter_qr", args=[world.office.code, "pdf"]).encode() in (
        for_supervisor.content)
    assert for_officer.context["counter_qr_office"] is None
    assert b"feedback-qr" not in for_officer.content


def test_an_agent_logs_a_call_and_a_resubmission_does_not_duplicate(client, world):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    signed_in(client, agent)
    form = {
        "channel": "hotline", "kind": "complaint", "service": "water-leak",
        "description": "No water since yesterday", "address": "5 Main Road",
        "citizen_name": "Nomsa", "citizen_phone": "082 765 4321", "contact_consent": "on",
        "priority": "normal", "idempotency_key": "form-abc",
    }

    first = client.post(reverse("backoffice:intake"), form)
    second = client.post(reverse("backoffice:intake"), form)

    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert (case.channel, case.kind, case.citizen_phone) == ("hotline", "complaint", "+27827654321")
    assert case.events.get(kind=EventKind.OPENED).actor == agent


def test_intake_errors_name_the_field(client, world):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    signed_in(client, agent)

    response = client.post(reverse("backoffice:intake"), {
        "channel": "hotline", "kind": "request", "service": "water-leak",
        "description": "Leak", "citizen_phone": "12345", "priority": "normal",
    })

    assert response.status_code == 200
    assert "citizen_phone" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_the_agent_finds_a_callers_earlier_cases_by_phone(client, world, case):
    agent = StaffFactory(office=world.office, role=Role.AGENT)

    response = signed_in(client, agent).get(
        reverse("backoffice:caller_lookup"), {"phone": "082 123 4567"}, HTTP_HX_REQUEST="true")

    assert case.reference.encode() in response.content


def test_queues_list_only_cases_in_scope_with_a_bounded_number_of_queries(
    client, world, case, django_assert_max_num_queries
):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    for _ in range(15):
        with time_machine.travel(MONDAY_10, tick=False):
            case_open(draft=CaseDraft(service_code="water-leak", description="x", channel="web",
                                      **inside(world.ward)))
    signed_in(client, officer)

    # Eight as before, and three for the filters' choices (services, wards, offices).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("backoffice:queue", args=["office"]))

    assert response.status_code == 200
    assert response.content.count(b"/staff/cases/") == 16
