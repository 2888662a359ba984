"""The report form asks the chosen service's questions and checks the answers
by the Open311 rule; what the citizen keeps private is not published."""

import pytest
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.catalogue.models import ServiceAttribute


@pytest.fixture
def pothole(world):
    """world.service asks a required choice, an optional number and a date."""
    ServiceAttribute.objects.create(
        service=world.service, code="size", datatype="singlevaluelist", required=True, order=1,
        description="How big is the pothole?",
        values=[{"key": "small", "name": "Smaller than a plate"},
                {"key": "large", "name": "Larger than a tyre"}])
    ServiceAttribute.objects.create(
        service=world.service, code="depth", datatype="number", order=2,
        description="How deep is it?", datatype_description="In centimetres")
    ServiceAttribute.objects.create(
        service=world.service, code="seen", datatype="datetime", order=3,
        description="When did you first see it?")
    return world


@pytest.fixture
def form(world):
    return {
        "kind": "request", "service": "water-leak", "description": "Hole at 12 Long Street",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
        "citizen_name": "Lerato Khumalo", "citizen_phone": "082 555 0101",
        "questions_for": "water-leak", "idempotency_key": "k-1",
    }


def test_the_form_asks_the_chosen_services_questions_as_fields(client, pothole):
    page = client.get(reverse("portal:report") + "?service=water-leak").content.decode()

    assert "How big is the pothole?" in page
    assert 'type="radio" name="attr__size" value="small"' in page
    assert 'type="text" name="attr__depth"' in page and 'inputmode="decimal"' in page
    assert "In centimetres" in page
    assert 'type="datetime-local" name="attr__seen"' in page


def test_the_questions_fragment_follows_the_service_chosen(client, pothole):
    fragment = client.get(reverse("portal:report_questions"), {"service": "water-leak"})

    assert b"How big is the pothole?" in fragment.content
    assert b'name="questions_for" value="water-leak"' in fragment.content
    assert b"How big" not in client.get(reverse("portal:report_questions"),
                                        {"service": "nothing"}).content


def test_answers_are_stored_as_open311_stores_them(client, pothole, form):
    form.update({"attr__size": "large", "attr__depth": "15"})

    client.post(reverse("portal:report"), form)

    assert Case.objects.get().attributes == {"size": "large", "depth": 15.0}


def test_an_unanswered_required_question_is_named_beside_its_field_and_nothing_is_stored(
        client, pothole, form):
    form["attr__depth"] = "deep"

    response = client.post(reverse("portal:report"), form)

    assert not Case.objects.exists()
    errors = response.context["form"].errors
    assert errors["attr__size"] == ["Please answer: How big is the pothole?"]
    assert errors["attr__depth"] == ["This must be a number."]
    page = response.content.decode()
    assert 'value="Hole at 12 Long Street"' in page or "Hole at 12 Long Street</textarea>" in page
    assert 'value="deep"' in page
    assert '<a href="#id_attr__size">How big is the pothole?</a>' in page  # the summary's link
    assert 'id="id_attr__size"' in page


def test_without_javascript_a_changed_service_first_shows_its_questions(client, pothole, form):
    form["questions_for"] = ""  # the form was shown before the service was chosen

    response = client.post(reverse("portal:report"), form)

    assert not Case.objects.exists()
    page = response.content.decode()
    assert "How big is the pothole?" in page
    assert 'name="questions_for" value="water-leak"' in page
    assert "Lerato Khumalo" in page  # everything typed is kept


def test_the_show_questions_button_checks_nothing_yet(client, pothole, form):
    form.update({"questions_for": "", "step": "questions", "description": ""})

    response = client.post(reverse("portal:report"), form)

    assert not response.context["form"].errors
    assert b"How big is the pothole?" in response.content
    assert not Case.objects.exists()


def test_a_report_kept_private_publishes_no_text(client, world, form):
    form["kept_private"] = "on"

    client.post(reverse("portal:report"), form)

    case = Case.objects.get()
    assert case.kept_private and case.public_description == ""
    assert case.description == "Hole at 12 Long Street"


def test_the_citizen_is_told_what_will_be_public(client, world):
    page = client.get(reverse("portal:report")).content.decode()

    assert "What the public sees" in page
    assert "Keep my whole report private" in page


def test_the_tracking_page_shows_the_public_text_masked(client, world, form):
    form["description"] = "Hole here, call 082 555 0199"
    client.post(reverse("portal:report"), form)
    case = Case.objects.get()

    page = client.get(reverse("portal:case_track", args=[case.reference])).content.decode()

    assert "Hole here, call [removed]" in page
    assert "555 0199" not in page
