"""The institution's languages as settings: the enabled set, the default and
the language entries Django lacks."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils.translation import get_language_info

from imbizo.core import language_settings
from imbizo.core.languages import enabled_languages, language_or_default

SEVEN = "en,zu,xh,af,st,tn,nso"


def test_the_default_set_is_english_and_six_south_african_languages(settings):
    assert enabled_languages() == ["en", "zu", "xh", "af", "st", "tn", "nso"]
    assert settings.LANGUAGE_CODE == "en"
    assert dict(settings.LANGUAGES)["zu"] == "isiZulu"


def test_a_province_may_enable_all_eleven():
    codes = language_settings.parse_enabled(SEVEN + ",ts,ve,ss,nr")
    assert len(codes) == 11
    assert language_settings.parse_enabled(" ZU , xh,zu ") == ["zu", "xh"]


def test_an_unknown_code_in_the_environment_is_named():
    with pytest.raises(ImproperlyConfigured, match="'fr'"):
        language_settings.parse_enabled("en,fr")
    with pytest.raises(ImproperlyConfigured, match="empty"):
        language_settings.parse_enabled(" , ")


def test_the_default_must_be_an_enabled_official_language():
    assert language_settings.parse_default("ZU", ["en", "zu"]) == "zu"
    with pytest.raises(ImproperlyConfigured, match="'xx'"):
        language_settings.parse_default("xx", ["en"])
    with pytest.raises(ImproperlyConfigured, match="not in IMBIZO_LANGUAGES"):
        language_settings.parse_default("ve", ["en", "zu"])


@pytest.mark.parametrize(
    ("code", "name_local"),
    [("zu", "isiZulu"), ("xh", "isiXhosa"), ("nso", "Sepedi"), ("ve", "Tshivenda"),
     ("nr", "isiNdebele"), ("af", "Afrikaans")],
)
def test_django_knows_every_official_language(code, name_local):
    info = get_language_info(code)
    assert info["name_local"] == name_local
    assert info["bidi"] is False


@pytest.mark.parametrize(
    ("given", "expected"),
    [("zu-ZA", "zu"), ("ZU", "zu"), ("nso_ZA", "nso"), ("xh", "xh"), ("fr", "en"),
     ("", "en"), (None, "en"), ("ve", "en"), ("<script>", "en"), ("z" * 200, "en")],
)
def test_language_or_default_normalises_and_falls_back(given, expected):
    assert language_or_default(given) == expected


@override_settings(LANGUAGE_CODE="af", LANGUAGES=[("en", "English"), ("af", "Afrikaans")])
def test_the_fallback_is_the_institutions_default():
    assert language_or_default("zu") == "af"
    assert enabled_languages() == ["en", "af"]
