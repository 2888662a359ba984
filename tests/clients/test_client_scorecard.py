"""The client scorecard: its figures equal a plain computation over the answers."""

import random
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from imbizo.clients.models import ResponseClient
from imbizo.clients.survey_models import RoundRecipient, SurveyRound
from imbizo.clients.survey_scores import MEASURES, nps
from imbizo.clients.survey_selectors import client_scorecard
from imbizo.engagement.models import Answer, Instrument, Response
from imbizo.org.models import Role
from tests.clients.survey_factories import groups, rule
from tests.factories import OfficeFactory, StaffFactory

pytestmark = pytest.mark.django_db
SAST = ZoneInfo("Africa/Johannesburg")
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=SAST)


@pytest.fixture
def answered(world):
    """Sixty responses over five quarters, two groups, two offices; a fifth of
    them from an outside party's round."""
    rng = random.Random(7)
    households, business = groups()
    other_office = OfficeFactory(code="north")
    instrument = Instrument.objects.filter(code="client-service").order_by("-version").first()
    questions = {q.driver: q for q in instrument.questions.all()}
    outside = SurveyRound.objects.create(rule=rule(), started_at=NOW, third_party=True)
    stored = []
    for n in range(60):
        at = datetime(2025 + (n % 5 == 4), [2, 5, 8, 11, 2][n % 5], 10, 9, 0, tzinfo=SAST)
        group = households if n % 3 else business
        office = world.office if n % 2 else other_office
        response = Response.objects.create(instrument=instrument, submitted_at=at, office=office)
        ResponseClient.objects.create(response=response, group=group)
        third = n % 5 == 0
        if third:
            RoundRecipient.objects.create(round=outside, respondent=f"R{n}", group=group,
                                          response=response)
        scores = {d: rng.randint(1, 5) for d in MEASURES}
        scores["recommend"] = rng.randint(0, 10)
        if n % 7 == 0:
            del scores["ease"]  # not every question is answered
        Answer.objects.bulk_create(Answer(response=response, question=questions[d], driver=d,
                                          number=v) for d, v in scores.items())
        stored.append((at, group.name, office.name, third, scores))
    return stored


def _quarter(at: datetime) -> str:
    return f"{at.year} Q{(at.month - 1) // 3 + 1}"


def test_the_scorecard_equals_a_plain_computation_over_the_answers(answered):
    expected = defaultdict(list)
    for at, group, office, third, scores in answered:
        for driver, value in scores.items():
            expected[("group", group, driver, _quarter(at), third)].append(value)
            if driver in ("recommend", "referral"):
                expected[("office", office, driver, _quarter(at), third)].append(value)

    with time_machine.travel(NOW):
        card = client_scorecard()

    shown = {}
    for kind, blocks in (("group", card.groups), ("office", card.offices)):
        for block in blocks:
            for row in block.rows:
                for quarter, own, third in zip(card.quarters, row.own, row.third, strict=True):
                    for cell, is_third in ((own, False), (third, True)):
                        if cell.count:
                            shown[(kind, block.name, row.code, quarter, is_third)] = cell
    assert set(shown) == set(expected)
    for key, values in expected.items():
        cell = shown[key]
        assert cell.count == len(values), key
        if key[2] == "recommend":
            assert cell.nps == round(100 * (sum(v >= 9 for v in values)
                                            - sum(v <= 6 for v in values)) / len(values)), key
        else:
            assert cell.mean == round(sum(values) / len(values), 1), key


def test_nps_is_promoters_minus_detractors_in_points():
    assert nps(promoters=5, detractors=2, count=10) == 30
    assert nps(promoters=0, detractors=4, count=4) == -100
    assert nps(promoters=0, detractors=0, count=0) is None


def test_an_analyst_reads_the_scorecard_in_a_few_queries(client, world, answered,
                                                         django_assert_max_num_queries):
    analyst = StaffFactory(role=Role.ANALYST, office=None)
    client.force_login(analyst.user)

    with time_machine.travel(NOW), django_assert_max_num_queries(12):
        page = client.get(reverse("backoffice:client_scorecard"))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Households" in body and "Businesses" in body and "outside party" in body
    assert "Management focus" in body and "NPS" in body


def test_an_officer_may_not_read_the_scorecard(client, world):
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    client.force_login(officer.user)

    assert client.get(reverse("backoffice:client_scorecard")).status_code == 403
