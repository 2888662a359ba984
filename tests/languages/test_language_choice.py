"""Which language a page or an API answer is in: the choice (cookie), then
Accept-Language, then the institution's default; on a case's own pages the
case's language; never a URL prefix. A bad code anywhere falls back quietly."""

import pytest
from django.conf import settings
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def lang_of(response) -> str:
    text = response.content.decode()
    start = text.index('<html lang="') + len('<html lang="')
    return text[start:text.index('"', start)]


@pytest.fixture
def case(world):
    return case_open(draft=CaseDraft(
        service_code="water-leak", description="Amanzi ayavuza", channel="web",
        ward_code=world.ward.code, language="zu"))


def test_without_a_choice_the_page_is_in_the_institutions_default(client, world, catalogues):
    response = client.get("/")
    assert lang_of(response) == "en"
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_the_browsers_accept_language_is_followed(client, world, catalogues):
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="zu-ZA,zu;q=0.9,en;q=0.5")) == "zu"
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR, af;q=0.8")) == "af"


def test_choosing_a_language_sets_the_cookie_and_every_page_follows(client, world, catalogues):
    response = client.post(reverse("set_language"), {"language": "st", "next": "/"})
    assert response.status_code == 302 and response.cookies[COOKIE].value == "st"
    # The choice beats the browser's header.
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="af")) == "st"
    assert lang_of(client.get(reverse("portal:report"))) == "st"


@pytest.mark.parametrize("code", ["xx", "fr", "ve", "zu-<script>", "e" * 300, ""])
def test_an_unknown_code_falls_back_to_the_default_with_no_error_page(
        client, world, catalogues, code):
    # In the cookie (ve is official but not enabled here).
    client.cookies[COOKIE] = code
    response = client.get("/")
    assert response.status_code == 200 and lang_of(response) == "en"
    # In the chooser's POST: nothing set, back to the page.
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302
    assert lang_of(client.get("/")) == "en"
    # In Accept-Language.
    client.cookies.pop(COOKIE, None)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{code};q=1")
    assert response.status_code == 200 and lang_of(response) == "en"


def test_a_language_without_a_catalogue_is_not_claimed(client, world, settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]  # nothing compiled: only English and Django's own
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="xh")) == "en"


def test_a_cases_tracking_page_is_in_the_cases_language(client, case, catalogues):
    url = reverse("portal:case_track", args=[case.reference])
    assert lang_of(client.get(url, HTTP_ACCEPT_LANGUAGE="af")) == "zu"
    # An explicit choice still wins, and the rest of the site is not affected.
    client.cookies[COOKIE] = "af"
    assert lang_of(client.get(url)) == "af"
    client.cookies.pop(COOKIE)
    assert lang_of(client.get("/")) == "en"


def test_the_api_follows_accept_language_and_lang(client, world, catalogues):
    # The REST API's refusal (no key) is in the asker's language too.
    for path in ("/api/v1/services", "/open311/v2/services.json"):
        assert client.get(path, HTTP_ACCEPT_LANGUAGE="af")["Content-Language"] == "af"
        assert client.get(path + "?lang=nso-ZA")["Content-Language"] == "nso"
        response = client.get(path + "?lang=klingon", HTTP_ACCEPT_LANGUAGE="tlh")
        assert response.status_code < 500 and response["Content-Language"] == "en"
    assert client.get("/open311/v2/services.json?lang=zz").status_code == 200
    # ?lang= is the API's, not the pages': a link cannot switch a citizen's page.
    assert lang_of(client.get("/?lang=af")) == "en"
