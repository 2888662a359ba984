"""A progress bar for long imports, shown only when the output is a terminal."""

from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


@contextmanager
def progress_bar(stream, label: str):
    """Yield a `progress(done, total)` callback drawing on `stream` when it is a terminal."""
    if not getattr(stream, "isatty", lambda: False)():
        yield None
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
