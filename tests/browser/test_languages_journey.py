"""The citizen's journey in isiZulu and in Afrikaans, on a phone: choose the
language, read the charter, report a problem, follow it, get the SMS, answer
the survey. No English may show outside proper names: every page's text is
searched for the English of the catalogue entries a citizen sees and of the
content translated for the test (service, standard, survey)."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from imbizo.cases.models import Case
from imbizo.cases.services import case_resolve
from imbizo.core.languages import ENDONYMS
from imbizo.demo.content_translations import content_translations_build
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.texts.services import translation_save
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.i18n.catalogue_checks import PLACEHOLDER, TAG, entries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}

# The test's own content, as a content editor would enter it.
CONTENT = {
    "zu": {"name": "Ukuvuza kwamanzi", "group": "Amanzi",
           "description": "Amanzi avuza emgwaqweni noma emapayipini omphakathi.",
           "pledge": "Siyakulungisa ngokushesha futhi sikwazise uma sekuqediwe.",
           "redress": "Cela ukukhuluma nomphathi; siphendula zingakapheli izinsuku "
                      "zokusebenza ezi-2."},
    "af": {"name": "Waterlek", "group": "Water",
           "description": "Water wat uit 'n pyp of in die straat lek.",
           "pledge": "Ons herstel dit vinnig en laat weet u wanneer dit klaar is.",
           "redress": "Vra vir die toesighouer; ons antwoord binne 2 werksdae."},
}
SEND_REPORT = "Send the report"
SEND_ANSWERS = "Send my answers"


def _segments(text: str) -> list[str]:
    """The runs of plain English words of a catalogue entry, between its
    placeholders and tags: long enough (two words or more) to be telling."""
    parts = re.split(f"{PLACEHOLDER.pattern}|{TAG.pattern}|\\s*[·:;()]\\s*", text)
    return [p.strip(" .,!?\n") for p in parts
            if p and len(p.strip().split()) >= 2 and len(p.strip()) >= 10]


def english_in(text: str, language: str, content_english: list[str]) -> list[str]:
    """The English of citizen-facing entries (and of the translated content)
    that `text` still shows in `language`."""
    found = [e for e in content_english if e in text]
    for entry in entries(language):
        if not entry.citizen_facing or not entry.translated:
            continue
        if entry.strings[0].strip() == entry.msgid.strip():
            continue  # the same in both (a proper name)
        found += [s for s in _segments(entry.msgid) if s in text
                  and s not in entry.strings[0]]
    return sorted(set(found))


def visible_text(page) -> str:
    return page.locator("body").inner_text()


def in_language(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


@pytest.fixture
def translated_world(world):
    """The world, with its content translated into isiZulu and Afrikaans."""
    service, standard = world.service, world.standard
    english = [service.name, service.description, standard.pledge, standard.redress]
    for language, words in CONTENT.items():
        for obj, key in ((service, "name"), (service, "group"), (service, "description"),
                         (standard, "pledge"), (standard, "redress")):
            if getattr(obj, key):
                translation_save(obj=obj, key=key, language=language, text=words[key])
    content_translations_build()  # the survey questions, as the demo has them
    world.content_english = [e for e in english if e]
    return world


@pytest.mark.parametrize("language", ["zu", "af"])
def test_a_citizen_reports_follows_and_rates_in_their_language(
        browser, live_server, translated_world, language):
    world = translated_world
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-ZA",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))

    def clean(step: str) -> None:
        leftover = english_in(visible_text(page), language, world.content_english)
        snap(page, f"lang-{language}-{step}")
        assert not leftover, f"{language} {step} ({page.url}) shows English: {leftover}"

    # The home page in English; the language link at the top leads to the switcher.
    page.goto("/")
    page.locator("a.nav-language").click()
    page.locator("#language-select").select_option(language)
    page.locator("#language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#language-select")).to_contain_text(ENDONYMS[language])
    expect(page.locator("#draft-note")).to_be_visible()  # a draft says so
    clean("1-home")

    # The charter: the service in the citizen's language, with its promise.
    page.goto("/services/")
    page.get_by_role("link", name=CONTENT[language]["name"]).first.click()
    expect(page.get_by_text(CONTENT[language]["pledge"])).to_be_visible()
    axe_check(page)
    clean("2-charter")

    # The report form, by its translated labels' fields.
    page.goto("/report/")
    page.locator("#id_service").select_option("water-leak")
    page.locator("#id_description").fill("Amanzi ayachichima ephaseji." if language == "zu"
                                         else "Water stroom oor die sypaadjie.")
    page.locator("#id_address").fill("14 Church Street")
    page.locator("#id_ward").select_option(world.ward.code)
    page.locator("#id_citizen_phone").fill("082 555 1234")
    page.locator("#id_contact_consent").check()
    clean("3-report")
    page.get_by_role("button", name=in_language(language, SEND_REPORT)).click()

    expect(page).to_have_url(re.compile(r"/track/[A-Z0-9-]+/"))
    case = Case.objects.get()
    assert case.language == language
    axe_check(page)
    clean("4-tracking")

    # The acknowledgement SMS is in the citizen's language too.
    sms = OutboxMessage.objects.get(case=case, channel="sms", template="case_received")
    body = message_text(sms)[1]
    assert english_in(body, language, world.content_english) == [], body

    # Following it by reference.
    page.goto("/track/")
    page.locator("input[name=reference]").fill(case.reference.lower())
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"/track/{case.reference}/"))

    # Resolved: the SMS carries the survey link; the survey and its thanks.
    case_resolve(case=case, actor=None, outcome="fixed", note="Fixed.")
    message = OutboxMessage.objects.get(case=case, template="case_resolved", channel="sms")
    text = message_text(message)[1]
    assert english_in(text, language, world.content_english) == [], text
    link = re.search(r"https?://[^/\s]+(/survey/\S+/)", text).group(1)
    page.goto(link)
    clean("5-survey")
    for radio in page.locator("input[type=radio][value='4']").all():
        page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    page.get_by_role("button", name=in_language(language, SEND_ANSWERS)).click()
    expect(page.locator("h1")).to_have_text(in_language(language, "Thank you"))
    clean("6-thanks")
    assert_no_console_errors(page)
    context.close()


def test_english_left_in_a_page_is_found():
    # The check itself: an untranslated sentence of the report form is caught.
    assert english_in("Ithini inkinga? Tell us what happened", "zu", []) == [
        "Tell us what happened"]
