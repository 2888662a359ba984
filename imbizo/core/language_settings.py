"""The institution's languages, read from the environment at settings time.

Kept free of Django models and translation machinery because config/settings
imports it before Django is set up. An institution enables a set of South
Africa's eleven official languages (IMBIZO_LANGUAGES) and names its default
(IMBIZO_DEFAULT_LANGUAGE); enabling a language is a setting, not a migration.
"""

from django.core.exceptions import ImproperlyConfigured

# English name and endonym of each official language, in the order the
# switcher lists them. Django ships LANG_INFO entries only for English and
# Afrikaans; the rest are added from here (see lang_info_entries).
OFFICIAL_LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "English"),
    "zu": ("Zulu", "isiZulu"),
    "xh": ("Xhosa", "isiXhosa"),
    "af": ("Afrikaans", "Afrikaans"),
    "st": ("Southern Sotho", "Sesotho"),
    "tn": ("Tswana", "Setswana"),
    "nso": ("Northern Sotho", "Sepedi"),
    "ts": ("Tsonga", "Xitsonga"),
    "ve": ("Venda", "Tshivenda"),
    "ss": ("Swati", "siSwati"),
    "nr": ("South Ndebele", "isiNdebele"),
}

DEFAULT_ENABLED = "en,zu,xh,af,st,tn,nso"


def _clean(code: str) -> str:
    return code.strip().replace("_", "-").lower()


def parse_enabled(raw: str) -> list[str]:
    """The enabled codes from a comma list, refusing any code that is not an
    official language so a typo stops the start instead of hiding a language."""
    codes: list[str] = []
    for part in raw.split(","):
        code = _clean(part)
        if not code:
            continue
        if code not in OFFICIAL_LANGUAGES:
            raise ImproperlyConfigured(
                f"IMBIZO_LANGUAGES: {part.strip()!r} is not one of South Africa's official "
                f"language codes ({', '.join(OFFICIAL_LANGUAGES)})."
            )
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ImproperlyConfigured("IMBIZO_LANGUAGES is empty: enable at least one language.")
    return codes


def parse_default(raw: str, enabled: list[str]) -> str:
    """The institution's default language, which must be one it enables."""
    code = _clean(raw)
    if code not in OFFICIAL_LANGUAGES:
        raise ImproperlyConfigured(
            f"IMBIZO_DEFAULT_LANGUAGE: {raw.strip()!r} is not one of South Africa's official "
            f"language codes ({', '.join(OFFICIAL_LANGUAGES)})."
        )
    if code not in enabled:
        raise ImproperlyConfigured(
            f"IMBIZO_DEFAULT_LANGUAGE: {code!r} is not in IMBIZO_LANGUAGES ({', '.join(enabled)})."
        )
    return code


def languages_setting(enabled: list[str]) -> list[tuple[str, str]]:
    """Django's LANGUAGES: each enabled code with its endonym, the name a
    citizen recognises whatever language the page is in."""
    return [(code, OFFICIAL_LANGUAGES[code][1]) for code in enabled]


def add_lang_info() -> None:
    """Add the LANG_INFO entries Django lacks, the documented way (updating
    django.conf.locale.LANG_INFO from settings), so get_language_info and the
    {% get_language_info %} tag work for all eleven languages."""
    # Imported when settings call this, not at module top: this module is
    # imported by config/settings before Django is set up.
    import django.conf.locale

    for code, (name, name_local) in OFFICIAL_LANGUAGES.items():
        django.conf.locale.LANG_INFO.setdefault(
            code, {"bidi": False, "code": code, "name": name, "name_local": name_local}
        )
