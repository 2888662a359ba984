"""The words a model sees (triage.model_features.text_normal)."""

import pytest

from imbizo.triage.model_features import text_normal


@pytest.mark.parametrize(("text", "normal"), [
    ("Water is running down the street!", "water is running down the street"),
    ("  NO   water\tsince 06:00 -- Ward 12 ", "no water since 06 00 ward 12"),
    ("Amanzi awekho e-Soweto", "amanzi awekho e soweto"),
    ("", ""),
])
def test_plain_ascii_is_lower_cased_and_split_at_anything_but_letters_and_digits(text, normal):
    assert text_normal(text) == normal


def test_an_accented_text_normalises_as_its_plain_twin():
    assert text_normal("Café in Ḿpumalanga: water ÉÈ straße") == \
        text_normal("Cafe in Mpumalanga: water EE strasse")
