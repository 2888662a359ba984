import pytest

from imbizo.core.inputs import text_visible


@pytest.mark.parametrize(("value", "visible"), [
    ("  Burst pipe ", "Burst pipe"),
    ("\u200bBurst pipe\u200b", "Burst pipe"),
    (" \u200b \u200b x ", "\u200b x"),  # an invisible character inside stays
    ("\u200b \u00ad\ufeff ", ""),
    ("   ", ""),
    ("", ""),
])
def test_a_text_is_what_one_can_see_of_it(value, visible):
    assert text_visible(value) == visible
