"""Import historical cases from a CSV file (`imbizo import-cases FILE.csv`).

Three steps, a batch of rows at a time: read (read.py: the file as a stream,
its header, records with their row numbers), check (check.py: each row with
cases.rules, the rules intake checks too, then wards, routing and references
for the batch; due.py: the clocks) and write (write.py: COPY through
core.bulk). A large file on PostgreSQL is checked in worker processes while
the database writes the batches before (workers.py). Everything goes in one
transaction, so a file with any bad row writes nothing. Errors name the row (the header is row 1, as in a
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
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import ngettext

from imbizo.core import clock

from .check import Checker
from .due import HistoryClocks
from .phases import Phases
from .problems import ImportRejected, RowError
from .read import Records, header_columns
from .workers import CheckPool, checked_write, workers_usable
from .write import cases_write, foreign_keys_at_once

__all__ = ["BATCH_SIZE", "DEFAULT_ENCODING", "MAX_ERRORS", "WORKERS", "ImportRejected",
           "ImportSummary", "RowError", "cases_import"]

DEFAULT_ENCODING = "utf-8-sig"  # UTF-8, with or without the byte-order mark Excel writes
MAX_ERRORS = 20
BATCH_SIZE = 2_000
WORKERS = 2  # checking processes for a large file: this machine's two cores (bench-import)
WORKERS_FROM_BYTES = 4 * 2**20  # about 12,000 rows: below, forking costs more than it saves

Progress = Callable[[int, int, int], None]  # rows read, bytes read, bytes in the file (0: unknown)


@dataclass(frozen=True)
class ImportSummary:
    cases: int
    dry_run: bool = False
    # Where the wall time went, in seconds by phase (Phases: read, check, references,
    # write, commit); with workers, check is the time spent waiting for them.
    seconds: dict[str, float] = field(default_factory=dict, compare=False)

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
    workers: int | None = None,
) -> ImportSummary:
    """Import every case in the CSV `file` (binary, read once, front to back), or none.

    Raises ImportRejected naming up to `max_errors` problems. With `dry_run`
    everything is checked, database included, and nothing is kept. `workers`:
    how many processes check the rows (0: this one); by default WORKERS for a
    file of WORKERS_FROM_BYTES or more where workers can be used (workers.py).
    """
    records = Records(file, encoding)
    if workers is None:
        workers = WORKERS if records.size >= WORKERS_FROM_BYTES else 0
    try:
        if workers and workers_usable():
            return _import_in_workers(records, workers=workers, max_errors=max_errors,
                                      batch_size=batch_size, dry_run=dry_run, progress=progress)
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
    phases = Phases()
    with phases.commit(), transaction.atomic():
        for batch in phases.timed(records.batches(batch_size), "read"):
            with phases("check"):
                cases = checker.batch(batch, errors, max_errors=max_errors)
            del batch  # memory stays flat: one batch at a time
            if not errors:
                with phases("check"):
                    for case in cases:
                        history.fill(case)
                with phases("write"):
                    cases_write(cases)
                imported += len(cases)
            del cases
            if progress:
                progress(records.row - 1, records.position(), records.size)
            if len(errors) >= max_errors:
                raise ImportRejected(errors[:max_errors], stopped_early=True)
        _finish(records, errors, dry_run=dry_run)
        phases.commit_starts()
    return ImportSummary(cases=imported, dry_run=dry_run, seconds=phases.seconds)


def _import_in_workers(records: Records, *, workers, max_errors, batch_size, dry_run,
                       progress) -> ImportSummary:
    """As _import, the rows checked and formatted by `workers` processes (workers.py)."""
    now = clock.now()
    checker = Checker(header_columns(records.header()), now=now)
    history = HistoryClocks(now=now)
    errors: list[RowError] = []
    imported = 0
    phases = Phases()
    with phases.commit(), transaction.atomic():
        foreign_keys_at_once()
        pool = CheckPool(checker, history, size=workers, max_errors=max_errors, now=now)
        try:
            batches = phases.timed(records.batches(batch_size), "read")
            for result in pool.checked(batches, phases):
                errors.extend(result.row_errors)
                if len(errors) < max_errors:
                    errors.extend(result.later_errors)
                    imported += checked_write(result, errors, checker.rng, pool, phases)
                if progress:  # the rows of this batch, not those read ahead for the workers
                    progress(result.last_row - 1, records.position(), records.size)
                del result
                if len(errors) >= max_errors:
                    raise ImportRejected(errors[:max_errors], stopped_early=True)
        finally:
            pool.close()
        _finish(records, errors, dry_run=dry_run)
        phases.commit_starts()
    return ImportSummary(cases=imported, dry_run=dry_run, seconds=phases.seconds)


def _finish(records: Records, errors: list[RowError], *, dry_run: bool) -> None:
    """Inside the import's transaction, once every row is read: reject or keep."""
    if records.problem is not None:
        errors.append(records.problem)
    if errors:
        raise ImportRejected(errors)
    if dry_run:
        transaction.set_rollback(True)
