"""Case import benchmark.

Builds the demo municipality (no history) in a database of its own,
writes a CSV of N historical cases shaped like the demo's history (the same
services, wards, channels, statuses, names and phone numbers), and imports
it with `cases_import` in a fresh process, sampling its memory as it goes.
In the same run it measures the raw COPY ceiling: the very rows the import
wrote, copied out and COPYed back into empty copies of the case and event
tables (same columns, indexes and foreign keys), with no reading of CSV and
no checking (binary COPY, as the import); and, for comparison, into bare
copies (no indexes, no foreign keys).

Usage: .venv/bin/python bench/import.py [--rows 1000000] [--seed 2026] [--workers N]
Ends with:  import: N rows, R rows/s, copy ceiling C rows/s, peak memory M MiB
"""

import argparse
import csv
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from _setup import ROOT, database_fresh, django_start, machine

DB_NAME = "imbizo_bench_import"


def csv_path(rows: int, seed: int) -> Path:
    return ROOT / "var" / f"bench-import-{rows}-{seed}.csv"


def generate(path: Path, rows: int, seed: int) -> None:
    """Write `rows` cases shaped by the demo's history generator (imbizo.demo.history)."""
    from imbizo.cases.bulk_columns import COLUMNS
    from imbizo.cases.models import EscalationStep
    from imbizo.cases.routing import route
    from imbizo.cases.services import calendar
    from imbizo.catalogue.snapshot import catalogue_snapshot
    from imbizo.demo import history
    from imbizo.geo.selectors import ward_ids_at_many

    rng = random.Random(f"{seed}:bench-import")
    plan = history._weights(rng)
    snapshot = catalogue_snapshot()
    cal = calendar()
    ladder = list(EscalationStep.objects.order_by("level"))
    until = (datetime.datetime.now(cal.tz) - datetime.timedelta(days=1)).replace(microsecond=0)
    start = (until - datetime.timedelta(days=30 * 18)).replace(hour=0, minute=0, second=0)
    days = (until - start).days
    ward_code = {w.pk: w.code for w in plan.wards}
    service_code = {s.pk: s.code for s in plan.services}
    stamps = ("opened_at", "acknowledged_at", "assigned_at", "started_at", "waiting_since",
              "resolved_at", "closed_at", "reopened_at")
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        chunk = []
        for n in range(rows):
            service = rng.choices(plan.services, weights=plan.service_weights)[0]
            ward = rng.choices(plan.wards, weights=plan.ward_weights)[0]
            opened = history._opened_at(rng, start, days, service.group in history.SUMMER_GROUPS)
            if opened >= until:
                opened = until - datetime.timedelta(minutes=rng.randrange(1, 600))
            standard = snapshot.standard_in_force(service.pk, opened.date())
            office = route(service_id=service.pk, ward_id=ward.pk)
            row = history._case_row(rng, plan, n + 1, service, ward, office, opened, standard,
                                    cal, ladder, until, [])
            line = {name: row[name].isoformat() for name in stamps if row.get(name)}
            line.update(
                service_code=service_code[row["service_id"]], kind=row["kind"],
                channel=row["channel"], status=row.get("status", "received"), priority=row["priority"],
                description=row["description"], address=row["address"],
                lat=f"{row['lat']:.6f}", lon=f"{row['lon']:.6f}",
                ward_code=ward_code[row["ward_id"]], citizen_name=row["citizen_name"],
                citizen_phone=row["citizen_phone"], citizen_email=row["citizen_email"],
                contact_consent="yes" if row["contact_consent"] else "no",
                anonymous="yes" if row["anonymous"] else "no",
                outcome=row.get("outcome", ""), outcome_reason=row.get("outcome_reason", ""),
                referred_to=row.get("referred_to", ""), root_cause=row.get("root_cause", ""),
            )
            chunk.append(line)
            if len(chunk) == 10_000 or n == rows - 1:
                # Half the rows give only their point, which the import places in a ward.
                points = [(float(r["lat"]), float(r["lon"])) for r in chunk[::2]]
                for line, ward_id in zip(chunk[::2], ward_ids_at_many(points), strict=True):
                    if ward_id is not None:
                        line["ward_code"] = ""
                writer.writerows(chunk)
                chunk = []
    tmp.rename(path)


def rss_mib(field: str = "VmRSS") -> float:
    """This process's resident memory now (VmRSS) or at its highest (VmHWM), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_reset() -> None:
    """Start the high-water mark of resident memory afresh (Linux: clear_refs 5)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def run_import(path: Path, workers: int | None) -> dict:
    """In a fresh process: the import, its memory over time, then the COPY ceiling."""
    from django.db import connection

    from imbizo.cases.bulk_import import cases_import
    from imbizo.cases.models import Case

    first_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    samples: list[tuple[int, float]] = []
    next_sample = [0.0]

    def progress(rows: int, done: int, total: int) -> None:
        share = done / total if total else 0
        if share >= next_sample[0]:
            samples.append((rows, round(rss_mib(), 1)))
            next_sample[0] += 0.1

    before = rss_mib()
    peak_reset()  # the import's own peak, not that of starting Django
    started = time.perf_counter()
    cpu = time.process_time()
    with path.open("rb") as file:
        summary = cases_import(file=file, progress=progress, workers=workers)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    workers_cpu = sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f)
                      for f in ("ru_utime", "ru_stime"))
    peak = rss_mib("VmHWM")
    ceiling = copy_ceiling(first_id) if connection.vendor == "postgresql" else None
    return {"rows": summary.cases, "seconds": seconds, "cpu": cpu, "peak_mib": peak,
            "workers_cpu": workers_cpu, "phases": dict(summary.seconds),
            "start_mib": before,
            "samples": samples, **(ceiling or {})}


