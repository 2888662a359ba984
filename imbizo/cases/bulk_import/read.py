"""Reading a case file: CSV records with their row numbers, a batch at a time, and the
header's columns (cases.bulk_columns)."""

import csv
import io
import os
from collections.abc import Iterator
from difflib import get_close_matches
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imbizo.cases.bulk_columns import COLUMNS, COMPUTED, REQUIRED

from .problems import ImportRejected, RowError

Batch = list[tuple[int, list[str]]]  # (row number, cells), the header being row 1


class Records:
    """The file's CSV records with their row numbers; a decoding or CSV syntax error
    ends the records and is kept in `problem`."""

    def __init__(self, file: BinaryIO, encoding: str):
        self.raw = file
        self.size = _size_of(file)
        try:
            self.text = io.TextIOWrapper(file, encoding=encoding, newline="")
        except LookupError as exc:
            raise ImportRejected([RowError(None, None, _("Unknown encoding '%(e)s'.")
                                           % {"e": encoding})]) from exc
        self.reader = csv.reader(self.text, strict=True)
        self.row = 0
        self.problem: RowError | None = None

    def position(self) -> int:
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    def header(self) -> list[str]:
        try:
            cells = next(self._rows(), None)
        finally:
            if self.problem is not None:
                raise ImportRejected([self.problem])
        if cells is None or not any(c.strip() for c in cells):
            raise ImportRejected([RowError(None, None, _(
                "The file is empty: the first row must name the columns, such as %(columns)s.")
                % {"columns": ", ".join(REQUIRED)})])
        return cells

    def _rows(self) -> Iterator[list[str]]:
        while True:
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.problem = RowError(self.row + 1, None, _(
                    "the file cannot be read as CSV here (%(reason)s); check the quotes in "
                    "this row and the one before it.") % {"reason": exc})
                return
            except UnicodeDecodeError as exc:
                self.problem = RowError(self.row + 1, None, _(
                    "the file is not %(encoding)s text around byte %(byte)d; save it as "
                    "'CSV UTF-8' or give its encoding with --encoding.")
                    % {"encoding": self.text.encoding, "byte": self.position() - len(exc.object)
                       + exc.start})
                return
            self.row += 1
            yield cells

    def batches(self, size: int) -> Iterator[Batch]:
        batch: Batch = []
        for cells in self._rows():
            if len(cells) == 1 and not cells[0].strip() or not cells:
                continue  # a blank line
            batch.append((self.row, cells))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def close(self) -> None:
        """Stop reading; the caller's file stays open: it is the caller's to close."""
        self.text.detach()


def _size_of(file: BinaryIO) -> int:
    try:
        return os.fstat(file.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        pass
    try:
        here = file.tell()
        size = file.seek(0, io.SEEK_END)
        file.seek(here)
        return size
    except (OSError, AttributeError, io.UnsupportedOperation):
        return 0


def header_columns(cells: list[str]) -> list[str]:
    """Each header position's column name ("" for a computed column, which the import
    ignores); ImportRejected naming every problem with the header."""
    names = [c.strip().lower() for c in cells]
    known = set(COLUMNS) | set(COMPUTED)
    problems = []
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(RowError(1, None, _("column %(n)d has no name.") % {"n": position}))
        elif name in seen:
            problems.append(RowError(1, name, _("this column appears twice.")))
        elif name not in known:
            close = get_close_matches(name, COLUMNS, n=1)
            hint = _(" Did you mean '%(name)s'?") % {"name": close[0]} if close else ""
            problems.append(RowError(1, name, _(
                "there is no such column.%(hint)s The columns are listed in docs/import-export.md.")
                % {"hint": hint}))
        seen.setdefault(name, position - 1)
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        problems.append(RowError(1, None, ngettext(
            "the header lacks the required column %(names)s.",
            "the header lacks the required columns %(names)s.", len(missing))
            % {"names": ", ".join(missing)}))
    if ("lat" in seen) != ("lon" in seen):
        problems.append(RowError(1, "lon" if "lat" in seen else "lat", _(
            "give both lat and lon columns, or neither.")))
    if problems:
        raise ImportRejected(problems)
    columns = [""] * len(cells)
    for name, position in seen.items():
        if name in COLUMNS:
            columns[position] = name
    return columns
