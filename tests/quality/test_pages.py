"""The quality programme's staff pages: access, thin round trips through the
services, evidence photos for staff only, query counts of the lists."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from imbizo.cases.models import Principle
from imbizo.quality.cycle import Stage
from imbizo.quality.models import Action, Nomination, Story, Strategy, VisitCycle, VisitPhoto
from imbizo.quality.services import (
    ActionDraft,
    action_create,
    cycle_start,
    focus_group_create,
    nomination_create,
    story_create,
    visit_begin,
)
from tests.factories import OfficeFactory
from tests.quality.factories import PNG, finished_case, scored_visit, upload
from tests.support import sast

pytestmark = pytest.mark.django_db
NOW = sast(2026, 3, 2, 10, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def as_(client, staff_member):
    client.force_login(staff_member.user)
    return client


def url(name, *args):
    return reverse(f"backoffice:quality_{name}", args=args)


@pytest.mark.parametrize("name", ["home", "learning", "my_recognition", "recognition",
                                  "visit_citizen"])
def test_every_staff_member_reaches_their_own_pages(client, staff, name):
    assert as_(client, staff.officer).get(url(name)).status_code == 200


@pytest.mark.parametrize("name", ["cycles", "focus_groups", "action_new", "action_sources"])
def test_officers_do_not_run_the_programme(client, staff, name):
    assert as_(client, staff.officer).get(url(name)).status_code == 403


def test_the_quality_pages_need_a_login(client, staff):
    response = client.get(url("home"))

    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_a_supervisor_starts_a_cycle_and_scores_the_baseline_visit(client, staff, world):
    client = as_(client, staff.supervisor)

    response = client.post(url("cycle_start"), {"office": world.office.code})
    cycle = VisitCycle.objects.get()
    assert response["Location"] == url("cycle", cycle.pk)
    visit_page = client.post(url("cycle_step", cycle.pk, "visit"))
    visit = cycle.visits.get()
    assert visit_page["Location"] == url("visit", visit.pk)

    form = {"visited_at": "2026-03-02T09:30", "summary": "Friendly but slow", "submit": "1"}
    items = list(visit.scores.values_list("item_id", flat=True))
    form.update({f"score_{pk}": "3" for pk in items})
    form[f"evidence_{items[0]}"] = "No sign from the main road"
    form[f"photo_{items[0]}"] = upload()
    response = client.post(url("visit", visit.pk), form)

    cycle.refresh_from_db()
    assert response["Location"] == url("cycle", cycle.pk)
    assert cycle.stage == Stage.FEEDBACK and cycle.baseline_id == visit.pk
    assert VisitPhoto.objects.get().item_id == items[0]


def test_a_visit_missing_scores_stays_a_draft_and_says_why(client, staff, world):
    cycle = cycle_start(office=world.office, actor=staff.supervisor)
    visit = visit_begin(actor=staff.supervisor, cycle_row=cycle)

    response = as_(client, staff.supervisor).post(
        url("visit", visit.pk), {"visited_at": "2026-03-02T09:30", "submit": "1"}, follow=True)

    assert "Score every item before submitting" in response.content.decode()
    visit.refresh_from_db()
    assert not visit.submitted


def test_evidence_photos_are_served_to_staff_who_may_read_the_visit_only(client, staff, world):
    cycle = cycle_start(office=world.office, actor=staff.supervisor)
    visit = visit_begin(actor=staff.supervisor, cycle_row=cycle)
    from imbizo.quality.services import visit_record

    visit_record(visit=visit, actor=staff.supervisor, entries={},
                 photos=[(visit.scores.first().item_id, upload())])
    photo = VisitPhoto.objects.get()

    allowed = as_(client, staff.manager).get(url("photo", photo.pk))
    assert allowed.status_code == 200 and allowed["Content-Type"] == "image/png"
    assert b"".join(allowed.streaming_content) == PNG
    assert as_(client, staff.stranger).get(url("photo", photo.pk)).status_code == 404
    client.logout()
    assert client.get(url("photo", photo.pk)).status_code == 302


def test_the_as_a_citizen_form_does_not_offer_ones_own_office(client, staff, world):
    other = OfficeFactory(name="Central Clinic")

    page = as_(client, staff.officer).get(url("visit_citizen")).content.decode()

    assert other.code in page and f'value="{world.office.code}"' not in page


def test_an_action_is_agreed_from_the_form(client, staff, world):
    response = as_(client, staff.supervisor).post(url("action_new"), {
        "title": "Answer the phone within five rings", "owner": staff.supervisor.pk,
        "due_on": "2026-04-01", "principle": "courtesy", "metric": "average_rating",
        "office": world.office.code, "window_days": "30", "source": "other"})

    action = Action.objects.get()
    assert response["Location"] == url("action", action.pk)
    assert (action.office, action.owner, action.direction) == (world.office, staff.supervisor,
                                                               "up")


def test_a_bad_action_form_names_the_field(client, staff, world):
    response = as_(client, staff.supervisor).post(url("action_new"), {
        "title": "Late", "owner": staff.supervisor.pk, "due_on": "2026-01-01",
        "principle": "courtesy", "metric": "average_rating", "office": world.office.code,
        "window_days": "30", "source": "other"})

    assert response.status_code == 200
    assert "The due date has passed" in response.content.decode()
    assert not Action.objects.exists()


def test_a_complaints_root_cause_is_offered_as_an_action(client, staff, world):
    case = finished_case(world, opened_at=sast(2026, 2, 2, 9), took=timedelta(days=1),
                         kind="complaint", root_cause="Meter readers skip the street")

    page = as_(client, staff.supervisor).get(url("action_sources")).content.decode()
    prefilled = client.get(url("action_new") + f"?source=complaint&case={case.reference}")

    assert "Meter readers skip the street" in page and case.reference in page
    assert 'value="Meter readers skip the street"' in prefilled.content.decode()


def test_an_action_page_shows_the_figure_before(client, staff, world):
    finished_case(world, opened_at=sast(2026, 2, 2, 9), took=timedelta(days=1))
    action = action_create(actor=staff.supervisor, draft=ActionDraft(
        title="Call back", owner=staff.supervisor, due_on=datetime.date(2026, 4, 1),
        principle="information", metric="resolved_within_pledge", office=world.office))

    page = as_(client, staff.manager).get(url("action", action.pk)).content.decode()

    assert 'data-value="100.0"' in page and "Not enough cases" in page


def test_a_manager_nominates_from_the_wall_page(client, staff, world):
    response = as_(client, staff.manager).post(url("recognition"), {
        "staff": staff.officer.pk, "reason": "Found a lost pension card"})

    assert response.status_code == 302
    assert Nomination.objects.get().reason == "Found a lost pension card"


def test_the_nominee_consents_from_their_own_page(client, staff, world):
    nomination = nomination_create(actor=staff.manager, staff=staff.officer, reason="Kind")

    as_(client, staff.officer).post(url("nomination", nomination.pk, "consent"))

    nomination.refresh_from_db()
    assert nomination.public_consent
    assert client.post(url("nomination", nomination.pk, "withdraw")).status_code == 302
    nomination.refresh_from_db()
    assert nomination.withdrawn_at is None  # only the nominator withdraws


def test_an_officer_answers_a_story_and_sees_the_key(client, staff, world):
    case = finished_case(world, opened_at=sast(2026, 2, 2, 9), took=timedelta(days=1),
                         close=True)
    story = story_create(actor=staff.supervisor, case=case, title="Fixed the next day",
                         text="A leak was fixed the day after it was reported.",
                         key_outcome="success", key_principle=Principle.SERVICE_STANDARDS)

    response = as_(client, staff.officer).post(url("story", story.pk), {
        "outcome": "success", "principle": "service_standards"}, follow=True)

    page = response.content.decode()
    assert "You scored 2 of 2" in page
    assert staff.officer.story_answers.get().points == 2


def test_a_supervisor_drafts_a_story_from_a_closed_case(client, staff, world):
    case = finished_case(world, opened_at=sast(2026, 2, 2, 9), took=timedelta(days=1),
                         close=True, citizen_name="Lerato Khumalo",
                         description="Lerato Khumalo reported a leak.")
    client = as_(client, staff.supervisor)

    draft = client.get(url("story_new") + f"?reference={case.reference}").content.decode()
    response = client.post(url("story_new"), {
        "reference": case.reference, "title": "Quick fix", "text": "Lerato called it in.",
        "key_outcome": "failure", "key_principle": "information",
        "key_strategy": Strategy.objects.get(code="keep-informed").pk, "publish": "on"})

    assert "Lerato" not in draft and "[name] [name] reported a leak." in draft
    story = Story.objects.get()
    assert response["Location"] == url("story", story.pk) and story.text == "[name] called it in."


def test_the_lists_cost_a_fixed_number_of_queries(client, staff, world,
                                                  django_assert_max_num_queries):
    for n in range(4):
        office = OfficeFactory(department=world.office.department)
        cycle = cycle_start(office=office, actor=staff.manager)
        scored_visit(actor=staff.manager, cycle_row=cycle)
        action_create(actor=staff.manager, draft=ActionDraft(
            title=f"Action {n}", owner=staff.manager, due_on=datetime.date(2026, 4, 1),
            principle="access", metric="complaint_share", office=office, cycle=cycle))
        focus_group_create(actor=staff.manager, office=office, topic=f"Topic {n}",
                           held_on=datetime.date(2026, 2, 27), participants=5)
        nomination_create(actor=staff.manager, office=office, reason=f"Team {n}")
    client = as_(client, staff.manager)

    # Session, user and staff record included; none of these grows with the rows.
    for name, limit in (("home", 7), ("cycles", 8), ("actions", 5), ("focus_groups", 7),
                        ("recognition", 11), ("learning", 7)):
        with django_assert_max_num_queries(limit):
            assert client.get(url(name)).status_code == 200, name
