"""The agent's intake asks the service's questions; the agent's words are a
private note, the optional public summary is all the public reads; staff
correct the public text from the case page, the original kept for staff."""

import json

import pytest
from django.urls import reverse

from imbizo.cases.models import Case, EventKind
from imbizo.catalogue.models import ServiceAttribute
from imbizo.org.models import Role
from tests.factories import StaffFactory

NOTE = "Walk-in: Mr Dlamini of 14 Acacia Road, 082 765 4321, says the hole is deep"


@pytest.fixture
def agent(client, world):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    client.force_login(agent.user)
    return agent


@pytest.fixture
def questions(world):
    ServiceAttribute.objects.create(
        service=world.service, code="size", datatype="singlevaluelist", required=True, order=1,
        description="How big is the pothole?",
        values=[{"key": "small", "name": "Smaller than a plate"},
                {"key": "large", "name": "Larger than a tyre"}])
    ServiceAttribute.objects.create(
        service=world.service, code="affects", datatype="multivaluelist", order=2,
        description="Who does it affect?",
        values=[{"key": "cars", "name": "Cars"}, {"key": "people", "name": "People"}])
    return world


@pytest.fixture
def form():
    return {"channel": "walk_in", "kind": "request", "service": "water-leak",
            "description": NOTE, "address": "14 Acacia Road", "priority": "normal",
            "questions_for": "water-leak"}


def test_the_agent_answers_the_services_questions_and_they_are_stored(client, agent, questions,
                                                                      form):
    form.update({"attr__size": "small", "attr__affects": ["cars", "people"]})

    response = client.post(reverse("backoffice:intake"), form)

    assert response.status_code == 302
    assert Case.objects.get().attributes == {"size": "small", "affects": ["cars", "people"]}


def test_an_unanswered_required_question_is_named_and_nothing_is_stored(client, agent,
                                                                        questions, form):
    response = client.post(reverse("backoffice:intake"), form)

    assert not Case.objects.exists()
    assert response.context["form"].errors["attr__size"] == [
        "Please answer: How big is the pothole?"]
    assert NOTE in response.content.decode()


def test_the_intake_fragment_renders_the_questions(client, agent, questions):
    response = client.get(reverse("backoffice:intake_questions"), {"service": "water-leak"})

    assert b"How big is the pothole?" in response.content
    assert b'type="checkbox" name="attr__affects"' in response.content


def test_the_agents_note_is_private_and_the_public_summary_is_published(client, agent, form):
    form["public_summary"] = "Deep pothole in Acacia Road"

    client.post(reverse("backoffice:intake"), form)

    case = Case.objects.get()
    assert case.description == NOTE
    assert case.public_description == "Deep pothole in Acacia Road"
    feed = json.loads(client.get("/open311/v2/requests.json").content)
    assert [r["description"] for r in feed] == ["Deep pothole in Acacia Road"]
    track = client.get(reverse("portal:case_track", args=[case.reference])).content.decode()
    assert "Deep pothole in Acacia Road" in track
    assert "Dlamini" not in track and "Dlamini" not in json.dumps(feed)


def test_without_a_summary_the_intake_publishes_no_text(client, agent, form):
    client.post(reverse("backoffice:intake"), form)

    [record] = json.loads(client.get("/open311/v2/requests.json").content)
    assert record["description"] is None


def test_the_case_page_shows_the_answers_by_question_and_both_texts(client, agent, questions,
                                                                    form):
    form.update({"attr__size": "large", "public_summary": "Pothole"})
    client.post(reverse("backoffice:intake"), form)
    case = Case.objects.get()

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert "How big is the pothole?" in page and "Larger than a tyre" in page
    assert "Dlamini" in page  # the agent may see the note
    assert 'id="public-description">Pothole' in page


def test_staff_correct_the_public_text_and_the_original_stays_for_staff(client, agent, form):
    form["public_summary"] = "Pothole, call 082 765 4321"
    client.post(reverse("backoffice:intake"), form)
    case = Case.objects.get()

    client.post(reverse("backoffice:case_action", args=[case.reference, "public_text"]),
                {"public-public_description": "Deep pothole in Acacia Road"})

    case.refresh_from_db()
    assert case.public_description == "Deep pothole in Acacia Road"
    event = case.events.get(kind=EventKind.PUBLIC_TEXT)
    assert not event.public and "Pothole, call 082 765 4321" in event.note
    assert event.actor == agent


def test_every_staff_text_field_says_who_sees_it(client, agent, world, form):
    client.post(reverse("backoffice:intake"), form)
    case = Case.objects.get()
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    client.force_login(officer.user)

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert "What we are waiting for (the citizen and the public see this)" in page
    assert "Update to the citizen (the citizen and the public see this)" in page
    assert "Internal note (staff only)" in page
    assert "Root cause (staff only)" in page
