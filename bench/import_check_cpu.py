"""CPU a checking worker of the import spends per row, measured in one process.

Checks and formats the first N rows of a bench CSV as a worker does
(workers._check: the row checks, places, references, clocks, binary COPY data),
against the database bench/import.py leaves (the demo municipality), and prints the
CPU per row; `--warm` checks every row once before measuring (the due-instant memo
then holds their dates); `--profile` adds cProfile's table (which about doubles the
cost of call-heavy code).

Usage: .venv/bin/python bench/import_check_cpu.py var/bench-import-50000-2026.csv
       [--rows 20000] [--warm] [--profile]
"""

import argparse
import cProfile
import io
import os
import pstats
import time

from _setup import PG_SERVER


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"{PG_SERVER}/imbizo_import_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from imbizo.cases.bulk_import import read, workers
    from imbizo.cases.bulk_import.check import Checker
    from imbizo.cases.bulk_import.due import HistoryClocks
    from imbizo.cases.models import Case, CaseEvent
    from imbizo.core import clock
    from imbizo.core.bulk import BinaryRows

    with open(args.csv, "rb") as file:
        head = b"".join(file.readline() for _n in range(args.rows + 1))
    records = read.Records(io.BytesIO(head), "utf-8-sig")
    now = clock.now()
    checker = Checker(read.header_columns(records.header()), now=now)
    history = HistoryClocks(now=now)
    case_rows = BinaryRows(Case, now=now, with_pk=True, last=("reference",))
    event_rows = BinaryRows(CaseEvent, now=now)
    checker.warm()
    batches = list(records.batches(2000))
    ids = iter(range(10**9, 2 * 10**9))  # never written

    def check_all() -> int:
        count = 0
        for batch in batches:
            result = workers._check(batch, [next(ids) for _ in batch], checker, history,
                                    case_rows, event_rows, 20)
            if result.row_errors or result.later_errors:
                raise SystemExit(f"the file has errors: {result.row_errors[:3]}")
            count += result.count
        return count

    if args.warm:
        check_all()
        history.memo.computed = 0
    profile = cProfile.Profile() if args.profile else None
    cpu = time.process_time()
    if profile:
        profile.enable()
    count = check_all()
    if profile:
        profile.disable()
    cpu = time.process_time() - cpu
    print(f"checked and formatted {count:,} rows{' (warm)' if args.warm else ''}: {cpu:.2f} s "
          f"of CPU, {cpu / count * 1e6:.1f} us a row; due instants computed "
          f"{history.memo.computed:,}")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(35)


if __name__ == "__main__":
    main()
