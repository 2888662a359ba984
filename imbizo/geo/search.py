"""Pure rules of the place search: how text is folded and how hits are ranked.

The same folding is stored in `Place.search_text` and applied to what people
type, so "Dr Pixley kaSeme St" finds "Dr. Pixley KaSeme Street", and
"Vilakazy" finds "Vilakazi". No ORM here.
"""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Abbreviations people type for the common street types (English, Afrikaans).
_ABBREVIATIONS = {"st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue",
                  "cres": "crescent", "ln": "lane", "hwy": "highway", "dr": "drive",
                  "drv": "drive", "sq": "square", "pl": "place"}
# "Dr" before a name is a title (Dr Pixley kaSeme Street), not "drive".
_TITLE_BEFORE_NAME = {"dr"}
MIN_QUERY = 2
# A hit must match what was typed at least this well (see score).
MIN_SCORE = 0.6
# Words that say what kind of street or place, not which.
GENERIC_WORDS = frozenset({
    "street", "road", "avenue", "drive", "lane", "crescent", "close", "way", "highway", "place",
    "square", "straat", "weg", "laan", "singel", "rylaan", "the", "of", "and"})
GENERIC_WEIGHT = 0.25
WORD_MIN = 0.5


def search_key(text: str) -> str:
    """`text` folded for searching: lower case, no accents or punctuation,
    common abbreviations written out, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = _NOT_WORD.sub(" ", plain).split()
    out = []
    for index, word in enumerate(words):
        expanded = _ABBREVIATIONS.get(word)
        if expanded and not (word in _TITLE_BEFORE_NAME and index < len(words) - 1):
            word = expanded
        out.append(word)
    return " ".join(out)


def query_key(text: str) -> str:
    """What is searched for: the folded text without a leading house number
    ("12 Vilakazi St" looks for "vilakazi street")."""
    key = search_key(text)
    words = key.split()
    while len(words) > 1 and words[0].isdigit():
        words.pop(0)
    return " ".join(words)


def trigrams(text: str) -> set[str]:
    """Trigrams of each word, padded as PostgreSQL's pg_trgm pads them."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def plain_trigrams(text: str) -> list[str]:
    """Unpadded trigrams of each word of at least three letters (what SQLite's
    FTS5 trigram tokenizer indexes), in order, without repeats."""
    seen: dict[str, None] = {}
    for word in text.split():
        for i in range(len(word) - 2):
            seen.setdefault(word[i:i + 3], None)
    return list(seen)


def _word_match(typed: str, word: str) -> float:
    """How well one typed word matches one word of a name: 1 for a prefix
    ("vilak" of "vilakazi"), else the Dice overlap of their trigrams."""
    if word.startswith(typed):
        return 1.0
    a, b = trigrams(typed), trigrams(word)
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def score(query: str, text: str) -> tuple[float, bool, float]:
    """The rank of `text` for `query` (both folded), larger first: how well
    each typed word matches its best word of the text (street types count
    little, so "Vilakazi Street" does not find every street), then whether
    the text starts with the query, then the closeness of the whole."""
    words = text.split()
    if not words or not query:
        return (0.0, False, 0.0)
    total = weight = 0.0
    for typed in query.split():
        w = GENERIC_WEIGHT if typed in GENERIC_WORDS else 1.0
        best = max(_word_match(typed, word) for word in words)
        # A word that only shares a letter or two ("clinic", "close") is no match.
        total += w * (best if best >= WORD_MIN else 0.0)
        weight += w
    a, b = trigrams(query), trigrams(text)
    return (round(total / weight, 3), text.startswith(query),
            round(2 * len(a & b) / (len(a) + len(b)), 3))


def score_matches(value: tuple) -> bool:
    return value[0] >= MIN_SCORE
