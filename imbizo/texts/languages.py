"""The languages content is translated into: every enabled language but the
default, which is the content's own (English)."""

from django.conf import settings

from imbizo.core.languages import ENDONYMS


def source_language() -> str:
    return "en"


def translation_languages() -> list[str]:
    """Enabled languages other than English, in settings order (a setting, never
    a migration: settings.LANGUAGES)."""
    return [code for code, _name in settings.LANGUAGES
            if code != source_language() and code in ENDONYMS]
