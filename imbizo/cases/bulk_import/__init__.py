"""Import historical cases from a CSV file (`imbizo import-cases FILE.csv`).

Three steps, a batch of rows at a time: read (read.py: the file as a stream,
its header, records with their row numbers), check (check.py: each row with
cases.rules, the rules intake checks too, then wards, routing and references
for the batch; due.py: the clocks) and write (write.py: COPY through
core.bulk). Everything goes in one transaction, so a file with any bad row
writes nothing. Errors name the row (the header is row 1, as in a
spreadsheet) and the column, and say what is wrong; checking goes on past
the first error to report several at once, up to a limit.

Imported cases are history: they keep their status and timestamps, get the
due instants the standard in force when they opened promised, deadlines
already past recorded as missed, and an opening CaseEvent. Nothing is sent:
no acknowledgement, no apology, no survey, no signal to other apps (ADR
0012). Open cases keep running clocks for what still lies ahead, so the
sweep warns and escalates them from now on like any other case.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import ngettext

from imbizo.core import clock

from .check import Checker
from .due import HistoryClocks
from .problems import ImportRejected, RowError
from .read import Records, header_columns
from .write import cases_write

__all__ = ["BATCH_SIZE", "DEFAULT_ENCODING", "MAX_ERRORS", "ImportRejected", "ImportSummary",
           "RowError", "cases_import"]

DEFAULT_ENCODING = "utf-8-sig"  # UTF-8, with or without the byte-order mark Excel writes
MAX_ERRORS = 20
BATCH_SIZE = 2_000

Progress = Callable[[int, int, int], None]  # rows read, bytes read, bytes in the file (0: unknown)


@dataclass(frozen=True)
class ImportSummary:
    cases: int
    dry_run: bool = False

    def __str__(self) -> str:
        if self.dry_run:
            return ngettext("Checked %(n)s case; all are fine. Nothing was written (dry run).",
                            "Checked %(n)s cases; all are fine. Nothing was written (dry run).",
                            self.cases) % {"n": f"{self.cases:,}"}
        return ngettext("Imported %(n)s case.", "Imported %(n)s cases.",
                        self.cases) % {"n": f"{self.cases:,}"}


def cases_import(
    *, file: BinaryIO, encoding: str = DEFAULT_ENCODING, max_errors: int = MAX_ERRORS,
    batch_size: int = BATCH_SIZE, dry_run: bool = False, progress: Progress | None = None,
) -> ImportSummary:
    """Import every case in the CSV `file` (binary, read once, front to back), or none.

    Raises ImportRejected naming up to `max_errors` problems. With `dry_run`
    everything is checked, database included, and nothing is kept.
    """
    records = Records(file, encoding)
    try:
        return _import(records, max_errors=max_errors, batch_size=batch_size, dry_run=dry_run,
                       progress=progress)
    finally:
        records.close()


def _import(records: Records, *, max_errors, batch_size, dry_run, progress) -> ImportSummary:
    now = clock.now()
    checker = Checker(header_columns(records.header()), now=now)
    history = HistoryClocks(now=now)
    errors: list[RowError] = []
    imported = 0
    with transaction.atomic():
        for batch in records.batches(batch_size):
            cases = checker.batch(batch, errors, max_errors=max_errors)
            del batch  # memory stays flat: one batch at a time
            if not errors:
                for case in cases:
                    history.fill(case)
                cases_write(cases)
                imported += len(cases)
            del cases
            if progress:
                progress(records.row - 1, records.position(), records.size)
            if len(errors) >= max_errors:
                raise ImportRejected(errors[:max_errors], stopped_early=True)
        if records.problem is not None:
            errors.append(records.problem)
        if errors:
            raise ImportRejected(errors)
        if dry_run:
            transaction.set_rollback(True)
    return ImportSummary(cases=imported, dry_run=dry_run)
