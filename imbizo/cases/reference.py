"""Case reference numbers a person can read over the phone.

A reference is seven symbols of Crockford's base-32 alphabet (no I, L, O or U,
so nothing is mistaken for 1 or 0) and one check symbol, shown as two groups:
``4F7K-2M9X``. The check symbol (mod 37, Crockford's scheme) catches every
single mistyped symbol and every swap of two neighbours, so a mistyped
reference is refused instead of finding somebody else's case.
"""

import random

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"  # 37 symbols
DATA_LENGTH = 7
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def check_symbol(data: str) -> str:
    value = 0
    for symbol in data:
        value = value * 32 + ALPHABET.index(symbol)
    return CHECK_ALPHABET[value % 37]


def reference_new(rng: random.Random | random.SystemRandom) -> str:
    """A fresh random reference (35 bits: not guessable from its neighbours)."""
    data = "".join(rng.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return format_reference(data + check_symbol(data))


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
