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
       [--worker-niceness N]
Ends with:  import: N rows, R rows/s, copy ceiling C rows/s, peak memory M MiB
"""

import argparse
import bisect
import csv
import datetime
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from _setup import ROOT, database_fresh, django_start, machine

DB_NAME = "imbizo_import_bench"


def csv_path(rows: int, seed: int) -> Path:
    return ROOT / "var" / f"bench-import-{rows}-{seed}.csv"


def generate(path: Path, rows: int, seed: int, *, parts: int = 2) -> None:
    """Write `rows` cases shaped by the demo's history generator (imbizo.demo.history):
    its services, wards, channels, kinds, priorities, names, descriptions, seasons,
    working-hours acknowledgements and on-time shares, drawn by CaseDraws.

    `parts` processes forked from this one each write a share of the rows to a file
    of their own, with a seed of their own; the parts are then joined in order.
    """
    from imbizo.cases.bulk_columns import COLUMNS

    draws = CaseDraws(seed)
    shares = [rows // parts + (1 if n < rows % parts else 0) for n in range(parts)]
    files = [path.with_suffix(f".part{n}") for n in range(parts)]
    children = []
    for n, (share, part) in enumerate(zip(shares, files, strict=True)):
        if n == parts - 1:
            break  # the last part is this process's own
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _database_forget()
                draws.write(part, share, part=n)
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    draws.write(files[-1], shares[-1], part=parts - 1)
    for pid in children:
        _pid, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"a part of the CSV failed (process {pid})")
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:
        out.write((",".join(COLUMNS) + "\r\n").encode())
        for part in files:
            with part.open("rb") as data:
                while block := data.read(1 << 24):
                    out.write(block)
            part.unlink()
    tmp.rename(path)


def _database_forget() -> None:
    """In a forked child: drop the parent's connection objects without closing them
    (closing would end the parent's session); a query opens one of the child's own."""
    from django.db import connections

    for alias in connections:
        connections[alias].connection = None


class CaseDraws:
    """Case rows as imbizo.demo.history draws them, for a CSV, cheaply.

    The same choices and shapes as history._case_row, but only what a case file holds
    (no events, no clocks beyond those that decide the timestamps), with the lookups
    made once: random choices drawn a block at a time, due instants through the
    import's own exact memo (cases.due_memo), routes, standards, promises and the
    month's noise per key, descriptions from a pool per service. About 20 times
    faster than calling _case_row; the file has the same columns, mix and shape.
    """

    BLOCK = 10_000

    def __init__(self, seed: int):
        from imbizo.cases.bulk_columns import COLUMNS, TIMESTAMPS
        from imbizo.cases.services import calendar
        from imbizo.catalogue.snapshot import catalogue_snapshot
        from imbizo.demo import history
        from imbizo.demo.names import FIRST_NAMES, LAST_NAMES, STREETS
        from imbizo.demo.triage_descriptions import describe
        from imbizo.geo.selectors import ward_ids_at_many

        rng = random.Random(f"{seed}:bench-import")
        self.seed = seed
        self.history = history
        self.plan = plan = history._weights(rng)
        self.snapshot = catalogue_snapshot()
        self.cal = calendar()
        self.resolve_due: dict = {}
        self.periods: dict = {}
        self.until = (datetime.datetime.now(self.cal.tz) - datetime.timedelta(days=1)).replace(
            microsecond=0)
        self.start = (self.until - datetime.timedelta(days=30 * 18)).replace(
            hour=0, minute=0, second=0)
        self.names = (FIRST_NAMES, LAST_NAMES, STREETS)
        # Descriptions: a pool per service, each drawn as the history draws one.
        pool_rng = random.Random(f"{seed}:bench-import:words")
        self.words = {s.pk: [describe(random.Random(pool_rng.random()), s.code, s.name)[0]
                             for _n in range(200)] for s in plan.services}
        # Opening days: the history's acceptance (summer storms, quieter weekends) as
        # weights, one table for the summer groups and one for the rest.
        days = (self.until - self.start).days
        self.days = []
        for summer in (False, True):
            weights = []
            for day in range(days):
                moment = self.start + datetime.timedelta(days=day)
                season = 1.6 if summer and moment.month in (11, 12, 1, 2, 3) else 1.0
                weights.append(season * (1.0 if moment.weekday() < 5 else 0.45))
            self.days.append(list(itertools.accumulate(weights)))
        self.hours = list(itertools.accumulate([1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 7, 8, 8,
                                                7, 6, 5, 4, 3, 3, 2, 2, 1]))
        self.routes: dict = {}
        self.standards: dict = {}
        self.promises: dict = {}
        self.noise: dict = {}
        self.ward_ids_at_many = ward_ids_at_many
        ward_ids_at_many([])  # the ward index, loaded once for the parts forked from here
        self.columns = COLUMNS
        self.stamps = [COLUMNS.index(name) for name in TIMESTAMPS]

    def write(self, path: Path, rows: int, *, part: int) -> None:
        rng = random.Random(f"{self.seed}:bench-import:{part}")
        ward_column = self.columns.index("ward_code")
        lat_column, lon_column = self.columns.index("lat"), self.columns.index("lon")
        with path.open("w", newline="", encoding="utf-8", buffering=1 << 22) as out:
            writer = csv.writer(out, lineterminator="\r\n")
            left = rows
            while left:
                count = min(self.BLOCK, left)
                block = self._block(rng, count)
                # Half the rows give only their point, which the import places in a ward.
                halves = block[::2]
                points = [(float(r[lat_column]), float(r[lon_column])) for r in halves]
                for line, ward_id in zip(halves, self.ward_ids_at_many(points), strict=True):
                    if ward_id is not None:
                        line[ward_column] = ""
                writer.writerows(block)
                left -= count

    def _block(self, rng: random.Random, count: int) -> list[list[str]]:
        history, plan = self.history, self.plan
        services = rng.choices(plan.services, weights=plan.service_weights, k=count)
        wards = rng.choices(plan.wards, weights=plan.ward_weights, k=count)
        kinds = rng.choices([k for k, _ in history.KINDS],
                            weights=[w for _, w in history.KINDS], k=count)
        channels = rng.choices([c for c, _ in history.CHANNELS],
                               weights=[w for _, w in history.CHANNELS], k=count)
        priorities = rng.choices(("low", "normal", "high", "urgent"), weights=(10, 75, 12, 3),
                                 k=count)
        firsts, lasts, streets = (rng.choices(names, k=count) for names in self.names)
        return [self._row(rng, *drawn) for drawn in zip(
            services, wards, kinds, channels, priorities, firsts, lasts, streets, strict=True)]

    def _row(self, rng, service, ward, kind, channel, priority, first, last, street) -> list:
        history, plan, until = self.history, self.plan, self.until
        opened = self._opened(rng, service.group in history.SUMMER_GROUPS)
        if opened >= until:
            opened = until - datetime.timedelta(minutes=rng.randrange(1, 600))
        anonymous = rng.random() < 0.12
        consent = not anonymous and rng.random() < 0.7
        description = rng.choice(self.words[service.pk])
        office = self._route(service, ward)
        row = {
            "service_code": service.code, "kind": kind, "channel": channel,
            "status": "received", "priority": priority, "description": description,
            "address": f"{rng.randint(1, 400)} {street}",
            "lat": f"{ward.centroid_lat + rng.uniform(-0.004, 0.004):.6f}",
            "lon": f"{ward.centroid_lon + rng.uniform(-0.004, 0.004):.6f}",
            "ward_code": ward.code,
            "citizen_name": "" if anonymous else f"{first} {last}",
            "citizen_phone": "" if anonymous else f"+2782{rng.randrange(10**7):07d}",
            "citizen_email": "" if anonymous or rng.random() < 0.5 else
            f"{first}.{last}{rng.randrange(100)}@example.org".lower().replace(" ", ""),
            "contact_consent": "yes" if consent else "no",
            "anonymous": "yes" if anonymous else "no",
            "opened_at": opened,
        }
        standard = self._standard(service, opened)
        if standard is None:
            return self._line(row)
        promise = self._promise(standard, priority)
        target = max((self._resolve_due(promise, opened) - opened).total_seconds(), 3600)
        performance = self._on_time_chance(service, standard, opened)
        if office and office.pk == plan.slow_office and opened.month in (5, 6, 7):
            performance -= 0.3
        on_time = rng.random() < performance
        share = rng.uniform(0.15, 0.95) if on_time else rng.uniform(1.05, 3.5)
        if promise.ack.unit.startswith("calendar"):
            acknowledged = opened + datetime.timedelta(minutes=rng.triangular(5, 150, 30))
        else:
            acknowledged = self._working_minutes_after(opened, int(rng.triangular(5, 900, 90)))
        resolved = opened + datetime.timedelta(seconds=target * share)
        acknowledged = min(acknowledged, resolved)
        officers = plan.officers.get(office.pk if office else None) or [None]
        assignee = rng.choice(officers)
        automatic = office is not None and office.auto_assign and assignee is not None
        if automatic:
            row.update(status="assigned", assigned_at=opened)
        if acknowledged < until and assignee:
            row["acknowledged_at"] = acknowledged
            if not automatic:
                row.update(status="assigned", assigned_at=acknowledged)
        if resolved < until:
            outcome = "fixed" if rng.random() < 0.88 else rng.choice(
                ("not_fixed", "referred", "withdrawn"))
            row.update(status="resolved", resolved_at=resolved, outcome=outcome,
                       outcome_reason="No budget this year" if outcome == "not_fixed" else "",
                       referred_to="Provincial roads department" if outcome == "referred"
                       else "",
                       root_cause=rng.choice(("Old infrastructure", "Storm damage", "Vandalism",
                                              "Wear and tear", "Third-party contractor")))
            closed = resolved + datetime.timedelta(days=rng.uniform(1, 6))
            if closed < until:
                if rng.random() < 0.04:
                    reopened = closed + datetime.timedelta(days=rng.uniform(0.5, 10))
                    if reopened < until:
                        row["reopened_at"] = reopened
                        again = self._resolve_due(promise, reopened)
                        fixed = reopened + (again - reopened) * rng.uniform(0.2, 0.9)
                        if fixed >= until:
                            row.update(status="reopened", outcome="", resolved_at=None)
                            return self._line(row)
                        row.update(resolved_at=fixed, outcome="fixed")
                        closed = fixed + datetime.timedelta(days=rng.uniform(1, 6))
                        if closed >= until:
                            return self._line(row)
                row.update(status="closed", closed_at=closed)
        return self._line(row)

    def _line(self, row: dict) -> list[str]:
        line = [row.get(name, "") for name in self.columns]
        for index in self.stamps:
            line[index] = line[index].isoformat() if line[index] else ""
        return line

    def _resolve_due(self, promise, start: datetime.datetime) -> datetime.datetime:
        """promise.resolve.due_from(cal, start); a target in working days falls due at the
        same instant from every start on one date (as cases.due_memo uses)."""
        target = promise.resolve
        if target.unit != "working_days" or target.amount < 1:
            return target.due_from(self.cal, start)
        key = (target, start.date())
        due = self.resolve_due.get(key)
        if due is None:
            due = self.resolve_due[key] = target.due_from(self.cal, start)
        return due

    def _working_minutes_after(self, start: datetime.datetime, minutes: int):
        """worktime.add_working_minutes(cal, start, minutes), each date's working periods
        read from the calendar once (the day before's too: a period may cross midnight)."""
        left = datetime.timedelta(minutes=minutes)
        day = start.date() - datetime.timedelta(days=1)
        while True:
            periods = self.periods.get(day)
            if periods is None:
                periods = self.periods[day] = self.cal.periods_on(day)
            for period_start, period_end in periods:
                if period_end <= start:
                    continue
                begin = max(period_start, start)
                if left <= period_end - begin:
                    return (begin + left).astimezone(self.cal.tz)
                left -= period_end - begin
            day += datetime.timedelta(days=1)

    def _opened(self, rng, summer: bool) -> datetime.datetime:
        days = self.days[summer]
        day = bisect.bisect_right(days, rng.random() * days[-1])
        hour = bisect.bisect_right(self.hours, rng.random() * self.hours[-1])
        moment = self.start + datetime.timedelta(days=day)
        return moment.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))

    def _route(self, service, ward):
        from imbizo.cases.routing import route

        key = (service.pk, ward.pk)
        if key not in self.routes:
            self.routes[key] = route(service_id=service.pk, ward_id=ward.pk)
        return self.routes[key]

    def _standard(self, service, opened):
        key = (service.pk, opened.date())
        if key not in self.standards:
            self.standards[key] = self.snapshot.standard_in_force(service.pk, key[1])
        return self.standards[key]

    def _promise(self, standard, priority):
        from imbizo.cases.services import promise_of

        key = (standard.pk, priority)
        if key not in self.promises:
            self.promises[key] = promise_of(standard, priority)
        return self.promises[key]

    def _on_time_chance(self, service, standard, opened) -> float:
        # history._on_time_chance with the history's start unset (as the bench's plan
        # has it): the target, the service's margin, and the month's noise.
        key = (service.pk, standard.pk, opened.year, opened.month)
        if key not in self.noise:
            self.noise[key] = self.history._on_time_chance(self.plan, service, standard, opened)
        return self.noise[key]


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


