"""Case reference numbers a person can read over the phone.

A reference is seven symbols and one check symbol from a 31-symbol alphabet
(digits and capitals without I, L, O, U and Z, so nothing is mistaken for 1,
0 or 2), shown as two groups: ``4F7K-2M9X``. The check symbol is a weighted
sum modulo 31 (a prime, with weights 1..7): it catches every single mistyped
symbol and every swap of two neighbours, so a mistyped reference is refused
instead of finding somebody else's case.
"""

import random

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"  # 31 symbols
DATA_LENGTH = 7
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def check_symbol(data: str) -> str:
    total = sum(weight * ALPHABET.index(symbol) for weight, symbol in enumerate(data, start=1))
    return ALPHABET[total % len(ALPHABET)]


def reference_new(rng: random.Random | random.SystemRandom) -> str:
    """A fresh random reference (about 35 bits: not guessable from its neighbours)."""
    number = rng.randrange(len(ALPHABET) ** DATA_LENGTH)  # one draw, not one per symbol
    symbols = []
    total = 0  # check_symbol's sum, taken as the symbols are drawn (an import draws millions)
    for weight in range(1, DATA_LENGTH + 1):
        number, digit = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[digit])
        total += weight * digit
    symbols.append(ALPHABET[total % len(ALPHABET)])
    return format_reference("".join(symbols))


def format_reference(compact: str) -> str:
    return f"{compact[:4]}-{compact[4:]}"


def reference_parse(text: str) -> str | None:
    """The canonical form of a reference as typed (any case, spaces, dashes, O for 0),
    or None when it is not a valid reference."""
    compact = text.strip().upper().translate(_ALIASES)
    if len(compact) != DATA_LENGTH + 1:
        return None
    data, check = compact[:DATA_LENGTH], compact[DATA_LENGTH:]
    if any(symbol not in ALPHABET for symbol in data):
        return None
    if check_symbol(data) != check:
        return None
    return format_reference(compact)
