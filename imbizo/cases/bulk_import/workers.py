"""Checking a large file in worker processes while the database writes (PostgreSQL).

The import's own Python (checking each row, the due instants, formatting the rows
for COPY) and the database's work (the rows, their indexes and foreign keys) take
about as long as each other; in one process they take turns. Here the calling
process reads the file and hands out batches, with ids for their cases, to worker
processes forked from it; each worker checks its batches and formats their case
and event rows as binary COPY data (core.bulk.BinaryRows); the calling process
takes the results back in file order, settles the references against the
database and writes them, while the workers check the next batches. The foreign
keys are checked as each batch is written, not all at commit, so that work too
overlaps with the checking.

Workers are forked after the checker and the clocks are built, so they share their
maps and memos as they stood; whatever they still read from the database (routing
rules or the catalogue when their snapshot expires) they read through a connection
of their own, which sees committed data only. That is why the import uses workers
only when it is the outermost transaction: none of its own rows are ever needed by
a worker. Errors are the same, in the same order, as when checking in process.
"""

import contextlib
import multiprocessing
import os
import queue
import traceback
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection, connections

from imbizo.cases.models import Case, CaseEvent
from imbizo.core.bulk import BinaryRows, copy_send

from .check import Checker, references_taken_of
from .due import HistoryClocks
from .phases import Phases
from .problems import RowError
from .read import Batch
from .write import case_ids, opening_event

IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: one being checked, one waiting
# How much lower the workers' scheduling priority is than the importing process's (a
# nice increment). The database writes one batch after another in one session, so its
# backend and the importing process that feeds it are the import's critical path; with
# the workers at the same priority they took a share of the cores from that path while
# they still had batches in hand (docs/adr/0052-import-workers-yield.md).
WORKER_NICENESS = 10


@dataclass
class Checked:
    """One batch as a worker returns it: errors by kind, in the order the in-process
    import finds them, and the kept rows as binary COPY data (each case row ending
    with its reference)."""

    row_errors: list[RowError] = field(default_factory=list)
    later_errors: list[RowError] = field(default_factory=list)  # places, duplicate references
    references: dict[str, tuple[int, bool]] = field(default_factory=dict)  # ref: (row, given)
    cases: bytes | bytearray = b""
    events: bytes = b""
    count: int = 0
    last_row: int = 0


class WorkerFailed(RuntimeError):
    """A worker process raised; its traceback is the message."""


def workers_usable() -> bool:
    """Workers only on PostgreSQL, and only when the import's transaction is its own."""
    return (connection.vendor == "postgresql" and not connection.in_atomic_block
            and "fork" in multiprocessing.get_all_start_methods())


class CheckPool:
    """`size` forked worker processes checking and formatting batches, results in order."""

    def __init__(self, checker: Checker, history: HistoryClocks, *, size: int, max_errors: int,
                 now):
        self.case_rows = BinaryRows(Case, now=now, with_pk=True, last=("reference",))
        self.event_rows = BinaryRows(CaseEvent, now=now)
        checker.warm()
        context = multiprocessing.get_context("fork")
        # Batches go out through queues (a thread of the queue's sends them, so handing
        # out never waits) and results come back through pipes: were both pipes, a
        # worker sending a result and this process sending it a batch would each wait
        # for the other to read.
        self.jobs = []
        self.results = []
        self.processes = []
        self._batches: Iterator[Batch] | None = None  # what `checked` hands out
        self._read: deque = deque()  # a batch read ahead (None: the end of the file)
        for _n in range(size):
            jobs = context.Queue()
            ours, theirs = context.Pipe(duplex=False)
            process = context.Process(
                target=_serve, args=(jobs, theirs, checker, history, self.case_rows,
                                     self.event_rows, max_errors), daemon=True)
            process.start()
            theirs.close()
            self.jobs.append(jobs)
            self.results.append(ours)
            self.processes.append(process)

    def checked(self, batches: Iterator[Batch], phases: Phases) -> Iterator[Checked]:
        """Each batch checked, in file order; a few batches are in the workers at once."""
        waiting: deque = deque()
        turn = 0
        self._batches = batches

        def hand_out() -> bool:
            nonlocal turn
            batch = self._read.popleft() if self._read else next(batches, None)
            if batch is None:
                return False
            worker = turn % len(self.processes)
            with phases("references"):
                ids = case_ids(len(batch))
            self.jobs[worker].put((batch, ids))
            waiting.append(self.results[worker])
            turn += 1
            return True

        for _n in range(IN_FLIGHT_PER_WORKER * len(self.processes)):
            if not hand_out():
                break
        while waiting:
            with phases("check"):
                result = waiting.popleft().recv()
            if isinstance(result, str):
                raise WorkerFailed(result)
            hand_out()
            yield result

    def read_ahead(self) -> None:
        """Read the batch to hand out next now, while the database writes the one before
        (`copy_send`'s `meanwhile`): reading the file needs no database, and the
        database session would otherwise wait while this process reads."""
        if self._batches is not None and not self._read:
            self._read.append(next(self._batches, None))

    def close(self) -> None:
        for jobs in self.jobs:
            with contextlib.suppress(OSError, ValueError):  # already gone
                jobs.put(None)
        for process in self.processes:
            process.join(timeout=1)  # idle workers end at once
            if process.is_alive():  # stopped early: still checking batches no one will read
                process.terminate()
                process.join()
        for jobs in self.jobs:
            jobs.cancel_join_thread()  # batches not yet taken are not needed
            jobs.close()
        for pipe in self.results:
            pipe.close()


