"""Service interruptions through the doors people use: the back office forms,
the report form and tracking page, the public list, ward page, scorecard and
war room."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.org.models import Role
from imbizo.outreach.interruption_models import Interruption, InterruptionCase
from imbizo.outreach.interruptions import interruption_create, interruption_restore
from tests.factories import StaffFactory, WardFactory
from tests.outreach.conftest import MONDAY_10, cut


def signed_in(client, staff):
    client.force_login(staff.user)
    return client


def new_form(world, **changes) -> dict:
    fields = {"service": "water-leak", "kind": "unplanned", "title": "Burst main",
              "public_text": "No water in the ward until the main is repaired.",
              "wards": [world.ward.code], "starts_at": "2026-03-02T09:00",
              "expected_restoration_at": "2026-03-02T18:00", "priority": "urgent", "area": ""}
    fields.update(changes)
    return fields


@time_machine.travel(MONDAY_10, tick=False)
def test_staff_record_an_interruption_from_the_form(client, world, officer):
    response = signed_in(client, officer).post(reverse("backoffice:interruption_new"),
                                               new_form(world), follow=True)

    interruption = Interruption.objects.get()
    assert response.redirect_chain[-1][0] == reverse("backoffice:interruption",
                                                     args=[interruption.pk])
    assert interruption.status == "in_progress"
    assert b"Burst main" in response.content


@time_machine.travel(MONDAY_10, tick=False)
def test_the_form_names_each_mistake_and_stores_nothing(client, world, officer):
    response = signed_in(client, officer).post(reverse("backoffice:interruption_new"), new_form(
        world, wards=[], expected_restoration_at="2026-03-02T08:00"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Choose at least one ward" in errors["wards"][0]
    assert "after the start" in errors["expected_restoration_at"][0]
    assert not Interruption.objects.exists()


@time_machine.travel(MONDAY_10, tick=False)
def test_an_area_that_is_not_a_polygon_is_refused_on_the_form(client, world, officer):
    response = signed_in(client, officer).post(reverse("backoffice:interruption_new"), new_form(
        world, wards=[], area='{"type": "Point", "coordinates": [28, -26]}'))

    assert "polygon" in response.context["form"].errors["area"][0]
    assert not Interruption.objects.exists()


def test_an_agent_sees_interruptions_but_may_not_record_one(client, world):
    agent = StaffFactory(office=world.office, role=Role.AGENT)

    assert signed_in(client, agent).get(reverse("backoffice:interruptions")).status_code == 200
    assert client.get(reverse("backoffice:interruption_new")).status_code == 403


def test_a_report_through_the_portal_is_linked_and_told_at_once(client, world):
    with time_machine.travel(MONDAY_10, tick=False):
        interruption = interruption_create(draft=cut(world))
        response = client.post(reverse("portal:report"), {
            "kind": "request", "service": "water-leak", "description": "No water at all",
            "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
            "citizen_email": "lerato@example.org", "contact_consent": "on",
            "idempotency_key": "k-1"}, follow=True)

    case = Case.objects.get()
    assert InterruptionCase.objects.get(case=case).interruption == interruption
    assert b"We know about this already" in response.content
    assert interruption.title.encode() in response.content


def test_restoring_from_the_back_office_resolves_the_linked_report(client, world, officer):
    with time_machine.travel(MONDAY_10, tick=False):
        interruption = interruption_create(draft=cut(world))
        client.post(reverse("portal:report"), {
            "kind": "request", "service": "water-leak", "description": "No water at all",
            "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
            "idempotency_key": "k-2"})
    with time_machine.travel(MONDAY_10 + timedelta(hours=3), tick=False):
        response = signed_in(client, officer).post(
            reverse("backoffice:interruption_restore", args=[interruption.pk]),
            {"restored_at": "", "text": "Water is back."}, follow=True)
        case = Case.objects.get()
        detail = client.get(reverse("backoffice:case_detail", args=[case.reference]))

    assert b"Linked reports are resolved" in response.content
    assert case.status == "resolved"
    assert b"Linked to the service interruption" in detail.content


def test_a_restoration_before_the_start_is_shown_as_an_error(client, world, officer):
    with time_machine.travel(MONDAY_10, tick=False):
        interruption = interruption_create(draft=cut(world))
        response = signed_in(client, officer).post(
            reverse("backoffice:interruption_restore", args=[interruption.pk]),
            {"restored_at": "2026-03-02T07:00", "text": ""}, follow=True)

    assert b"cannot be before the start" in response.content
    interruption.refresh_from_db()
    assert interruption.status == "in_progress"


def test_the_public_pages_show_current_planned_and_recent_without_personal_data(
        client, world, django_assert_max_num_queries):
    with time_machine.travel(MONDAY_10 - timedelta(days=3), tick=False):
        old = interruption_create(draft=cut(world, title="Old cut", starts_at=MONDAY_10
                                            - timedelta(days=3, hours=2)))
        interruption_restore(interruption=old, actor=None)
    with time_machine.travel(MONDAY_10, tick=False):
        interruption_create(draft=cut(world))
        interruption_create(draft=cut(world, kind="planned", title="Valve replacement",
                                      starts_at=MONDAY_10 + timedelta(days=5),
                                      expected_restoration_at=MONDAY_10 + timedelta(days=5,
                                                                                    hours=4)))
        for n in range(3):
            interruption_create(draft=cut(world, title=f"Cut {n}", ward_ids=[WardFactory(code=f"X{n}").pk]))
        with django_assert_max_num_queries(8):
            listing = client.get(reverse("portal:interruptions"))
        ward_page = client.get(reverse("insights:ward", args=[world.ward.code]))
        service_page = client.get(reverse("portal:service_detail", args=["water-leak"]))

    text = listing.content.decode()
    assert "Burst main on Vilakazi Street" in text
    assert "Valve replacement" in text
    assert "Old cut" in text
    ward_text = ward_page.content.decode()
    assert "Burst main on Vilakazi Street" in ward_text
    assert "Hours without the service" in ward_text
    assert "Valve replacement" in service_page.content.decode()


def test_the_scorecard_and_war_room_show_hours_without_service_and_running_cuts(
        client, world, officer):
    manager = StaffFactory(office=world.office, role=Role.MANAGER)
    with time_machine.travel(MONDAY_10, tick=False):
        done = interruption_create(draft=cut(world, title="Earlier cut"))
        interruption_restore(interruption=done, actor=None)
        interruption_create(draft=cut(world))
        scorecard = client.get(reverse("insights:scorecard"))
        warroom = signed_in(client, manager).get(reverse("insights:warroom"))

    assert world.ward.name in scorecard.content.decode().split('id="outages"')[1]
    running = warroom.content.decode().split('id="table-interruptions"')[1].split("</table>")[0]
    assert "Burst main on Vilakazi Street" in running
    assert "2 Mar 2026, 09:00" in running and "2 Mar 2026, 18:00" in running  # local time


@pytest.mark.parametrize("name", ["portal:interruption", "backoffice:interruption"])
def test_an_unknown_interruption_is_404(client, world, officer, name):
    assert signed_in(client, officer).get(reverse(name, args=[999])).status_code == 404


def test_the_staff_list_and_war_room_do_not_query_per_interruption(client, world, officer):
    manager = StaffFactory(office=world.office, role=Role.MANAGER)

    def queries(staff, name):
        signed_in(client, staff).get(reverse(name))  # warm the session
        with CaptureQueriesContext(connection) as counted:
            response = client.get(reverse(name))
        return len(counted), response.content.decode()

    with time_machine.travel(MONDAY_10, tick=False):
        interruption_create(draft=cut(world, title="Cut A"))
        few = queries(officer, "backoffice:interruptions")[0], queries(manager,
                                                                      "insights:warroom")[0]
        for n in range(5):
            interruption_create(draft=cut(world, title=f"Cut {n}",
                                          ward_ids=[world.ward.pk, WardFactory(code=f"Y{n}").pk]))
        listing, listing_text = queries(officer, "backoffice:interruptions")
        warroom, warroom_text = queries(manager, "insights:warroom")

    assert (listing, warroom) == few
    assert listing_text.count('data-status="in_progress"') == 6
    assert warroom_text.count("Cut ") == 6


def test_the_home_page_says_when_a_service_is_off(client, world):
    quiet = client.get(reverse("portal:home")).content.decode()
    with time_machine.travel(MONDAY_10, tick=False):
        interruption_create(draft=cut(world))
        busy = client.get(reverse("portal:home")).content.decode()

    assert 'id="home-interruptions"' not in quiet
    assert "A service is off in some wards now." in busy
