"""The pages through the door a person uses: forms posted as the browser posts them."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from imbizo.org.models import Role
from imbizo.people.access_models import RecordView
from imbizo.people.export import export_for
from imbizo.people.feedback_models import FeedbackRequest
from imbizo.people.timelog_models import TimeLogEntry, TimeLogWeek
from tests.factories import StaffFactory, UserFactory

from .factories import contact, rated_contact

pytestmark = pytest.mark.django_db
SAST = ZoneInfo("Africa/Johannesburg")
MONDAY = datetime.date(2026, 11, 30)
NOW = datetime.datetime(2026, 12, 4, 15, 0, tzinfo=SAST)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team(world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR,
                              user=UserFactory(username="sup"))
    officer = StaffFactory(office=world.office, role=Role.OFFICER, manager=supervisor,
                           user=UserFactory(username="off", first_name="Sipho",
                                            last_name="Mthembu"))
    colleague = StaffFactory(office=world.office, role=Role.OFFICER, manager=supervisor)
    return supervisor, officer, colleague


def _grid(**cells) -> dict:
    data = {"week": MONDAY.isoformat(), "goal_share": "70", "goal_note": "Fewer emails"}
    data.update({f"h_{k}": v for k, v in cells.items()})
    return data


def test_the_officer_saves_a_prefilled_week(client, team):
    _supervisor, officer, _colleague = team
    contact(officer, datetime.datetime(2026, 11, 30, 10, tzinfo=SAST), handling_minutes=90)
    client.force_login(officer.user)

    page = client.get(reverse("backoffice:people_log_week")).content.decode()
    assert 'name="h_0_clients" value="1.5"' in page

    response = client.post(reverse("backoffice:people_log_save"),
                           _grid(**{"0_clients": "6", "0_admin": "2", "1_internal": "1.5"}))

    assert response.status_code == 302
    week = TimeLogWeek.objects.get(staff=officer)
    assert week.goal_share == 70 and week.week_start == MONDAY
    assert {(e.day, e.kind): e.hours for e in week.entries.all()} == {
        (0, "clients"): Decimal(6), (0, "admin"): Decimal(2), (1, "internal"): Decimal("1.5")}
    page = client.get(response["Location"]).content.decode()
    assert "Your week is saved." in page and "79%" in page  # 7.5 of 9.5 hours


def test_a_negative_hour_comes_back_with_the_day_named_and_nothing_stored(client, team):
    _supervisor, officer, _colleague = team
    client.force_login(officer.user)

    response = client.post(reverse("backoffice:people_log_save"),
                           _grid(**{"0_clients": "6", "3_other": "-2"}))

    assert response.status_code == 400
    assert "Other work on Thursday is -2.00 hours: hours cannot be negative." in \
        response.content.decode()
    assert not TimeLogWeek.objects.exists()


def test_a_week_over_168_hours_comes_back_with_a_clear_error(client, team):
    _supervisor, officer, _colleague = team
    client.force_login(officer.user)
    cells = {f"{d}_{k}": "23" for d in range(7) for k in ("clients", "other")}

    response = client.post(reverse("backoffice:people_log_save"), _grid(**cells))

    assert response.status_code == 400
    assert "The week adds up to 322.00 hours; a week has 168." in response.content.decode()
    assert not TimeLogEntry.objects.exists()


@pytest.mark.parametrize("name", ["people_log_person", "people_feedback_person",
                                  "people_feedback_patterns_person", "people_reflect_person"])
def test_the_manager_sees_a_reports_record_and_the_view_is_logged(client, team, name):
    supervisor, officer, _colleague = team
    client.force_login(supervisor.user)

    response = client.get(reverse(f"backoffice:{name}", args=[officer.pk]))

    assert response.status_code == 200
    assert "as their manager" in response.content.decode()
    view = RecordView.objects.get()
    assert (view.viewer, view.subject) == (supervisor, officer)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AGENT, Role.SUPERVISOR, Role.MANAGER,
                                  Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR])
@pytest.mark.parametrize("name", ["people_log_person", "people_feedback_person",
                                  "people_feedback_patterns_person", "people_reflect_person"])
def test_every_other_role_gets_403(client, team, world, role, name):
    _supervisor, officer, _colleague = team
    other = StaffFactory(office=world.office, role=role)  # not the officer's manager
    client.force_login(other.user)

    response = client.get(reverse(f"backoffice:{name}", args=[officer.pk]))

    assert response.status_code == 403
    assert not RecordView.objects.exists()


def test_a_colleague_answers_a_request_on_their_own_page(client, team):
    _supervisor, officer, colleague = team
    client.force_login(officer.user)
    client.post(reverse("backoffice:people_feedback_ask"),
                {"giver": colleague.pk, "relation": "colleague", "question": "My phone manner"})
    request = FeedbackRequest.objects.get()

    client.force_login(colleague.user)
    page = client.get(reverse("backoffice:people_feedback_home")).content.decode()
    assert "Answer Sipho Mthembu" in page
    assert client.get(reverse("backoffice:people_feedback_answer", args=[request.pk])).status_code == 200
    response = client.post(reverse("backoffice:people_feedback_answer", args=[request.pk]),
                           {"start": "", "stop": "", "keep": "Warm greeting", "comment": ""})
    assert response.status_code == 302

    client.force_login(officer.user)
    assert "Warm greeting" in client.get(reverse("backoffice:people_feedback_home")).content.decode()


def test_nobody_else_opens_a_request(client, team):
    supervisor, officer, colleague = team
    client.force_login(officer.user)
    client.post(reverse("backoffice:people_feedback_ask"),
                {"giver": colleague.pk, "relation": "colleague"})
    request = FeedbackRequest.objects.get()
    for who in (officer, supervisor):
        client.force_login(who.user)
        url = reverse("backoffice:people_feedback_answer", args=[request.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"keep": "x"}).status_code == 404
    request.refresh_from_db()
    assert request.answered_at is None


@pytest.mark.parametrize(("who", "message"), [
    ("self", "feedback on yourself comes from others"),
    ("leaver", "has left the institution and cannot be asked"),
])
def test_asking_oneself_or_a_leaver_says_why(client, team, who, message):
    _supervisor, officer, colleague = team
    if who == "leaver":
        colleague.left_at = NOW - datetime.timedelta(days=30)
        colleague.save()
    giver = officer if who == "self" else colleague
    client.force_login(officer.user)

    response = client.post(reverse("backoffice:people_feedback_ask"),
                           {"giver": giver.pk, "relation": "colleague"})

    assert response.status_code == 400 and message in response.content.decode()
    assert not FeedbackRequest.objects.exists()


def test_client_ratings_show_from_five_answers(client, team, instruments):
    _supervisor, officer, colleague = team
    for _ in range(5):
        rated_contact(officer, NOW - datetime.timedelta(days=9), overall=4)
    for _ in range(4):
        rated_contact(colleague, NOW - datetime.timedelta(days=9), overall=4)

    client.force_login(officer.user)
    page = client.get(reverse("backoffice:people_feedback_home")).content.decode()
    assert 'id="ratings-table"' in page and "data-average>4.0<" in page

    client.force_login(colleague.user)
    page = client.get(reverse("backoffice:people_feedback_home")).content.decode()
    assert "Too few answers" in page and 'id="ratings-table"' not in page


def test_the_pages_cost_a_fixed_number_of_queries(client, team, instruments,
                                                   django_assert_max_num_queries):
    supervisor, officer, colleague = team
    for n in range(8):
        rated_contact(officer, NOW - datetime.timedelta(days=n + 1),
                      comment={"keep": "Friendly", "start": "Phone back"})
    client.force_login(officer.user)
    for name in ("people_log_week", "people_feedback_home", "people_feedback_patterns",
                 "people_reflect_home"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(f"backoffice:{name}")).status_code == 200
    client.force_login(supervisor.user)
    for name in ("people_log_team", "people_reflect_review"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(f"backoffice:{name}")).status_code == 200


def test_the_person_picks_a_contact_of_the_week(client, team):
    _supervisor, officer, _colleague = team
    mine = contact(officer, NOW - datetime.timedelta(days=1))
    client.force_login(officer.user)

    response = client.post(reverse("backoffice:people_reflect_save"), {
        "pick_name": "good", "good-week": MONDAY.isoformat(), "good-pick": "good",
        "good-contact": mine.pk, "good-what_i_did": "Phoned back the same day",
        "good-shared": "on"})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Phoned back the same day" in page


def test_the_export_holds_the_log_feedback_and_notes(team):
    _supervisor, officer, colleague = team
    from imbizo.people.feedback import feedback_ask
    from imbizo.people.timelog import timelog_save

    timelog_save(staff=officer, week_start=MONDAY, hours={(0, "clients"): Decimal(3)})
    feedback_ask(asker=officer, giver=colleague, relation="colleague")

    sections = export_for(officer)["sections"]

    assert sections["time_log"][0]["entries"][0]["hours"] == "3.00"
    assert sections["feedback"][0]["giver"] == str(colleague)
