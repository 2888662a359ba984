"""The demo's client-service survey: real answers in every quarter, one
third-party survey imported, nothing dated after now."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.clients.models import ResponseClient
from imbizo.clients.survey_models import SurveyRound
from imbizo.clients.survey_selectors import client_scorecard
from imbizo.demo.client_survey import client_survey_build
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.engagement.models import Response

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instruments")]
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


def test_the_demo_answers_the_seven_measures_for_two_years():
    with time_machine.travel(UNTIL, tick=False):
        demo_build(seed=3)
        history_build(seed=3, cases=1500, until=UNTIL)

        made = client_survey_build(seed=3)
        card = client_scorecard()

    assert made["survey rounds"] == 8 and made["answered"] > 150
    assert made["third-party results"] > 10
    assert SurveyRound.objects.filter(third_party=True, imported__gt=0).count() == 1
    answered = Response.objects.filter(instrument__code="client-service")
    assert not answered.filter(submitted_at__gt=UNTIL).exists()
    assert ResponseClient.objects.count() == answered.count()
    assert card.groups and card.offices
    # Every quarter shown but the current one (its round is not yet due) has answers.
    assert all(any(block.rows[0].own[i].count for block in card.groups)
               for i in range(len(card.quarters) - 1))


def test_without_anybody_to_ask_the_demo_makes_the_rules_only():
    demo_build(seed=3)

    made = client_survey_build(seed=3)

    assert made == {"survey rounds": 0}
    assert not SurveyRound.objects.exists()
