"""How many SMS segments a text takes: the one counter for the whole product.

A text is sent in the GSM 7-bit default alphabet (3GPP TS 23.038, 6.2.1) when
every character is in its basic table or its extension table; otherwise the
whole text goes as UCS-2 (UTF-16 code units), and one character outside
GSM-7 (a curly quote, an emoji) halves what fits. Extension-table characters
(`{ } [ ] ~ \\ | ^ €` and form feed) take two septets: an escape and the
character.

One segment holds 160 septets or 70 UCS-2 units. A longer text is split into
concatenated segments (a 6-octet user-data header each) of 153 septets or 67
units, and a segment never splits an escape pair or a surrogate pair, so a
segment may hold one unit less than that; the count below walks the text as
a phone does.

Pure functions, no Django: used by message templates (to fit one segment),
the staff send form (to show the count) and the tests.
"""

from dataclasses import dataclass

# 3GPP TS 23.038 6.2.1, the default alphabet's basic table, in code order
# (0x1B, the escape to the extension table, is not a character of its own).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
) - {"\x1b"}
# 6.2.1.1, the default extension table.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7 = "GSM-7"
UCS2 = "UCS-2"

SINGLE = {GSM7: 160, UCS2: 70}
MULTI = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SmsLength:
    """What a text costs: its encoding, its length in that encoding's units
    (septets or UTF-16 units), and the segments it is sent in."""

    encoding: str
    units: int
    segments: int

    @property
    def per_segment(self) -> int:
        return SINGLE[self.encoding] if self.segments <= 1 else MULTI[self.encoding]


def _unit_sizes(text: str) -> tuple[str, list[int]]:
    """The encoding of `text` and the size in units of each character."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return GSM7, [2 if c in GSM7_EXTENSION else 1 for c in text]
    return UCS2, [2 if ord(c) > 0xFFFF else 1 for c in text]


def _segment_count(sizes: list[int], per_segment: int) -> int:
    segments, used = 1, 0
    for size in sizes:
        if used + size > per_segment:  # a pair never straddles two segments
            segments, used = segments + 1, 0
        used += size
    return segments


def sms_length(text: str) -> SmsLength:
    """The encoding, units and segment count of `text` as a phone would send it.

    An empty text is one (empty) segment.
    """
    encoding, sizes = _unit_sizes(text)
    units = sum(sizes)
    if units <= SINGLE[encoding]:
        return SmsLength(encoding=encoding, units=units, segments=1)
    return SmsLength(encoding=encoding, units=units,
                     segments=_segment_count(sizes, MULTI[encoding]))


def sms_segments(text: str) -> int:
    """How many segments `text` is sent in."""
    return sms_length(text).segments


def sms_shorten(head: str, tail: str = "", *, segments: int = 1, ellipsis: str = "...") -> str:
    """`head` + `tail`, with `head` cut (ending in `ellipsis`) so that the whole
    fits in `segments` segments when it can; `tail` (a link, a STOP line) is
    never cut. When even `tail` alone does not fit, the text is returned uncut.

    The ellipsis is three full stops: "…" is not in GSM-7 and would make the
    whole text UCS-2, more than halving what fits.
    """
    whole = head + tail
    if sms_segments(whole) <= segments or sms_segments(tail) > segments:
        return whole
    low, high = 0, len(head)
    while low < high:  # the longest prefix that still fits
        middle = (low + high + 1) // 2
        if sms_segments(head[:middle].rstrip() + ellipsis + tail) <= segments:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return tail.lstrip()
    return head[:low].rstrip() + ellipsis + tail


# Typography that word processors put in and that no phone needs: each of these
# alone turns a whole SMS into UCS-2. Replaced before a text is counted and sent.
SMS_NORMALISE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200a": " ",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
}
_NORMALISE_TABLE = str.maketrans(SMS_NORMALISE)


def sms_normalise(text: str) -> str:
    """`text` with curly quotes, long dashes, the ellipsis character and odd
    spaces written as their plain GSM-7 forms (the meaning is the same)."""
    return text.translate(_NORMALISE_TABLE)


# How a language's wording may be written in GSM-7 without changing what it
# says, as data: letter -> plain letter. Afrikaans and Setswana read the same
# without circumflexes and diaereses (ê, ô, ë: "wêreld" stays readable as
# "wereld"). Sepedi has no rule: š is a letter of its own ("šoma", to work;
# "soma" is another word), so a Sepedi GSM-7 wording is written by a person
# ("sh" is the old spelling), never made by a machine. Languages whose letters
# are all GSM-7 (isiZulu, isiXhosa, English) need none; Sesotho as written in
# South Africa sometimes marks ê and ô, which drop the same way.
GSM7_VARIANT_RULES: dict[str, dict[str, str]] = {
    "af": {"ê": "e", "ë": "e", "ô": "o", "î": "i", "ï": "i", "û": "u", "á": "a", "ó": "o",
           "ú": "u", "í": "i", "Ê": "E", "Ë": "E", "Ô": "O", "Î": "I", "Ï": "I", "Û": "U"},
    "tn": {"ê": "e", "ô": "o", "Ê": "E", "Ô": "O"},
    "st": {"ê": "e", "ô": "o", "Ê": "E", "Ô": "O"},
    "nso": {},
}


def is_gsm7(text: str) -> bool:
    """Whether `text` goes in the GSM-7 alphabet as it is."""
    return _unit_sizes(text)[0] == GSM7


def sms_gsm7_variant(text: str, language: str) -> str | None:
    """A GSM-7 wording of `text` made by `language`'s rules (normalised first),
    or None when the language has no rule that gets there (a person writes one).

    A text already in GSM-7 is its own variant.
    """
    text = sms_normalise(text)
    if is_gsm7(text):
        return text
    rules = GSM7_VARIANT_RULES.get(language)
    if not rules:
        return None
    variant = text.translate(str.maketrans(rules))
    return variant if is_gsm7(variant) else None
