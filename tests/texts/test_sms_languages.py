"""Every SMS, in every enabled language: its encoding and segments.

Each notify/*.sms.txt template is rendered in each enabled language with a
stand-in context (every value a 13-character sample, about a reference's
length), normalised as it is before sending; the content sent in SMS (the
demo's service names, pledges and questions) is counted too. The test writes
the table to test-artifacts/sms-segments.txt and fails when a message passes
the budget, or when an Afrikaans, Setswana or Sesotho text that falls to
UCS-2 has no GSM-7 wording by its language's rules.
"""

import datetime
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.utils import translation

from imbizo.demo.content_translations_data import NAMES, PLEDGES, QUESTIONS
from imbizo.notify.segments import (
    GSM7_VARIANT_RULES,
    UCS2,
    sms_gsm7_variant,
    sms_length,
    sms_normalise,
)
from imbizo.texts.languages import translation_languages

ROOT = Path(__file__).resolve().parents[2]  # the repository
BUDGET = 3  # segments a templated SMS may take in any language
CONTENT_BUDGET = 2  # segments one piece of content may take


LINK = "https://imbizo.example/t/Ref-2026-0001"
FULL = ("We are fixing the burst pipe in your street today and expect the water back "
        "by five this afternoon. Thank you for your patience with us.")


class Sample:
    """Any value a template asks for."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith(("_at", "_on", "_from", "_until")) or "due" in name:
            return datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)
        return Sample()

    def __getitem__(self, key):
        return self.__getattr__(str(key))

    def __iter__(self):
        return iter(())

    def __str__(self) -> str:
        return "Ref-2026-0001"


def _templates() -> list[str]:
    """Every SMS template's name, as the loader finds it."""
    return sorted(str(path).split("/templates/", 1)[1]
                  for path in (ROOT / "imbizo").glob("*/templates/notify/**/*.sms.txt"))


def _report(lines: list[str]) -> None:
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "sms-segments.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


@pytest.fixture
def rendered(catalogues_compiled):
    table = []
    for name in _templates():
        for language in ["en", *translation_languages()]:
            with translation.override(language):
                text = get_template(name, using="text").render(
                    {"case": Sample(), "institution": Sample(), "interruption": None,
                     "reopen_url": LINK, "track_url": LINK, "link": LINK, "url": LINK,
                     "alert": Sample(), "invitation": Sample(),
                     # Texts composed elsewhere (cut to one segment there): a full one.
                     "sms_text": FULL, "text": FULL, "message": FULL}).strip()
            table.append((name, language, sms_length(sms_normalise(" ".join(text.split())))))
    return table


def test_every_sms_template_fits_the_budget_in_every_language(rendered):
    lines = [f"{name:48} {language:4} {length.encoding:6} {length.units:4} units "
             f"{length.segments} segment(s)" for name, language, length in rendered]
    _report(lines)

    over = [line for line, (_n, _l, length) in zip(lines, rendered, strict=True)
            if length.segments > BUDGET]
    assert len(rendered) >= 11 * 2  # every template, in English and at least one language
    assert not over, "\n".join(over)


@pytest.mark.parametrize("table", [NAMES, PLEDGES, QUESTIONS], ids=["names", "pledges", "questions"])
def test_content_sent_in_sms_fits_and_has_a_gsm7_wording_where_rules_allow(table):
    lines, problems = [], []
    for english, languages in table.items():
        for language, text in languages.items():
            length = sms_length(sms_normalise(text))
            lines.append(f"{language:4} {length.encoding:6} {length.segments} {text[:60]}")
            if length.segments > CONTENT_BUDGET:
                problems.append(f"{language}: {english} takes {length.segments} segments")
            if (length.encoding == UCS2 and GSM7_VARIANT_RULES.get(language)
                    and sms_gsm7_variant(text, language) is None):
                problems.append(f"{language}: {text} has no GSM-7 wording by its rules")
    print("\n".join(lines))
    assert not problems, "\n".join(problems)


def test_isizulu_and_isixhosa_content_needs_no_ucs2():
    for table in (NAMES, PLEDGES, QUESTIONS):
        for languages in table.values():
            for language in ("zu", "xh"):
                if language in languages:
                    assert sms_length(languages[language]).encoding == "GSM-7", languages[language]
