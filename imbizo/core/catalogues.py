"""The translation catalogues: compiled for Django from their `.po` sources,
and what each says of its review.

The `.po` files under `imbizo/locale/<code>/LC_MESSAGES/` are the sources that
translators edit; the `.mo` files Django reads are built from them (never
committed). Babel compiles them in pure Python, so running Imbizo needs no
GNU gettext; only `make messages` (extracting new text) does.
"""

import functools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "django"

# The header line each catalogue carries: "draft" until a first-language
# translator has reviewed every citizen-facing entry, then "reviewed".
_REVIEW_HEADER = re.compile(r'^"X-Imbizo-Review: *([a-z]+)\\n"$', re.MULTILINE)
# The translator comment that marks one reviewed entry.
REVIEWED_COMMENT = re.compile(r"^reviewed: *(?P<who>[^,]+), *(?P<on>\d{4}-\d{2}-\d{2})\s*$")


def po_path(code: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_codes(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The language codes that have a catalogue, sorted."""
    return sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@dataclass(frozen=True)
class Compiled:
    code: str
    entries: int  # translated entries written to the .mo


def compile_catalogues(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Compiled]:
    """Compile every `.po` whose `.mo` is missing or older; returns what was
    compiled. Each `.mo` is written to a temporary file and renamed, so
    processes starting at the same time never read half a catalogue. Fuzzy
    entries are left out, as msgfmt does."""
    done = []
    for code in catalogue_codes(locale_dir):
        source = po_path(code, locale_dir)
        target = source.with_suffix(".mo")
        if not force and target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as f:
            catalog = read_po(f, locale=None, domain=DOMAIN)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".django-", suffix=".mo")
        try:
            with os.fdopen(handle, "wb") as out:
                write_mo(out, catalog, use_fuzzy=False)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        translated = sum(1 for m in catalog if m.id and m.string and not m.fuzzy
                         and (all(m.string) if isinstance(m.string, tuple) else True))
        done.append(Compiled(code=code, entries=translated))
    return done


def review_state(code: str, locale_dir: Path = LOCALE_DIR) -> str:
    """"reviewed" or "draft" as the catalogue's header says; "draft" when it
    says nothing or there is no catalogue (English needs none: "reviewed")."""
    if code == "en":
        return "reviewed"
    path = po_path(code, locale_dir)
    if not path.exists():
        return "draft"
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    found = _REVIEW_HEADER.search(head)
    return found.group(1) if found and found.group(1) == "reviewed" else "draft"


@functools.lru_cache(maxsize=32)
def review_state_cached(code: str) -> str:
    """review_state, read once per process: catalogues change with a release."""
    return review_state(code)
