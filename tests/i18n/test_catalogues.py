"""The catalogues: complete for everything a citizen sees in every enabled
language, honest about their review, and in step with the source."""

import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

from imbizo.core.catalogues import catalogue_codes, compile_catalogues, po_path, review_state
from tests.i18n.catalogue_checks import entries, mismatch

ENABLED = [code for code, _name in settings.LANGUAGES if code != "en"]
CATALOGUES = catalogue_codes()


def _listing(found, limit: int = 40) -> str:
    shown = "\n".join(f"  {e.msgid!r} ({e.locations[0] if e.locations else '?'})"
                      for e in found[:limit])
    return shown + (f"\n  ... and {len(found) - limit} more" if len(found) > limit else "")


def test_every_enabled_language_has_a_catalogue():
    assert sorted(set(ENABLED) - set(CATALOGUES)) == []


@pytest.mark.parametrize("code", ENABLED)
def test_the_catalogue_translates_everything_a_citizen_sees(code):
    missing = [e for e in entries(code) if e.citizen_facing and not e.translated]

    assert not missing, (f"{code}: {len(missing)} citizen-facing entries have no translation "
                         f"(scripts/citizen-entries {code} lists them):\n{_listing(missing)}")


@pytest.mark.parametrize("code", CATALOGUES)
def test_no_citizen_facing_entry_is_fuzzy(code):
    # Compiled catalogues drop fuzzy entries: the citizen would read English.
    fuzzy = [e for e in entries(code) if e.citizen_facing and e.fuzzy]

    assert not fuzzy, f"{code}: fuzzy entries are not shown:\n{_listing(fuzzy)}"


@pytest.mark.parametrize("code", CATALOGUES)
def test_translations_keep_the_placeholders_and_markup(code):
    wrong = [(e, problem) for e in entries(code) if (problem := mismatch(e))]

    assert not wrong, f"{code}:\n" + "\n".join(f"  {e.msgid!r}: {p}" for e, p in wrong[:40])


@pytest.mark.parametrize("code", CATALOGUES)
def test_the_header_says_whether_the_catalogue_is_reviewed(code):
    head = po_path(code).read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"X-Imbizo-Review: ' in head, f"{code}: the header lacks X-Imbizo-Review"
    if review_state(code) == "reviewed":
        unreviewed = [e for e in entries(code) if e.citizen_facing and not e.reviewed]
        assert not unreviewed, (f"{code} says reviewed, but these citizen-facing entries carry "
                                f"no '# reviewed: <name>, <date>' comment:\n{_listing(unreviewed)}")
    else:
        assert "DRAFT" in head, f"{code}: a draft catalogue says so in its first comment"


def test_the_catalogues_hold_every_marked_text_of_the_source(tmp_path):
    """Text marked for translation after the last `make messages` would reach
    citizens in English whatever the translators did: extract the source
    again into a scratch copy and compare."""
    source = Path(settings.BASE_DIR) / "imbizo"
    copy = tmp_path / "imbizo"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(
        "locale", "static", "__pycache__", "*.pyc", "fixtures"))
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        cwd = Path.cwd()
        try:
            os.chdir(copy)
            call_command("makemessages", locale=["zu"], ignore_patterns=["static/*"],
                         no_obsolete=True, verbosity=0)
        finally:
            os.chdir(cwd)
    fresh = {e.msgid for e in entries("scratch", copy / "locale" / "zu" / "LC_MESSAGES" / "django.po")}
    for code in CATALOGUES:
        known = {e.msgid for e in entries(code)}
        new = sorted(fresh - known)
        assert not new, (f"{code}: {len(new)} marked texts are not in the catalogue; run "
                         f"`make messages`:\n" + "\n".join(f"  {m!r}" for m in new[:40]))


def test_compiling_writes_a_catalogue_django_reads(tmp_path):
    (tmp_path / "zu" / "LC_MESSAGES").mkdir(parents=True)
    po = tmp_path / "zu" / "LC_MESSAGES" / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                  'msgid "Report a problem"\nmsgstr "Bika inkinga"\n\n'
                  '#, fuzzy\nmsgid "Track a report"\nmsgstr "Landela"\n', encoding="utf-8")

    done = compile_catalogues(tmp_path)
    again = compile_catalogues(tmp_path)

    assert [(c.code, c.entries) for c in done] == [("zu", 1)]
    assert again == []  # up to date: nothing compiled
    with (tmp_path / "zu" / "LC_MESSAGES" / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert compiled.gettext("Report a problem") == "Bika inkinga"
    assert compiled.gettext("Track a report") == "Track a report"  # fuzzy left out
