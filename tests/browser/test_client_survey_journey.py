"""The client-service survey in a real browser: a manager sends a round, a key
client's contact person answers it on the survey page, an analyst sees it on
the scorecard; the annual third-party survey's sample exported, a bad results
file refused with nothing stored, then the good one imported."""

import re

import pytest
from playwright.sync_api import expect

from imbizo.clients.survey_models import RoundRecipient
from imbizo.engagement.models import Response
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.models import Role
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.clients.survey_factories import closed_case, groups, key_client, rule
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
SCORES = {"value": 4, "ease": 5, "integrity": 4, "relevance": 4, "management": 3,
          "relationship": 4, "referral": 5, "recommend": 9}


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")
    page.console_errors.clear()


def test_a_round_is_sent_answered_and_shown_on_the_scorecard(page, world, instruments):
    _households, business = groups()
    key_client(world, business, people=[{"name": "Nomsa Dlamini",
                                         "email": "nomsa@bakery.example"}])
    rule(name="Quarterly client survey", citizens=False)
    manager = StaffFactory(role=Role.MANAGER, office=world.office)
    analyst = StaffFactory(role=Role.ANALYST, office=None)

    sign_in(page, manager.user)
    page.get_by_role("link", name="Client scorecard").first.click()
    page.get_by_role("link", name="Survey rounds").click()
    axe_check(page)
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_role("status")).to_contain_text("Round sent: 1 invited")
    expect(page.locator("#rounds tbody tr").first).to_contain_text("sent by")
    snap(page, "client-survey-1-round-sent")
    sign_out(page)

    email = OutboxMessage.objects.get(template="client_survey")
    link = re.search(r"https?://[^/\s]+(/survey/\S+/)", message_text(email)[1]).group(1)
    page.set_viewport_size(PHONE)
    page.goto(link)
    axe_check(page)
    for code, score in SCORES.items():
        page.locator(f"label[for='{code}-{score}']").click()
    snap(page, "client-survey-2-answering-phone")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank")
    assert Response.objects.filter(instrument__code="client-service").count() == 1

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, analyst.user)
    page.get_by_role("link", name="Client scorecard").first.click()
    axe_check(page)
    table = page.locator("table[data-block='Businesses']").first
    expect(table.locator("tr[data-measure='value'][data-source='own']")).to_contain_text("4.0 (1)")
    expect(table.locator("tr[data-measure='recommend'][data-source='own']")).to_contain_text(
        "100 (1)")
    snap(page, "client-survey-3-scorecard")
    page.set_viewport_size(PHONE)
    snap(page, "client-survey-3-scorecard-phone")
    assert_no_console_errors(page)


def test_a_third_party_survey_is_exported_and_its_results_imported(page, world, instruments,
                                                                    tmp_path):
    groups()
    closed_case(world, phone="+27821110001")
    closed_case(world, email="sipho@example.org")
    rule(name="Annual survey by an outside party", key_clients=False)
    manager = StaffFactory(role=Role.MANAGER, office=world.office)

    sign_in(page, manager.user)
    page.goto("/staff/clients/surveys/")
    page.get_by_role("button", name="Draw a sample for an outside party").click()
    expect(page.get_by_role("status")).to_contain_text("Sample drawn: 2 people")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the sample (CSV)").click()
    sample = download.value.path().read_text()
    ids = [line.split(",")[0] for line in sample.splitlines()[1:]]
    assert len(ids) == 2 and "sipho@example.org" in sample

    bad = tmp_path / "bad.csv"
    bad.write_text(f"respondent_id,value,recommend\n{ids[0]},4,9\n{ids[1]},7,8\n")
    page.get_by_label("Results file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Import results").click()
    expect(page.locator("#import-error")).to_contain_text(
        'Row 3, column "value": give a whole number from 1 to 5.')
    axe_check(page)
    snap(page, "client-survey-4-import-refused")
    assert not Response.objects.exists()
    page.console_errors.clear()  # the refused file's page answers 400, as it should

    good = tmp_path / "good.csv"
    good.write_text(f"respondent_id,answered_on,value,recommend\n{ids[0]},2026-01-10,4,9\n"
                    f"{ids[1]},2026-01-12,2,4\n")
    page.set_viewport_size(PHONE)
    page.get_by_label("Results file (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Import results").click()
    expect(page.get_by_role("status")).to_contain_text("2 results imported")
    expect(page.locator("#answered")).to_have_text("2")
    snap(page, "client-survey-5-imported-phone")
    assert RoundRecipient.objects.filter(response__isnull=False).count() == 2
    assert_no_console_errors(page)
