"""Rollup rebuild benchmark: the full rebuild of the dashboard rollups on PostgreSQL.

Builds (or reuses) a database with the demo municipality, CASES historical
cases from the demo generator and their ratings (bench/dashboards.py's build;
contacts are not read by the rebuild, so CONTACTS defaults to none), then
times `insights.rollups.rollups_rebuild`. With --old REF it first times the
rebuild as it was at git REF (its rollups.py loaded beside the current one),
on the same data, and checks both leave the same rollups.

Usage: .venv/bin/python bench/rebuild.py [--cases 2000000] [--contacts 0] [--old main]
                                         [--build-only]
Ends with: rebuild: C cases, K contacts, old X s, new Y s
"""

import argparse
import hashlib
import importlib.util
import logging
import os
import subprocess
import sys
import tempfile
import time

from _setup import ROOT, database_kept, django_start, machine, postgres_reachable

DB = os.environ.get("REBUILD_DB", "imbizo_rebuild_bench")


def old_rebuild(ref: str):
    """`rollups_rebuild` as it was at git `ref`, loaded as a module of insights."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:imbizo/insights/rollups.py"],
                            check=True, capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location("imbizo.insights.rollups_at_ref", file.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.unlink(file.name)
    return module.rollups_rebuild


def rollups_digest() -> str:
    """A digest of every rollup table's rows, to check two rebuilds agree."""
    from django.db import connection

    from imbizo.insights.rollups import ROLLUPS

    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for model in ROLLUPS:
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(f.column)
                                for f in model._meta.concrete_fields if not f.primary_key)
            # Names from model metadata, quoted.
            cursor.execute(f"SELECT md5(string_agg(row_text, ',' ORDER BY row_text)) FROM "  # noqa: S608
                           f"(SELECT ROW({columns})::text AS row_text FROM {table}) AS rows")
            digest.update(f"{model._meta.db_table}:{cursor.fetchone()[0]}".encode())
    return digest.hexdigest()


def timed(rebuild) -> float:
    started = time.monotonic()
    rows = rebuild()
    elapsed = time.monotonic() - started
    print(f"  {elapsed:.1f} s: " + ", ".join(f"{n:,} {name}" for name, n in rows.items()),
          flush=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--contacts", type=int, default=0)
    parser.add_argument("--old", metavar="REF", help="Also time the rebuild at git REF.")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    if not postgres_reachable():
        sys.exit("bench-rebuild needs PostgreSQL (PG_BENCH_SERVER)")
    django_start(database_kept(DB))
    from dashboards import build

    from imbizo.cases.models import Case, CaseEvent
    from imbizo.engagement.models import Answer, Contact
    from imbizo.insights.rollups import rollups_rebuild

    phases = logging.getLogger("imbizo.insights.rollups")
    phases.setLevel(logging.INFO)
    phases.addHandler(logging.StreamHandler(sys.stdout))
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.1f}", flush=True)
    build(args.cases, args.contacts)
    counts = (Case.objects.count(), CaseEvent.objects.count(), Answer.objects.count(),
              Contact.objects.count())
    print("data: {:,} cases, {:,} events, {:,} answers, {:,} contacts".format(*counts),
          flush=True)
    if args.build_only:
        return
    old = "-"
    if args.old:
        print(f"rebuild at {args.old}:", flush=True)
        old = f"{timed(old_rebuild(args.old)):.1f}"
        before = rollups_digest()
    print("rebuild now:", flush=True)
    new = timed(rollups_rebuild)
    if args.old:
        same = rollups_digest() == before
        print(f"  same rollups as at {args.old}: {'yes' if same else 'NO'}", flush=True)
    print(f"load after: {os.getloadavg()[0]:.1f}")
    print(f"rebuild: {counts[0]:,} cases, {counts[3]:,} contacts, old {old} s, new {new:.1f} s")


if __name__ == "__main__":
    main()
