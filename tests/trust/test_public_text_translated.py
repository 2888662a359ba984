"""No public page shows text that escaped translation.

Every entry of the catalogue is given a pseudo-translation in which each
Latin letter becomes a look-alike with a diacritic ("Report" → "Ŕéþóŕţ"),
keeping placeholders and markup. Every public page of the expectation table
is then rendered in that pseudo-language, and its visible text (and the
title, alt, aria-label and placeholder attributes) is searched for words
still written in plain letters. Such a word is English that no catalogue can
translate: text not marked for translation, a string built in Python, or a
Django message the project's catalogues lack. Words that come from the
database (service, ward and office names: content translated elsewhere),
proper names, codes, and month and day names (Babel's, not the catalogue's)
are let through.
"""

import re
from html.parser import HTMLParser

import pytest
from babel.dates import get_day_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from django.apps import apps
from django.db import models
from django.urls import reverse

from imbizo.core.languages import ENDONYMS
from tests.i18n.catalogue_checks import entries
from tests.trust.url_table import ENTRIES, PUBLIC

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [e for e in ENTRIES if e.area == PUBLIC and e.method == "GET"]
PSEUDO = "zu"  # served under a real code, from a catalogue made here

_LOOK_ALIKE = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçďéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇĎÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ")
# Left as they are: placeholders, markup, entities and template variables.
_KEEP = re.compile(r"(%\([^)]+\)[sdfrx]|%[sdfrx%]|<[^>]+>|\{[^}]*\}|&[A-Za-z]+;|&#\d+;)")
PROPER = {"Imbizo", "Batho", "Pele", "Open311", "SMS", "USSD", "WhatsApp", "GeoJSON", "iCalendar",
          "CSV", "JSON", "ICS", "PDF", "Esri", "OpenStreetMap", "Leaflet", "API", "km",
          "AM", "PM", "am", "pm"}


def pseudo(text: str) -> str:
    return "".join(part if _KEEP.fullmatch(part) else part.translate(_LOOK_ALIKE)
                   for part in _KEEP.split(text))


@pytest.fixture
def pseudo_language(settings, tmp_path):
    """The pseudo catalogue, compiled, as the only catalogue of PSEUDO."""
    catalog = Catalog(locale="en", domain="django", charset="utf-8")
    for entry in entries("zu"):
        if entry.plural is None:
            catalog.add(entry.msgid, pseudo(entry.msgid), flags=("python-format",)
                        if entry.python_format else ())
        else:
            catalog.add((entry.msgid, entry.plural), (pseudo(entry.msgid), pseudo(entry.plural)))
    folder = tmp_path / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "django.mo").open("wb") as f:
        write_mo(f, catalog)
    settings.LOCALE_PATHS = [str(tmp_path)]
    if PSEUDO not in dict(settings.LANGUAGES):
        settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "isiZulu")]
    return PSEUDO


class _Text(HTMLParser):
    """Visible text and the attributes people read, outside script and style."""

    ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in self.ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data)


def _database_values() -> list[str]:
    """Every value stored in a text column (content, names, codes), longest
    first: a page may show them as they are."""
    values = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField))]
        if fields:
            for row in model.objects.values_list(*fields):
                values.update(str(v).strip() for v in row if v and len(str(v).strip()) > 1)
    return sorted(values, key=len, reverse=True)


def _calendar_words() -> set[str]:
    words = set()
    for locale in ("en", PSEUDO):
        for width in ("wide", "abbreviated"):
            words.update(get_month_names(width, locale=locale).values())
            words.update(get_day_names(width, locale=locale).values())
    return {w for value in words for w in re.findall(r"[A-Za-z]+", value)}


def escaped_words(html: str, allowed: set[str], stored: list[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    found = []
    for part in parser.parts:
        text = part
        for value in stored:
            if value in text:
                text = text.replace(value, " ")
        for word in re.findall(r"[A-Za-z][A-Za-z']*[A-Za-z]", text):
            if word not in allowed and word.strip("'") not in allowed:
                found.append(f"{word} (in {part.strip()[:60]!r})")
    return found


def test_no_public_page_shows_text_that_escaped_translation(client, resolved_seed,
                                                           pseudo_language):
    # One seeded instance for every page: the seed is the slow part.
    stored = _database_values()
    client.cookies["django_language"] = pseudo_language
    problems = []
    for entry in PUBLIC_PAGES:
        url = reverse(entry.name, kwargs=entry.kwargs(resolved_seed)) + entry.query
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=pseudo_language)
        assert response.status_code in entry.ok, url
        if "html" not in response.get("Content-Type", ""):
            continue  # feeds and data: their words are data
        # What the visitor typed (a search) comes back as they typed it.
        typed = set(re.findall(r"[A-Za-z]+", entry.query))
        allowed = _calendar_words() | PROPER | set(ENDONYMS.values()) | typed
        problems += [f"{url}: {word}" for word in
                     escaped_words(response.content.decode(), allowed, stored)]

    assert not problems, "English that escaped translation:\n  " + "\n  ".join(
        sorted(set(problems))[:60])


def test_the_pseudo_translation_keeps_placeholders_and_markup():
    assert pseudo("Report <strong>%(count)s</strong> {ref} &amp; more") == (
        "Ŕéþóŕţ <strong>%(count)s</strong> {ref} &amp; ɱóŕé")
