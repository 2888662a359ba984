"""The XForm of a field form, generated with pyxform from its definition.

The definition (field.definitions) is turned into the rows of an XLSForm
table (survey, choices, settings), the format pyxform reads, and converted to
ODK XForm XML with labels in every language the site serves
(settings.LANGUAGES); a label missing in a language falls back to English so
that ODK Collect never shows an empty question.

A published form version is never edited, so its XForm is built once per
process and kept; the cache key includes the definition's digest all the
same, so an edited definition (a mistake) can never be served under an old
hash. The md5 of the bytes served is the formList `hash`: ODK Collect
downloads the form again only when it changes.
"""

import hashlib
import json
import threading
from dataclasses import dataclass

from django.conf import settings
from pyxform.xls2xform import convert

from imbizo.field.definitions import relevant_xpath

FALLBACK_LANGUAGE = "en"

# pyxform's type for each question kind of a definition.
XLSFORM_TYPE = {
    "text": "text",
    "integer": "integer",
    "decimal": "decimal",
    "select_one": "select_one",
    "select_multiple": "select_multiple",
    "geopoint": "geopoint",
    "image": "image",
    "date": "date",
}


@dataclass(frozen=True)
class XForm:
    xml: bytes
    md5: str  # hex digest of `xml`

    @property
    def hash(self) -> str:
        """The formList and manifest form of the digest."""
        return f"md5:{self.md5}"


_cache: dict[tuple, XForm] = {}
_cache_lock = threading.Lock()


def languages() -> list[tuple[str, str]]:
    """(code, name) of every language the forms are labelled in, default first."""
    served = list(settings.LANGUAGES)
    served.sort(key=lambda pair: pair[0] != settings.LANGUAGE_CODE)
    return served


def _column(code: str, name: str) -> str:
    # "English (en)": the ODK convention, so Collect can match the phone's language.
    return f"label::{name} ({code})"


def _labels(label: dict | str, langs: list[tuple[str, str]]) -> dict[str, str]:
    if isinstance(label, str):
        label = {FALLBACK_LANGUAGE: label}
    fallback = label.get(FALLBACK_LANGUAGE) or next(iter(label.values()), "")
    return {_column(code, name): label.get(code) or fallback for code, name in langs}


def xlsform_rows(*, code: str, version: str, title: str, definition: dict,
                 langs: list[tuple[str, str]]) -> dict[str, list[dict]]:
    """The XLSForm table (survey, choices, settings) of a form definition.

    `start` and `end` record the phone's clock (jr:preload timestamps): the
    record's captured_at is read from `end`.
    """
    survey: list[dict] = [{"type": "start", "name": "start"}, {"type": "end", "name": "end"}]
    choices: list[dict] = []
    for question in definition["questions"]:
        kind = question["kind"]
        row = {"name": question["name"], **_labels(question.get("label", {}), langs)}
        if kind in ("select_one", "select_multiple"):
            list_name = f"{question['name']}_choices"
            row["type"] = f"{kind} {list_name}"
            choices += [{"list_name": list_name, "name": choice["name"],
                         **_labels(choice.get("label", {}), langs)}
                        for choice in question["choices"]]
        else:
            row["type"] = XLSFORM_TYPE[kind]
        if question.get("required"):
            row["required"] = "yes"
        relevant = relevant_xpath(question.get("relevant"))
        if relevant:
            row["relevant"] = relevant
        if kind == "image":
            # Phones shrink photos to this before sending: smaller uploads on a weak signal.
            row["parameters"] = "max-pixels=1600"
        survey.append(row)
    return {
        "survey": survey,
        "choices": choices,
        "settings": [{"form_id": code, "version": version, "form_title": title,
                      "default_language": f"{langs[0][1]} ({langs[0][0]})"}],
    }


def xform_of(*, code: str, version: str, title: str, definition: dict) -> XForm:
    """The XForm of one form version (built once per process)."""
    langs = languages()
    digest = hashlib.sha256(json.dumps(
        [code, version, title, definition, langs], sort_keys=True).encode()).hexdigest()
    key = (code, version, digest)
    with _cache_lock:
        cached = _cache.get(key)
    if cached:
        return cached
    result = convert(
        xlsform=xlsform_rows(code=code, version=version, title=title, definition=definition,
                             langs=langs),
        form_name=code, validate=False, pretty_print=True)
    xml = result.xform.encode("utf-8")
    xform = XForm(xml=xml, md5=hashlib.md5(xml, usedforsecurity=False).hexdigest())
    with _cache_lock:
        _cache[key] = xform
    return xform
