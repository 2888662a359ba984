"""Honest numbers: every average of citizens' answers shows how many answers it
rests on and is hidden below MIN_ANSWERS_SHOWN, on the ratings page and the
drivers page alike; ratings by staff name the person."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from imbizo.engagement.models import Invitation
from imbizo.engagement.services import invitation_create, invitation_get, response_submit
from imbizo.insights.rollups import rollups_fold
from imbizo.org.models import Role
from tests.factories import OfficeFactory, StaffFactory
from tests.insights.conftest import END, _open, _rate, at
from tests.support import SAST

pytestmark = pytest.mark.django_db


def rate(office, staff, score: int) -> None:
    token = invitation_create(instrument_code="after-contact", source=Invitation.Source.COUNTER,
                              office=office, staff=staff)
    response_submit(invitation=invitation_get(token), answers=dict.fromkeys(
        ("concern", "friendliness", "civility", "overall"), str(score)))


def render_average(value, answers) -> str:
    return Template("{% load evidence %}{% average value answers 2 %}").render(
        Context({"value": value, "answers": answers}))


def test_an_average_shows_its_answers_and_is_hidden_below_the_setting(settings):
    settings.MIN_ANSWERS_SHOWN = 5

    assert "4.20" in render_average(4.2, 5) and "(5<" in render_average(4.2, 5)
    few = render_average(1.0, 4)
    assert "too few answers" in few and "1.00" not in few

    settings.MIN_ANSWERS_SHOWN = 3
    assert "1.00" in render_average(1.0, 4)


@pytest.fixture
def rated_offices(world):
    busy = OfficeFactory(name="Busy Office")
    quiet = OfficeFactory(name="Quiet Office")
    for _n in range(5):
        rate(busy, None, 4)
    rate(quiet, None, 1)
    return busy, quiet


def test_the_ratings_page_hides_an_office_average_resting_on_one_answer(client, rated_offices):
    client.force_login(StaffFactory(office=None, role=Role.ANALYST).user)

    page = client.get(reverse("backoffice:feedback"), {"by": "office"}).content.decode()

    busy_row = page[page.index("Busy Office"):page.index("</tr>", page.index("Busy Office"))]
    quiet_row = page[page.index("Quiet Office"):page.index("</tr>", page.index("Quiet Office"))]
    assert "4.00" in busy_row and "5<span" in busy_row
    assert "too few answers" in quiet_row and "1.00" not in quiet_row


def test_ratings_by_staff_show_the_staff_members_display_name(client, world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER,
                           user__first_name="Nomsa", user__last_name="Zulu")
    rate(world.office, officer, 5)
    client.force_login(StaffFactory(office=None, role=Role.ANALYST).user)

    page = client.get(reverse("backoffice:feedback"), {"by": "staff"}).content.decode()

    assert "Nomsa Zulu" in page


def test_the_drivers_page_hides_a_mean_of_too_few_answers(client, world, settings):
    settings.MIN_ANSWERS_SHOWN = 5
    for n in range(3):
        with at(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SAST) + datetime.timedelta(hours=n)):
            _rate(_open(world, world.ward), {"concern": "2", "friendliness": "4",
                                             "civility": "3", "overall": "3"}, f"p{n}@example.org")
    with at(END):
        rollups_fold()
    client.force_login(StaffFactory(office=None, role=Role.ANALYST).user)

    with at(END):
        page = client.get(reverse("insights:drivers"))

    rows = page.context["tables"]["drivers"].rows
    assert {row["driver"] for row in rows} >= {"Concern shown", "Civility"}
    assert all(row["mean"] == "too few answers" for row in rows)
    assert "too few answers" in page.content.decode()
    assert page.context["chart"] is None  # nothing on the chart rests on too few answers
