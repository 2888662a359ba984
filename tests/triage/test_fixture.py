"""The hand-written evaluation fixture make bench-triage reads."""

import csv
from collections import Counter
from pathlib import Path

from imbizo.catalogue.models import Priority
from imbizo.core.languages import Language
from imbizo.demo.catalogue_data import SERVICES

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "triage" / "descriptions.csv"


def test_the_fixture_has_300_descriptions_over_every_demo_service_in_several_languages():
    rows = list(csv.DictReader(FIXTURE.open(encoding="utf-8", newline="")))
    codes = {s[0] for s in SERVICES}

    assert len(rows) >= 300
    assert {r["service"] for r in rows} == codes
    assert all(r["urgency"] in Priority.values for r in rows)
    assert all(r["language"] in Language.values for r in rows)
    assert all(r["description"].strip() for r in rows)
    languages = Counter(r["language"] for r in rows)
    assert len(languages) >= 8 and languages["en"] < len(rows) * 0.6
    assert len({r["description"] for r in rows}) == len(rows)


def test_the_fixture_is_not_the_demo_generators_words():
    from imbizo.demo.triage_descriptions import PHRASES

    demo = {p.casefold().strip(". ") for phrases in PHRASES.values() for p in phrases}
    rows = list(csv.DictReader(FIXTURE.open(encoding="utf-8", newline="")))
    assert not [r["description"] for r in rows if r["description"].casefold().strip(". ") in demo]