def copy_ceiling(first_id: int) -> dict:
    """COPY the imported rows, as stored, into empty copies of their tables; time that.

    Then the same into bare copies (no indexes, no foreign keys), to show what the
    schema itself costs; that figure is printed, not the ceiling.
    """
    from django.db import connection

    from imbizo.cases.models import Case, CaseEvent
    from imbizo.core.bulk import copy_columns

    spool = ROOT / "var"
    plans = []
    with connection.cursor() as cursor:
        for model, with_pk, key in ((Case, True, "id"), (CaseEvent, False, "case_id")):
            table = model._meta.db_table
            columns = copy_columns(model, with_pk=with_pk)
            path = spool / f"bench-import-{table}.copy"
            # Names come from model metadata, the id from the database.
            out_sql = f"COPY (SELECT {columns} FROM {table} WHERE {key} >= {first_id} ORDER BY id) TO STDOUT (FORMAT BINARY)"  # noqa: S608, E501
            with path.open("wb") as out, cursor.cursor.copy(out_sql) as copy:
                for data in copy:
                    out.write(data)
            plans.append((model, columns, path))
    try:
        seconds, copied = _copy_timed(plans, bare=False)
        bare_seconds, _ = _copy_timed(plans, bare=True)
    finally:
        for _model, _columns, path in plans:
            path.unlink()
    return {"ceiling_rows": copied, "ceiling_seconds": seconds, "bare_seconds": bare_seconds}


def _copy_timed(plans, *, bare: bool) -> tuple[float, int]:
    """Seconds to COPY the spooled rows into fresh copies of their tables in one
    transaction, commit (and so the deferred foreign key checks) included."""
    from django.db import connection, transaction

    from imbizo.cases.models import Case

    cases = Case._meta.db_table
    with connection.cursor() as cursor:
        for model, _columns, _path in reversed(plans):
            cursor.execute(f"DROP TABLE IF EXISTS bench_{model._meta.db_table}")
        for model, _columns, _path in plans:
            table = model._meta.db_table
            like = ("INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY" if bare
                    else "INCLUDING ALL")
            cursor.execute(f"CREATE TABLE bench_{table} (LIKE {table} {like})")
            if bare:
                continue
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
            for name, definition in cursor.fetchall():
                # Keys to the case table point at its copy (the events' case_id, parent_id),
                # as the import's point at the table it fills.
                definition = definition.replace(f"REFERENCES {cases}(",
                                                f"REFERENCES bench_{cases}(")
                cursor.execute(f"ALTER TABLE bench_{table} ADD CONSTRAINT bench_{name} {definition}")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for model, columns, path in plans:
            sql = f"COPY bench_{model._meta.db_table} ({columns}) FROM STDIN (FORMAT BINARY)"
            with path.open("rb") as data, cursor.cursor.copy(sql) as copy:
                while block := data.read(1 << 20):
                    copy.write(block)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM bench_{cases}")  # noqa: S608
        copied = cursor.fetchone()[0]
        for model, _columns, _path in reversed(plans):
            cursor.execute(f"DROP TABLE bench_{model._meta.db_table}")
    return seconds, copied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=None,
                        help="checking processes (default: the import's own choice)")
    parser.add_argument("--import-only", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_only:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        os.environ.setdefault("DEBUG", "false")
        django.setup()  # the parent migrated the database
        print(json.dumps(run_import(Path(args.import_only), args.workers)))
        return

    url = database_fresh(DB_NAME)
    vendor = django_start(url)
    print(f"database: {vendor}; machine: {machine()}; load: {os.getloadavg()[0]:.2f}")
    from imbizo.demo.municipality import demo_build

    demo_build(seed=args.seed)
    path = csv_path(args.rows, args.seed)
    started = time.perf_counter()
    if not path.exists():
        generate(path, args.rows, args.seed)
        print(f"wrote {args.rows:,} rows ({path.stat().st_size / 2**20:.0f} MiB) in "
              f"{time.perf_counter() - started:.0f} s: {path}")
    else:
        print(f"reusing {path} ({path.stat().st_size / 2**20:.0f} MiB)")
    child = subprocess.run(
        [sys.executable, __file__, "--import-only", str(path)]
        + ([f"--workers={args.workers}"] if args.workers is not None else []), check=True,
        env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True,
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    rate = result["rows"] / result["seconds"]
    print(f"imported {result['rows']:,} cases in {result['seconds']:.1f} s "
          f"({result['cpu']:.0f} s of CPU in the importing process, {result['workers_cpu']:.0f} s "
          "in its checking workers); phases (wall, s): "
          + ", ".join(f"{name} {sec:.1f}" for name, sec in result["phases"].items()))
    print("memory "
          f"{result['start_mib']:.0f} MiB before, then "
          + ", ".join(f"{mib:.0f}" for _, mib in result["samples"]) + " MiB through the file")
    if "ceiling_seconds" in result:
        ceiling = result["ceiling_rows"] / result["ceiling_seconds"]
        print(f"COPY ceiling: {result['ceiling_rows']:,} cases and their events in "
              f"{result['ceiling_seconds']:.1f} s; into bare copies (no indexes, no foreign "
              f"keys) {result['bare_seconds']:.1f} s")
        ceiling_text = f"{ceiling:,.0f} rows/s"
    else:
        ceiling_text = "n/a (SQLite)"
    print(f"load after: {os.getloadavg()[0]:.2f}")
    print(f"import: {result['rows']} rows, {rate:,.0f} rows/s, copy ceiling {ceiling_text}, "
          f"peak memory {result['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
