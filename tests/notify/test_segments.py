"""The SMS segment counter against 3GPP TS 23.038 and the concatenation rules."""

import pytest

from imbizo.notify.segments import (
    GSM7,
    UCS2,
    sms_length,
    sms_segments,
    sms_shorten,
)


@pytest.mark.parametrize(("text", "encoding", "units", "segments"), [
    ("", GSM7, 0, 1),
    ("a" * 160, GSM7, 160, 1),
    ("a" * 161, GSM7, 161, 2),
    ("a" * 306, GSM7, 306, 2),
    ("a" * 307, GSM7, 307, 3),
    ("Água? No: água é UCS-2 (Á)", UCS2, 26, 1),  # Á is not in GSM-7
    ("é à ñ ü Ø Å Δ £ ¥ ¤ § ¿ ¡ @", GSM7, 27, 1),  # all basic-table characters
    ("€" * 80, GSM7, 160, 1),  # extension: escape + character
    ("€" * 81, GSM7, 162, 2),
    ("x" * 70, GSM7, 70, 1),
    ("’" + "a" * 69, UCS2, 70, 1),  # one curly apostrophe turns the whole text UCS-2
    ("’" + "a" * 70, UCS2, 71, 2),
    ("’" + "a" * 133, UCS2, 134, 2),
    ("’" + "a" * 134, UCS2, 135, 3),
    ("😀" * 35, UCS2, 70, 1),  # outside the BMP: a surrogate pair each
])
def test_length_follows_the_standard(text, encoding, units, segments):
    length = sms_length(text)

    assert (length.encoding, length.units, length.segments) == (encoding, units, segments)


def test_an_escape_pair_is_never_split_across_segments():
    # 152 plain septets then "€": 154 septets of which the pair would straddle
    # the 153rd; the phone moves the pair whole into segment 2.
    text = "a" * 152 + "€" + "a" * 152

    assert sms_length(text).units == 306
    assert sms_segments(text) == 3  # 152 | 2+151 | 1 (2 segments by plain division)


def test_a_surrogate_pair_is_never_split_across_segments():
    text = "’" + "a" * 65 + "😀" + "a" * 66  # 134 units; the emoji would straddle unit 67

    assert sms_length(text).units == 134
    assert sms_segments(text) == 3


def test_per_segment_capacity_depends_on_concatenation():
    assert sms_length("a" * 10).per_segment == 160
    assert sms_length("a" * 200).per_segment == 153
    assert sms_length("’" * 10).per_segment == 70
    assert sms_length("’" * 80).per_segment == 67


def test_shorten_cuts_the_head_and_keeps_the_tail():
    tail = " Stop: https://m.example/a/u/abcdefghijkl"

    text = sms_shorten("Water off in ward 12 " * 20, tail)

    assert text.endswith("..." + tail)
    assert sms_length(text) == sms_length(text)  # stable
    assert sms_segments(text) == 1
    assert len(text) > 150  # cut no more than it needs


def test_shorten_leaves_a_text_that_fits_alone():
    assert sms_shorten("Short notice.", " Stop: x") == "Short notice. Stop: x"


def test_shorten_keeps_gsm7_so_the_budget_stays_160():
    text = sms_shorten("Ä" * 300, " end")

    assert sms_length(text).encoding == GSM7
    assert sms_length(text).units == 160


def test_shorten_returns_uncut_when_the_tail_alone_is_too_long():
    tail = "x" * 200

    assert sms_shorten("head", tail) == "head" + tail
