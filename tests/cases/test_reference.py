import random

from hypothesis import given
from hypothesis import strategies as st

from imbizo.cases.reference import ALPHABET, reference_new, reference_parse


def test_a_new_reference_is_two_groups_of_four():
    reference = reference_new(random.Random(1))

    assert len(reference) == 9 and reference[4] == "-"
    assert reference_parse(reference) == reference


def test_typing_is_forgiving_about_case_spaces_and_look_alikes():
    reference = reference_new(random.Random(7))
    typed = reference.lower().replace("-", " ").replace("0", "o").replace("1", "l")

    assert reference_parse(typed) == reference


@given(st.randoms(use_true_random=False), st.integers(0, 6), st.sampled_from(ALPHABET))
def test_any_single_wrong_symbol_is_caught(rng, position, symbol):
    reference = reference_new(rng).replace("-", "")
    if reference[position] == symbol:
        return
    typo = reference[:position] + symbol + reference[position + 1:]

    assert reference_parse(typo) is None


@given(st.randoms(use_true_random=False), st.integers(0, 6))
def test_swapping_two_neighbours_is_caught(rng, position):
    reference = reference_new(rng).replace("-", "")
    swapped = (
        reference[:position] + reference[position + 1] + reference[position]
        + reference[position + 2:]
    )
    if swapped == reference:
        return

    assert reference_parse(swapped) is None


def test_wrong_lengths_and_symbols_are_refused():
    assert reference_parse("") is None
    assert reference_parse("ABC") is None
    assert reference_parse("ABCD-EFG!") is None


def test_a_new_reference_is_the_draw_in_symbols_then_its_check():
    from imbizo.cases.reference import check_symbol

    draw = random.Random(7).randrange(len(ALPHABET) ** 7)
    symbols = ""
    for _n in range(7):
        draw, digit = divmod(draw, len(ALPHABET))
        symbols += ALPHABET[digit]

    assert reference_new(random.Random(7)) == (
        f"{symbols[:4]}-{symbols[4:]}{check_symbol(symbols)}")
