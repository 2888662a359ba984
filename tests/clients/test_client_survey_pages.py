"""The survey rounds' staff pages: send now, draw a sample, export, import."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imbizo.clients.survey_models import RoundRecipient, SurveyRound
from imbizo.engagement.models import Response
from imbizo.org.models import Role
from tests.clients.survey_factories import closed_case, groups, rule
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, world):
    staff = StaffFactory(role=Role.MANAGER, office=world.office)
    client.force_login(staff.user)
    return staff


def test_send_now_with_nobody_who_agreed_shows_the_reason(client, manager, world):
    groups()
    closed_case(world, phone="+27821110002", consent=False)
    everyone = rule(name="Everyone")

    page = client.post(reverse("backoffice:client_survey_send", args=[everyone.pk]), follow=True)

    assert "finds nobody who agreed to be surveyed" in page.content.decode()
    assert not SurveyRound.objects.exists()


def test_send_now_records_the_round_by_its_sender(client, manager, world):
    groups()
    closed_case(world, phone="+27821110001")
    everyone = rule(name="Everyone")

    page = client.post(reverse("backoffice:client_survey_send", args=[everyone.pk]), follow=True)

    assert "Round sent: 1 invited" in page.content.decode()
    assert SurveyRound.objects.get().started_by == manager


def test_a_manager_draws_exports_and_imports_a_third_party_round(client, manager, world):
    groups()
    closed_case(world, phone="+27821110001")
    annual = rule(name="Annual")

    drawn = client.post(reverse("backoffice:client_survey_third_party", args=[annual.pk]))
    survey_round = SurveyRound.objects.get(third_party=True)
    assert drawn.url == reverse("backoffice:client_survey_round", args=[survey_round.pk])
    sample = client.get(reverse("backoffice:client_survey_sample", args=[survey_round.pk]))
    assert sample["Content-Type"].startswith("text/csv")
    respondent = RoundRecipient.objects.get().respondent
    assert respondent in sample.content.decode()

    url = reverse("backoffice:client_survey_round", args=[survey_round.pk])
    bad = client.post(url, {"results": SimpleUploadedFile(
        "r.csv", f"respondent_id,value,loyalty\n{respondent},4,5\n".encode())})
    assert bad.status_code == 400
    assert 'Column "loyalty" is not a question' in html.unescape(bad.content.decode())
    assert not Response.objects.exists()

    good = client.post(url, {"results": SimpleUploadedFile(
        "r.csv", f"respondent_id,value,recommend\n{respondent},4,9\n".encode())}, follow=True)
    assert "1 results imported" in good.content.decode()
    assert Response.objects.count() == 1


def test_an_analyst_may_not_run_rounds(client, world):
    analyst = StaffFactory(role=Role.ANALYST, office=None)
    client.force_login(analyst.user)

    assert client.get(reverse("backoffice:client_surveys")).status_code == 403