def checked_write(result: Checked, errors: list[RowError], rng, pool: CheckPool,
                  phases: Phases) -> int:
    """Settle a checked batch's references against the database, then, if the file has
    no errors so far, write its rows. Returns how many cases were written."""
    with phases("references"):
        replaced = references_taken_of(result.references, errors, rng)
    if errors or not result.count:
        return 0
    for old, new in replaced.items():
        result.cases = pool.case_rows.last_replaced(result.cases, old, new)
    with phases("write"):  # the reading done meanwhile counts as read too
        copy_send(pool.case_rows.sql, result.cases, meanwhile=pool.read_ahead)
        copy_send(pool.event_rows.sql, result.events)
    return result.count


# --- in the worker process -------------------------------------------------------------


_INHERITED = []  # the parent's database connections, kept but never used nor closed


def _serve(jobs, pipe, checker: Checker, history: HistoryClocks, case_rows: BinaryRows,
           event_rows: BinaryRows, max_errors: int) -> None:
    _database_detach()
    with contextlib.suppress(OSError):  # a platform without it: the same priority
        os.nice(WORKER_NICENESS)
    parent = os.getppid()
    try:
        while (job := _next_job(jobs, parent)) is not None:
            batch, ids = job
            try:
                result = _check(batch, ids, checker, history, case_rows, event_rows, max_errors)
            except Exception:
                pipe.send(traceback.format_exc())
                return
            pipe.send(result)
    except (EOFError, BrokenPipeError):
        pass  # the parent went away
    finally:
        connections.close_all()  # this process's own connection, if it opened one


def _next_job(jobs, parent: int):
    """The next batch, or None when there are no more or the importing process is gone
    (killed: its end of the queue stays open in this process, so no end of file comes)."""
    while True:
        try:
            return jobs.get(timeout=5)
        except queue.Empty:
            if os.getppid() != parent:
                return None


def _database_detach() -> None:
    """Forget the parent's connection without closing it: closing would end the parent's
    session (the socket is shared). A query here opens a connection of this process."""
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is not None:
            _INHERITED.append(wrapper.connection)
            wrapper.connection = None


def _check(batch: Batch, ids: list[int], checker: Checker, history: HistoryClocks,
           case_rows: BinaryRows, event_rows: BinaryRows, max_errors: int) -> Checked:
    result = Checked(last_row=batch[-1][0])
    cases = checker.rows(batch, result.row_errors, max_errors=max_errors)
    if len(result.row_errors) >= max_errors:
        return result
    cases = checker.places(cases, result.later_errors)
    cases = checker.references_drawn(cases, result.later_errors)
    for case, case_id in zip(cases, ids, strict=False):
        history.fill(case)
        case["id"] = case_id
        result.references[case["reference"]] = (case["_row"], "_given" in case)
    if cases:
        result.cases = case_rows.formatted(cases)
        result.events = event_rows.formatted(opening_event(case) for case in cases)
    result.count = len(cases)
    return result
