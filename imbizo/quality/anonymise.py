"""Taking the people out of a case's text, so it can be told as a story.

Pure functions. Phone numbers and email addresses are found by their shape;
names and addresses can only be removed when we know them (the case holds
the citizen's name and address, and the names of the staff involved).
"""

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Nine or more digits, optionally led by + and broken by spaces, dots, dashes
# or brackets (phone numbers, and identity and account numbers with them), or
# a bracketed area code and seven digits or more. Dates have fewer digits.
PHONE = re.compile(r"(?<!\w)(?:\(\d{1,4}\)[\s.-]*\d(?:[\s.-]*\d){5,}|\+?\d(?:[\s().-]*\d){8,})(?!\w)")
URL = re.compile(r"https?://\S+")

EMAIL_MARK = "[email]"
PHONE_MARK = "[number]"
NAME_MARK = "[name]"
ADDRESS_MARK = "[address]"
LINK_MARK = "[link]"

# Too common to be a name on their own; matching them would garble the text.
_NOT_NAMES = frozenset({"mr", "mrs", "ms", "dr", "the", "and", "van", "de", "der", "du", "la"})


def scrub(text: str) -> str:
    """`text` without email addresses, phone (and other long) numbers or links."""
    text = EMAIL.sub(EMAIL_MARK, text)
    text = URL.sub(LINK_MARK, text)
    return PHONE.sub(PHONE_MARK, text)


def name_parts(names: Iterable[str]) -> list[str]:
    """The words of `names` worth removing (two letters or more, not a title)."""
    parts = set()
    for name in names:
        for part in re.split(r"[\s,]+", name or ""):
            part = part.strip(".'\"()")
            if len(part) >= 2 and part.lower() not in _NOT_NAMES:
                parts.add(part)
    return sorted(parts, key=len, reverse=True)


def anonymise(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> str:
    """`text` with known names and addresses replaced, then scrubbed (see `scrub`)."""
    for address in sorted((a.strip() for a in addresses if a and a.strip()), key=len,
                          reverse=True):
        text = re.sub(re.escape(address), ADDRESS_MARK, text, flags=re.IGNORECASE)
    for part in name_parts(names):
        text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", NAME_MARK, text, flags=re.IGNORECASE)
    return scrub(text)
