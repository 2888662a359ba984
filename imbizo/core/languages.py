"""South Africa's eleven official written languages, by ISO 639 code.

One list for every part that stores, detects or answers in a language: the
language found in a case's text (triage), a citizen's chosen language and the
translations (languages). Names are given in English and in the language itself.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    AFRIKAANS = "af", _("Afrikaans")
    ENGLISH = "en", _("English")
    NDEBELE = "nr", _("isiNdebele")
    SEPEDI = "nso", _("Sepedi")
    SESOTHO = "st", _("Sesotho")
    SISWATI = "ss", _("siSwati")
    SETSWANA = "tn", _("Setswana")
    XITSONGA = "ts", _("Xitsonga")
    TSHIVENDA = "ve", _("Tshivenda")
    XHOSA = "xh", _("isiXhosa")
    ZULU = "zu", _("isiZulu")


# What each language calls itself, for choosers shown to citizens.
ENDONYMS = {
    "af": "Afrikaans",
    "en": "English",
    "nr": "isiNdebele",
    "nso": "Sepedi",
    "st": "Sesotho",
    "ss": "siSwati",
    "tn": "Setswana",
    "ts": "Xitsonga",
    "ve": "Tshivenda",
    "xh": "isiXhosa",
    "zu": "isiZulu",
}


# A language tag as browsers and clients send it: "zu", "nso", "zu-ZA".
_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def enabled_languages() -> list[str]:
    """The codes this institution enables (settings.LANGUAGES), in the
    switcher's order."""
    return [code for code, _name in settings.LANGUAGES]


def default_language() -> str:
    """The institution's default language (settings.LANGUAGE_CODE)."""
    return settings.LANGUAGE_CODE


def normalise_language(code: str | None) -> str | None:
    """An enabled language code for `code` ("zu-ZA", "ZU", "nso_ZA" → "zu",
    "zu", "nso"), or None when it names no enabled language."""
    if not code or not isinstance(code, str) or len(code) > 16:
        return None
    cleaned = code.strip().replace("_", "-").lower()
    if not _TAG.match(cleaned):
        return None
    enabled = enabled_languages()
    if cleaned in enabled:
        return cleaned
    base = cleaned.split("-", 1)[0]
    return base if base in enabled else None


def language_or_default(code: str | None) -> str:
    """An enabled language for `code`, or the institution's default for an
    unknown, disabled or empty one: a bad code never raises."""
    return normalise_language(code) or default_language()


def official_language(code: str | None) -> str:
    """The official language code for `code` ("xh-ZA" → "xh"), enabled or
    not, or "" when it names none: what a case or contact stores, so a
    language a province enables later is not lost meanwhile."""
    if not code or not isinstance(code, str) or len(code) > 16:
        return ""
    cleaned = code.strip().replace("_", "-").lower()
    if not _TAG.match(cleaned):
        return ""
    if cleaned in Language.values:
        return cleaned
    base = cleaned.split("-", 1)[0]
    return base if base in Language.values else ""
