"""Reading the catalogues for the tests: entries, their placeholders and tags."""

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from imbizo.core.catalogues import REVIEWED_COMMENT, po_path
from imbizo.core.citizen_text import is_citizen_facing

# Python-format placeholders (%(name)s, %s, %d) and brace ones ({name});
# a literal %% is not a placeholder.
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfrx]|%[sdfrx]|\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")


@dataclass(frozen=True)
class Entry:
    msgid: str
    plural: str | None
    strings: tuple[str, ...]
    locations: tuple[str, ...]
    comments: tuple[str, ...]
    fuzzy: bool
    python_format: bool

    @property
    def citizen_facing(self) -> bool:
        return is_citizen_facing(list(self.locations))

    @property
    def translated(self) -> bool:
        return bool(self.strings) and all(self.strings)

    @property
    def reviewed(self) -> bool:
        return any(REVIEWED_COMMENT.match(c) for c in self.comments)


def entries(code: str, path: Path | None = None) -> list[Entry]:
    """The entries of the catalogue of `code` (or of the .po at `path`)."""
    text = (path or po_path(code)).read_text(encoding="utf-8")
    # A freshly extracted catalogue has gettext's template header.
    text = text.replace("nplurals=INTEGER; plural=EXPRESSION;", "nplurals=2; plural=(n != 1);")
    catalog = read_po(io.StringIO(text))
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid, plural = (message.id if isinstance(message.id, tuple) else (message.id, None))[:2]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.append(Entry(
            msgid=msgid, plural=plural, strings=tuple(s or "" for s in strings),
            locations=tuple(f"{path}:{line}" for path, line in message.locations),
            comments=tuple(message.user_comments), fuzzy=message.fuzzy,
            python_format="python-format" in message.flags))
    return found


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


def mismatch(entry: Entry) -> str | None:
    """What a translation's placeholders or tags do wrong, or None.

    A singular entry keeps exactly the English placeholders. A plural form may
    leave out the number it is chosen by (one form often says "one" in words)
    but adds none, and keeps the count of positional ones (%s, %d), which
    Python fills in order."""
    for index, string in enumerate(entry.strings):
        if not string:
            continue
        source = entry.msgid if index == 0 or entry.plural is None else entry.plural
        wanted, got = placeholders(source), placeholders(string)
        if entry.plural is None:
            if wanted != got:
                return f"placeholders: the English has {wanted}, the translation {got}"
        else:
            allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.plural))
            extra = sorted(set(got) - allowed)
            positional = [p for p in wanted if not p.startswith(("%(", "{"))]
            if extra:
                return f"placeholders: form {index} adds {extra}"
            if len([p for p in got if not p.startswith(("%(", "{"))]) != len(positional):
                return f"placeholders: form {index} changes the positional ones {positional}"
        if tags(source) != tags(string):
            return f"markup: the English has tags {tags(source)}, the translation {tags(string)}"
    return None
