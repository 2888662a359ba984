"""A citizen reads the site in isiXhosa, reports, is answered in isiXhosa and
follows the report in it; an officer sees the case's language and corrects
it. At desktop and at phone size (375x740), with screenshots."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from imbizo.cases.models import Case, EventKind
from imbizo.notify.models import OutboxMessage
from imbizo.org.models import Role
from tests.browser.conftest import axe_check, snap
from tests.factories import StaffFactory
from tests.languages.conftest import catalogues  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("catalogues")]
PASSWORD = "correct horse battery staple"


def xhosa(msgid: str) -> str:
    """The isiXhosa of a catalogue entry (the translators' draft)."""
    with translation.override("xh"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no isiXhosa for {msgid!r}"
    return text


PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_citizen_reports_in_isixhosa_and_follows_it_in_isixhosa(
        browser, live_server, world, size):
    context = browser.new_context(base_url=live_server.url, locale="en-ZA",
                                  **(PHONE if size == "phone" else
                                     {"viewport": {"width": 1280, "height": 900}}))
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto("/report/")
    page.get_by_label("Language").select_option("xh")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "xh")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        xhosa("Report a problem, complain or pay a compliment"))
    page.get_by_label(xhosa("Which service is it about?")).select_option("water-leak")
    page.get_by_label(xhosa("Tell us what happened")).fill("Amanzi ayavuza phambi kwesikolo.")
    page.locator("#id_ward").select_option(world.ward.code)
    page.locator("#id_citizen_phone").fill("082 555 1234")
    page.locator("#id_citizen_email").fill("citizen@example.org")
    page.locator("#id_contact_consent").check()
    axe_check(page)
    snap(page, f"language-1-report-xh-{size}")
    # Nothing may run off a phone's screen with isiXhosa's longer words.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.get_by_role("button", name=xhosa("Send the report")).click()

    expect(page.locator("#timeline")).to_be_visible()
    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        xhosa("Report %(ref)s") % {"ref": case.reference})
    expect(page.locator("html")).to_have_attribute("lang", "xh")
    assert case.language == "xh"
    assert {m.context["language"] for m in OutboxMessage.objects.filter(
        case=case, template="case_received")} == {"xh"}
    axe_check(page)
    snap(page, f"language-2-track-xh-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # The SMS link, opened on another phone with no choice made: still isiXhosa.
    other = browser.new_context(base_url=live_server.url, locale="en-ZA")
    stranger = other.new_page()
    stranger.goto(f"/track/{case.reference}/")
    expect(stranger.locator("html")).to_have_attribute("lang", "xh")
    other.close()
    context.close()


def test_an_officer_sees_the_language_and_corrects_it(page, world):
    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.services import case_open

    case = case_open(draft=CaseDraft(service_code="water-leak", description="Amanzi ayavuza",
                                     channel="hotline", ward_code=world.ward.code, language="zu"))
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(officer.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/cases/{case.reference}/")
    expect(page.locator("#case-language")).to_have_text("isiZulu")
    page.locator("#change-language summary").click()
    page.locator("#change-language select").select_option("nso")
    page.locator("#change-language input[name=note]").fill("The caller asked for Sepedi")
    page.locator("#change-language").get_by_role("button", name="Change the language").click()
    expect(page.locator("#case-language")).to_have_text("Sepedi")
    expect(page.get_by_text("isiZulu → Sepedi")).to_be_visible()
    axe_check(page)
    snap(page, "language-3-staff-case")
    assert Case.objects.get().events.filter(kind=EventKind.LANGUAGE, actor=officer).exists()
