"""What any text must be to enter Imbizo, whichever door it comes through.

Forms, Open311, the REST API, imports, query strings and paths all hold text
that ends up in the database, in messages and on pages. A NUL character is
refused by PostgreSQL (a 500 instead of a clear answer) and silently kept by
SQLite; other control characters break headers, CSV files and SMS; bytes that
are not UTF-8 arrive as U+FFFD replacement characters, which would store a
corrupted text as if it were what the citizen wrote. These rules are pure:
the web boundary (imbizo.ops.inputs) and the import apply them and name the
field at fault.
"""

import re
from datetime import UTC, datetime
from enum import StrEnum

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; and
# the two non-characters U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
REPLACEMENT_CHARACTER = "\ufffd"
# Characters that take no room on the screen: a text made only of these (and
# spaces) looks empty to a person, so it counts as empty.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e"
_INVISIBLE_GONE = dict.fromkeys(map(ord, _INVISIBLE))  # str.translate's table, made once
_LINE_BREAK = re.compile("[\r\n\u2028\u2029\x85]")

# The instants a read filter may name. The databases hold wider ranges, but
# arithmetic on the edges (a time zone, a day added) overflows Python's
# datetime; no case of this product is older than 1900 or due after 2200.
INSTANT_MIN = datetime(1900, 1, 1, tzinfo=UTC)
INSTANT_MAX = datetime(2200, 1, 1, tzinfo=UTC)


class TextFault(StrEnum):
    CONTROL_CHARACTER = "control_character"
    NOT_UTF8 = "not_utf8"


def text_fault(value: str) -> TextFault | None:
    """Why `value` may not enter, or None when it may."""
    if _CONTROL.search(value):
        return TextFault.CONTROL_CHARACTER
    if REPLACEMENT_CHARACTER in value:
        return TextFault.NOT_UTF8
    return None


def text_shown(value: str, limit: int = 40) -> str:
    """`value` fit to be named in an error message: control characters replaced, cut short."""
    return _CONTROL.sub(REPLACEMENT_CHARACTER, value[:limit])


def text_visible(value: str) -> str:
    """`value` without the spaces and invisible characters around it; '' when
    nothing a person could read is left."""
    stripped = value.strip().strip(_INVISIBLE).strip()
    if stripped and stripped[0] not in _INVISIBLE:
        return stripped  # it starts with a character one can see (strip took the spaces)
    return stripped if stripped.translate(_INVISIBLE_GONE).strip() else ""


def single_line(value: str) -> bool:
    """True when `value` has no line break (names going into email headers and greetings)."""
    return not _LINE_BREAK.search(value)


def instant_in_range(value: datetime) -> bool:
    """True when the aware `value` lies within the instants a filter may name."""
    return INSTANT_MIN <= value <= INSTANT_MAX