def backend_cpu() -> float | None:
    """CPU seconds this connection's PostgreSQL backend has used so far (read from /proc:
    the server runs on this machine), or None where that cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


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
    server_cpu = backend_cpu()
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
    if server_cpu is not None:
        server_cpu = backend_cpu() - server_cpu
    ceiling = copy_ceiling(first_id) if connection.vendor == "postgresql" else None
    return {"rows": summary.cases, "seconds": seconds, "cpu": cpu, "peak_mib": peak,
            "workers_cpu": workers_cpu, "phases": dict(summary.seconds), "server_cpu": server_cpu,
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
        server_cpu = backend_cpu()
        seconds, copied = _copy_timed(plans, bare=False)
        server_cpu = backend_cpu() - server_cpu if server_cpu is not None else None
        bare_seconds, _ = _copy_timed(plans, bare=True)
    finally:
        for _model, _columns, path in plans:
            path.unlink()
    return {"ceiling_rows": copied, "ceiling_seconds": seconds, "bare_seconds": bare_seconds,
            "ceiling_server_cpu": server_cpu}


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
    parser.add_argument("--worker-niceness", type=int, default=None,
                        help="how much lower the checking processes run (default: the import's)")
    parser.add_argument("--import-only", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_only:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        os.environ.setdefault("DEBUG", "false")
        django.setup()  # the parent migrated the database
        if args.worker_niceness is not None:
            from imbizo.cases.bulk_import import workers

            workers.WORKER_NICENESS = args.worker_niceness
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
        + ([f"--workers={args.workers}"] if args.workers is not None else [])
        + ([f"--worker-niceness={args.worker_niceness}"] if args.worker_niceness is not None
           else []), check=True,
        env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True,
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    rate = result["rows"] / result["seconds"]
    server = result["server_cpu"]
    print(f"imported {result['rows']:,} cases in {result['seconds']:.1f} s "
          f"({result['cpu']:.0f} s of CPU in the importing process, {result['workers_cpu']:.0f} s "
          "in its checking workers"
          + (f", {server:.0f} s in its database backend" if server is not None else "")
          + "); phases (wall, s): "
          + ", ".join(f"{name} {sec:.1f}" for name, sec in result["phases"].items()))
    print("memory "
          f"{result['start_mib']:.0f} MiB before, then "
          + ", ".join(f"{mib:.0f}" for _, mib in result["samples"]) + " MiB through the file")
    if "ceiling_seconds" in result:
        ceiling = result["ceiling_rows"] / result["ceiling_seconds"]
        server = result["ceiling_server_cpu"]
        print(f"COPY ceiling: {result['ceiling_rows']:,} cases and their events in "
              f"{result['ceiling_seconds']:.1f} s"
              + (f" ({server:.0f} s of CPU in the database backend)" if server is not None else "")
              + f"; into bare copies (no indexes, no foreign keys) {result['bare_seconds']:.1f} s")
        ceiling_text = f"{ceiling:,.0f} rows/s"
    else:
        ceiling_text = "n/a (SQLite)"
    print(f"load after: {os.getloadavg()[0]:.2f}")
    print(f"import: {result['rows']} rows, {rate:,.0f} rows/s, copy ceiling {ceiling_text}, "
          f"peak memory {result['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
