"""Rating a resolved case from the emailed link; a low rating reaches the supervisor."""

import re

import pytest
from playwright.sync_api import expect

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open, case_resolve
from imbizo.engagement.models import LoopRule
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.models import Role
from tests.browser.conftest import axe_check, snap
from tests.browser.test_case_journeys import sign_in
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import inside

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_low_rating_from_the_emailed_link_opens_a_follow_up_for_the_supervisor(page, world):
    follow_up = ServiceFactory(code="feedback-follow-up", name="Follow-up on a poor rating",
                               department=world.office.department)
    ServiceStandardFactory(service=follow_up, resolve_amount=2)
    LoopRule.objects.create(name="Low helpfulness", drivers=["helpfulness"], max_score=2,
                            follow_up_service=follow_up)
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", citizen_email="lerato@example.org",
                                     contact_consent=True, **inside(world.ward)))
    case_resolve(case=case, actor=None, outcome="fixed", note="Valve replaced")
    email = OutboxMessage.objects.get(case=case, template="case_resolved", channel="email")
    link = re.search(r"https?://[^/\s]+(/survey/\S+/)", message_text(email)[1]).group(1)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("About what you just did with us")
    axe_check(page)
    for code, score in (("satisfaction", 2), ("trust", 2), ("effectiveness", 3), ("ease", 3),
                        ("efficiency", 2), ("fairness", 3), ("helpfulness", 1)):
        page.locator(f"label[for='{code}-{score}']").click()
    snap(page, "feedback-1-survey")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")

    sign_in(page, supervisor.user)
    page.get_by_role("link", name=re.compile("My cases")).first.click()
    row = page.get_by_role("row", name=re.compile("Follow-up on a poor rating"))
    expect(row).to_be_visible()
    row.get_by_role("link").first.click()
    expect(page.locator("#rated-case")).to_have_text(case.reference)
    axe_check(page)
    snap(page, "feedback-2-follow-up")


def test_a_visitor_answers_the_counter_survey_from_the_qr_code(page, world):
    from imbizo.engagement.models import Response
    from imbizo.engagement.services import counter_token

    page.goto(f"/survey/{counter_token(world.office)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How did we treat you?")
    axe_check(page)
    for code, score in (("concern", 5), ("friendliness", 4), ("civility", 5), ("overall", 4)):
        page.locator(f"label[for='{code}-{score}']").click()
    page.get_by_label("What should we keep doing?").fill("The friendly smile at the counter")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")

    page.goto(f"/survey/{counter_token(world.office)}/")
    for code in ("concern", "friendliness", "civility", "overall"):
        page.locator(f"label[for='{code}-3']").click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("We already have your answers from this device")).to_be_visible()
    assert Response.objects.filter(office=world.office).count() == 1
    snap(page, "feedback-3-counter-duplicate")
