"""`imbizo import-cases FILE.csv [--dry-run] [--encoding E] [--max-errors N]`."""

import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from imbizo.cases.bulk_import import (
    BATCH_SIZE,
    DEFAULT_ENCODING,
    MAX_ERRORS,
    WORKERS,
    ImportRejected,
    cases_import,
)
from imbizo.core.errors import DomainError


class Command(BaseCommand):
    help = ("Import historical cases from a CSV file (columns in docs/import-export.md), all or "
            "nothing. Imported cases keep their status and timestamps; nothing is sent to "
            "citizens.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv", help="the CSV file; - reads standard input")
        parser.add_argument("--dry-run", action="store_true",
                            help="check every row, against the database too, and write nothing")
        parser.add_argument("--encoding", default=DEFAULT_ENCODING,
                            help="the file's text encoding (default: UTF-8, with or without BOM)")
        parser.add_argument("--max-errors", type=int, default=MAX_ERRORS, metavar="N",
                            help=f"stop checking after N errors (default {MAX_ERRORS})")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                            help=f"rows checked and written together (default {BATCH_SIZE:,})")
        parser.add_argument("--workers", type=int, default=None, metavar="N",
                            help=f"processes that check the rows, 0 for none (default: {WORKERS} "
                                 "for a large file on PostgreSQL, else none)")

    def handle(self, *args, file: str, dry_run: bool, encoding: str, max_errors: int,
               batch_size: int, workers: int | None, **options) -> None:
        if max_errors < 1 or batch_size < 1:
            raise CommandError(_("--max-errors and --batch-size must be 1 or more."))
        if workers is not None and workers < 0:
            raise CommandError(_("--workers must be 0 or more."))
        started = time.monotonic()
        try:
            with _opened(file) as stream, _progress(self.stderr) as progress:
                summary = cases_import(file=stream, encoding=encoding, max_errors=max_errors,
                                       batch_size=batch_size, dry_run=dry_run, progress=progress,
                                       workers=workers)
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(_("Nothing was imported. %(reason)s") % {"reason": exc.message}) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            _("%(summary)s (%(seconds).1f s)") % {"summary": summary, "seconds": elapsed}))


@contextmanager
def _opened(name: str):
    if name == "-":
        yield sys.stdin.buffer
        return
    path = Path(name)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise CommandError(_("Cannot read %(file)s: %(reason)s")
                           % {"file": name, "reason": exc.strerror}) from exc
    with stream:
        yield stream


@contextmanager
def _progress(stream):
    """A progress bar through the file, on a terminal only."""
    if not getattr(stream, "isatty", lambda: False)():
        yield None
        return
    columns = (TextColumn(_("cases")), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rows]:,} " + _("rows")), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("import", total=None, rows=0)

        def advance(rows: int, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None, rows=rows)

        yield advance
