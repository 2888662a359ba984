"""The languages content is translated into: every enabled language but the
English, which is the content's own."""

from imbizo.core.languages import ENDONYMS, enabled_languages


def source_language() -> str:
    return "en"


def translation_languages() -> list[str]:
    """Enabled languages other than English, in settings order (a setting, never
    a migration: settings.LANGUAGES)."""
    return [code for code in enabled_languages() if code != source_language() and code in ENDONYMS]
