"""The case page's clock actions, through the doors staff and citizens use:
acknowledging whatever the status, the priority and the service."""

import pytest
import time_machine
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.services import case_open
from imbizo.catalogue.models import PriorityTarget
from imbizo.org.models import Role
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import inside, sast

pytestmark = pytest.mark.django_db

ONE_AM = sast(2026, 3, 3, 1, 0)


@pytest.fixture
def officer(world):
    return StaffFactory(office=world.office, role=Role.OFFICER)


@pytest.fixture
def urgent_hours(world):
    return PriorityTarget.objects.create(
        standard=world.standard, priority="urgent", ack_amount=1, ack_unit="calendar_hours",
        resolve_amount=12, resolve_unit="calendar_hours")


@pytest.fixture
def assigned_case(world, officer):
    world.office.auto_assign = True
    world.office.save()
    with time_machine.travel(ONE_AM, tick=False):
        return case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                         channel="web", **inside(world.ward)))


def page(client, case):
    return client.get(reverse("backoffice:case_detail", args=[case.reference]))


def act(client, case, action, **data):
    return client.post(reverse("backoffice:case_action", args=[case.reference, action]), data)


def test_an_auto_assigned_case_offers_the_acknowledge_button(client, officer, assigned_case):
    client.force_login(officer.user)

    response = page(client, assigned_case)

    assert response.context["offer"]["acknowledge"]
    assert "Not yet by a person" in response.content.decode()


def test_the_button_acknowledges_and_then_disappears(client, officer, assigned_case):
    client.force_login(officer.user)
    with time_machine.travel(sast(2026, 3, 3, 8, 5), tick=False):
        assert act(client, assigned_case, "acknowledge").status_code == 302
        response = page(client, assigned_case)

    assigned_case.refresh_from_db()
    assert assigned_case.acknowledged_at == sast(2026, 3, 3, 8, 5)
    assert assigned_case.status == "assigned"
    assert not response.context["offer"]["acknowledge"]


def test_an_agent_logs_an_urgent_burst_pipe_at_one_and_sees_the_hours(client, world,
                                                                      urgent_hours):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    client.force_login(agent.user)
    form = {"channel": "hotline", "kind": "request", "service": "water-leak",
            "description": "Burst pipe gushing into the road", "address": "5 Main Road",
            "priority": "urgent", "idempotency_key": "k-urgent"}
    with time_machine.travel(ONE_AM, tick=False):
        response = client.post(reverse("backoffice:intake"), form, follow=True)

    case = Case.objects.get()
    assert (case.priority, case.resolve_due_at) == ("urgent", sast(2026, 3, 3, 13, 0))
    content = response.content.decode()
    assert 'data-priority="urgent"' in content
    assert "3 March 2026 13:00" in content and "3 March 2026 02:00" in content


def test_an_officer_raises_the_priority_on_the_page(client, officer, assigned_case,
                                                    urgent_hours):
    client.force_login(officer.user)
    with time_machine.travel(sast(2026, 3, 3, 1, 30), tick=False):
        act(client, assigned_case, "priority", priority="urgent", note="Flooding")
        response = page(client, assigned_case)

    assigned_case.refresh_from_db()
    assert assigned_case.resolve_due_at == sast(2026, 3, 3, 13, 0)
    assert assigned_case.events.filter(kind=EventKind.PRIORITY).count() == 1
    assert "normal → urgent" in response.content.decode()


def test_an_officer_corrects_the_service_on_the_page(client, world, officer, assigned_case):
    roads = ServiceFactory(code="pothole", name="Pothole", group="Roads",
                           department=world.office.department)
    ServiceStandardFactory(service=roads, published=True, effective_from=sast(2025, 1, 1, 0, 0),
                           resolve_amount=20)
    client.force_login(officer.user)
    with time_machine.travel(sast(2026, 3, 3, 9, 0), tick=False):
        act(client, assigned_case, "service", service="pothole", note="Wrong service chosen")

    assigned_case.refresh_from_db()
    assert assigned_case.service == roads and assigned_case.standard.service == roads
    assert assigned_case.events.get(kind=EventKind.SERVICE).details == {
        "from": "water-leak", "to": "pothole"}


def test_an_agent_may_not_change_the_priority(client, world, assigned_case):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    client.force_login(agent.user)

    response = act(client, assigned_case, "priority", priority="low")

    assert response.status_code == 403
    assigned_case.refresh_from_db()
    assert assigned_case.priority == "normal"


def test_a_citizen_says_it_is_dangerous_and_the_case_is_urgent(client, world, urgent_hours):
    form = {"kind": "request", "service": "water-leak", "description": "Burst pipe",
            "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
            "dangerous": "on", "idempotency_key": "k-danger"}
    with time_machine.travel(ONE_AM, tick=False):
        client.post(reverse("portal:report"), form)

    case = Case.objects.get()
    assert case.priority == "urgent"
    assert case.ack_due_at == sast(2026, 3, 3, 2, 0)


def test_a_report_without_the_box_stays_normal(client, world, urgent_hours):
    form = {"kind": "request", "service": "water-leak", "description": "Drip at the meter",
            "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
            "idempotency_key": "k-drip"}
    client.post(reverse("portal:report"), form)

    assert Case.objects.get().priority == "normal"
