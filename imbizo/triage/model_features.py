"""The words a model sees: character n-grams of a normalised text.

One function for training (scikit-learn calls it as the vectoriser's analyzer)
and prediction (model.py calls it without scikit-learn), so both see exactly the
same features. Accents are dropped, case folded, punctuation made a space, and
every word padded with spaces before its 2-, 3- and 4-grams are taken (typos
then cost a few n-grams, not the whole word); whole words are added too.
"""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
MIN_N, MAX_N = 2, 4


def text_normal(text: str) -> str:
    """Lower case ASCII letters and digits separated by single spaces."""
    if text.isascii():
        # Most reports: no accent to take off (the same result, without the
        # walk over every character that costs a report a tenth of a millisecond).
        return _NOT_WORD.sub(" ", text.lower()).strip()
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", folded).strip()


def ngrams(text: str) -> list[str]:
    """The n-grams of `text` (with repeats: counts matter)."""
    out: list[str] = []
    append = out.append
    for word in text_normal(text).split():
        append("w:" + word)
        padded = f" {word} "
        size = len(padded)
        for n in range(MIN_N, MAX_N + 1):
            if n > size:
                break
            for i in range(size - n + 1):
                append(padded[i:i + n])
    return out
