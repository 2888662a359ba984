"""Which of South Africa's eleven official languages a text is written in.

CLD2 (pycld2, which ships its model inside the wheel) knows all eleven but is
weak on short texts in the Nguni and Sotho-Tswana languages, which share most
words; a small list of common words per language (language_words.json) breaks
its ties and catches what it calls unknown. A text that mixes English with one
of the other ten is taken as written in that other language: staff who speak it
can read the English too, not always the other way round.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pycld2

from imbizo.core.languages import Language

from .model_features import text_normal

OFFICIAL = {choice.value for choice in Language}
# CLD2's codes for the eleven (the same ISO codes).
_CLD = {"af": "af", "en": "en", "nr": "nr", "nso": "nso", "st": "st", "ss": "ss",
        "tn": "tn", "ts": "ts", "ve": "ve", "xh": "xh", "zu": "zu"}


@cache
def _words() -> dict[str, frozenset[str]]:
    data = json.loads((Path(__file__).parent / "language_words.json").read_text("utf-8"))
    return {code: frozenset(words) for code, words in data["words"].items()}


def _cld(text: str) -> dict[str, int]:
    """CLD2's share (percent) of the text per official language."""
    try:
        _reliable, _bytes, details = pycld2.detect(text, bestEffort=True)
    except pycld2.error:
        return {}
    return {_CLD[code]: percent for _name, code, percent, _score in details
            if code in _CLD and percent > 0}


def language_scores(text: str) -> dict[str, float]:
    """A score per official language (higher is likelier); empty when no clue."""
    words = text_normal(text).split()
    scores: dict[str, float] = {}
    for code, percent in _cld(text).items():
        scores[code] = scores.get(code, 0.0) + percent / 50.0
    for code, vocabulary in _words().items():
        hits = sum(1 for w in words if w in vocabulary)
        if hits:
            scores[code] = scores.get(code, 0.0) + hits * 1.0
    return scores


def language_of(text: str) -> str:
    """The core.languages.Language code of `text`, or "" when unsure."""
    if len(text_normal(text or "").replace(" ", "")) < 3:
        return ""
    scores = language_scores(text)
    if not scores:
        return ""
    best = max(scores, key=lambda c: (scores[c], c))
    if best == "en":
        others = {c: s for c, s in scores.items() if c != "en"}
        if others:
            other = max(others, key=lambda c: (others[c], c))
            # Code-switching: an African language clearly present wins over English.
            if others[other] >= 2.0:
                return other
    return best if best in OFFICIAL else ""
