"""Monthly partitions on PostgreSQL (docs/adr/0045-monthly-partitions.md).

A table partitioned here is split by RANGE on one timestamp column into one
partition per calendar month in UTC, `<table>_pYYYYMM`, plus `<table>_default`,
which takes any row whose month has no partition yet, so an insert never fails
for want of one. The database's primary key becomes (id, <column>), as
PostgreSQL requires the partition key in every unique constraint; Django's
model keeps `id` as its primary key and never knows.

Three jobs: converting a table that holds data (`table_partition_by_month`,
and back, `table_unpartition`, for the migrations), creating months ahead and
moving rows out of DEFAULT into their month (`months_ensure`, run by the
worker), and dropping whole months past a retention period
(`months_drop_before`). The worker finds the partitioned tables in the
catalogue, so a table partitioned by a migration needs no registration.
Everything here is PostgreSQL-only; on another database the functions that
the worker and the retention sweep call do nothing. The SQL is built from
table and column names (quoted) and month bounds computed here, never from
input.
"""

import datetime
import re
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, transaction

from imbizo.core import clock

MONTHS_AHEAD = 3


def month_start(moment: datetime.datetime | datetime.date) -> datetime.datetime:
    """The first instant (UTC) of the calendar month `moment` falls in."""
    if isinstance(moment, datetime.datetime):
        moment = moment.astimezone(UTC)
    return datetime.datetime(moment.year, moment.month, 1, tzinfo=UTC)


def month_after(month: datetime.datetime) -> datetime.datetime:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def months_from(first: datetime.datetime, last: datetime.datetime) -> list[datetime.datetime]:
    """Every month start from `first`'s month to `last`'s, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = month_after(month)
    return months


def partition_name(table: str, month: datetime.datetime) -> str:
    return f"{table}_p{month:%Y%m}"


def default_partition_name(table: str) -> str:
    return f"{table}_default"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _bound(moment: datetime.datetime) -> str:
    return f"'{moment.isoformat()}'"


# --- what the catalogue says ------------------------------------------------------------


@dataclass(frozen=True)
class TableShape:
    """What must be recreated when a table is rebuilt under the same name."""

    primary_key: str  # the constraint's name
    id_column: str
    next_id: int  # what the id sequence hands out next
    constraints: tuple[tuple[str, str, str], ...]  # (name, contype, definition), the pk left out
    indexes: tuple[tuple[str, str, bool], ...]  # (name, CREATE INDEX ..., unique)


def _table_shape(cursor, table: str) -> TableShape:
    cursor.execute("""
        SELECT con.conname, a.attname FROM pg_constraint con
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
        WHERE con.conrelid = %s::regclass AND con.contype = 'p'""", [table])
    primary_key, id_column = cursor.fetchone()
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, id_column])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
    last_value, is_called = cursor.fetchone()
    cursor.execute("""
        SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = %s::regclass AND contype IN ('u', 'f', 'c', 'x') ORDER BY conname""",
                   [table])
    constraints = tuple(cursor.fetchall())
    cursor.execute("""
        SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisunique FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                          AND k.conrelid = i.indrelid)
        ORDER BY 1""", [table])
    indexes = tuple(cursor.fetchall())
    return TableShape(primary_key=primary_key, id_column=id_column,
                      next_id=last_value + 1 if is_called else last_value,
                      constraints=constraints, indexes=indexes)


def _refuse_unless_partitionable(cursor, table: str, column: str, shape: TableShape) -> None:
    """Raise when PostgreSQL could not keep the table's keys once partitioned on `column`."""
    cursor.execute("""
        SELECT conname, conrelid::regclass::text FROM pg_constraint
        WHERE confrelid = %s::regclass AND contype = 'f'""", [table])
    pointing_in = cursor.fetchall()
    if pointing_in:
        raise ValueError(
            f"{table} cannot be partitioned: foreign keys point into it "
            f"({', '.join(f'{name} on {source}' for name, source in pointing_in)})")
    names_column = re.compile(rf"\b{re.escape(column)}\b").search
    for name, contype, definition in shape.constraints:
        if contype in ("u", "x") and not names_column(definition):
            raise ValueError(f"{table} cannot be partitioned on {column}: the unique constraint "
                             f"{name} ({definition}) does not include it")
    for name, definition, unique in shape.indexes:
        if unique and not names_column(definition):
            raise ValueError(f"{table} cannot be partitioned on {column}: the unique index "
                             f"{name} does not include it")


def partitioned_by_month(cursor) -> list[tuple[str, str]]:
    """(table, column) of every table of this schema partitioned by range on one column."""
    if connection.vendor != "postgresql":
        return []
    cursor.execute("""
        SELECT c.relname, a.attname FROM pg_partitioned_table p
        JOIN pg_class c ON c.oid = p.partrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
        WHERE p.partstrat = 'r' AND p.partnatts = 1 ORDER BY 1""")
    return cursor.fetchall()


def _partitions(cursor, table: str) -> list[str]:
    cursor.execute("""
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = %s::regclass ORDER BY 1""", [table])
    return [row[0] for row in cursor.fetchall()]


# --- converting a table (the migrations) -------------------------------------------------


def table_partition_by_month(cursor, *, table: str, column: str,
                             now: datetime.datetime | None = None) -> int:
    """Rebuild `table`, with its rows, as a table partitioned by month of `column`.

    One partition for each month that has rows and for this month and the
    MONTHS_AHEAD after `now`, and DEFAULT (a stray date, such as the year 2099,
    gets its own month, not every month up to it). Rows are moved set-based;
    indexes, constraints and the id sequence are recreated under their names;
    the primary key becomes (id, column). Run inside the caller's transaction
    (a migration's): the table is locked until it commits. Returns the number
    of partitions.
    """
    shape = _table_shape(cursor, table)
    _refuse_unless_partitionable(cursor, table, column, shape)
    now = now or clock.now()
    months = sorted(set(_months_with_rows(cursor, table, column))
                    | set(months_from(now, _months_later(now, MONTHS_AHEAD))))

    old = _table_set_aside(cursor, table, shape, identity=True)
    cursor.execute(f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS"
                   f" INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({_q(column)})")
    for month in months:
        cursor.execute(f"CREATE TABLE {_q(partition_name(table, month))} PARTITION OF {_q(table)}"
                       f" FOR VALUES FROM ({_bound(month)}) TO ({_bound(month_after(month))})")
    cursor.execute(f"CREATE TABLE {_q(default_partition_name(table))}"
                   f" PARTITION OF {_q(table)} DEFAULT")
    _rows_move_and_restore(cursor, table, old, shape, key=(shape.id_column, column))
    cursor.execute(f"CREATE SEQUENCE {_q(table + '_id_seq')} OWNED BY {_q(table)}.{_q(shape.id_column)}")
    cursor.execute("SELECT setval(%s, %s, false)", [f"{table}_id_seq", shape.next_id])
    cursor.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN {_q(shape.id_column)}"
                   f" SET DEFAULT nextval({_bound_text(table + '_id_seq')}::regclass)")
    cursor.execute(f"ANALYZE {_q(table)}")
    return len(months) + 1


def table_unpartition(cursor, *, table: str) -> None:
    """Rebuild partitioned `table` as one plain table with its rows, the primary
    key back to (id) and the id an identity column again (the reverse migration)."""
    shape = _table_shape(cursor, table)
    old = _table_set_aside(cursor, table, shape, identity=False)
    cursor.execute(f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS"
                   f" INCLUDING STORAGE INCLUDING COMMENTS)")
    _rows_move_and_restore(cursor, table, old, shape, key=(shape.id_column,))
    cursor.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN {_q(shape.id_column)}"
                   f" ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {shape.next_id})")
    cursor.execute(f"ANALYZE {_q(table)}")


def _bound_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _table_set_aside(cursor, table: str, shape: TableShape, *, identity: bool) -> str:
    """Rename `table` out of the way, its id no longer drawing from a sequence
    (which would be dropped with it), so a new table can take the name."""
    old = f"{table}__old"
    cursor.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
    if identity:
        cursor.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN {_q(shape.id_column)} DROP IDENTITY")
    else:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, shape.id_column])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN {_q(shape.id_column)} DROP DEFAULT")
        cursor.execute(f"DROP SEQUENCE {sequence}")
    cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
    return old


def _rows_move_and_restore(cursor, table: str, old: str, shape: TableShape,
                           key: tuple[str, ...]) -> None:
    """Copy every row from `old` into the new `table`, drop `old`, then give the
    new table the old one's primary key (on `key`), constraints and indexes.
    Indexes and foreign keys are built after the copy: one pass each."""
    cursor.execute(f"INSERT INTO {_q(table)} SELECT * FROM {_q(old)}")  # noqa: S608
    cursor.execute(f"DROP TABLE {_q(old)}")
    columns = ", ".join(_q(name) for name in key)
    cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(shape.primary_key)}"
                   f" PRIMARY KEY ({columns})")
    for name, _contype, definition in shape.constraints:
        cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
    for _name, definition, _unique in shape.indexes:
        # A partitioned table's index reads "ON ONLY": here it must cover every partition.
        cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))


# --- months ahead, and rows out of DEFAULT (the worker) ----------------------------------


def _deferred_checks_now(cursor) -> None:
    """Run the foreign-key checks this transaction has deferred (Django's are
    DEFERRABLE INITIALLY DEFERRED): PostgreSQL refuses to attach or detach a
    partition of a table with checks still pending."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def months_ensure(*, ahead: int = MONTHS_AHEAD,
                  now: datetime.datetime | None = None) -> dict[str, list[str]]:
    """Create this month and the next `ahead` for every partitioned table, and a
    month for any row waiting in DEFAULT; rows move out of DEFAULT into the
    month created for them. Returns the partitions created, by table."""
    now = now or clock.now()
    created: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        tables = partitioned_by_month(cursor)
    for table, column in tables:
        wanted = months_from(now, _months_later(now, ahead))
        with connection.cursor() as cursor:
            wanted += _months_with_rows(cursor, default_partition_name(table), column)
            existing = set(_partitions(cursor, table))
        for month in sorted(set(wanted)):
            if partition_name(table, month) not in existing:
                month_create(table=table, column=column, month=month)
                created.setdefault(table, []).append(partition_name(table, month))
    return created


def _months_later(moment: datetime.datetime, months: int) -> datetime.datetime:
    month = month_start(moment)
    for _ in range(months):
        month = month_after(month)
    return month


def _months_with_rows(cursor, relation: str, column: str) -> list[datetime.datetime]:
    cursor.execute(f"SELECT DISTINCT date_trunc('month', {_q(column)} AT TIME ZONE 'UTC')"  # noqa: S608
                   f" FROM {_q(relation)} WHERE {_q(column)} IS NOT NULL")
    return [month_start(row[0].replace(tzinfo=UTC)) for row in cursor.fetchall()]


@transaction.atomic
def month_create(*, table: str, column: str, month: datetime.datetime) -> int:
    """Create `table`'s partition for `month`, moving into it the rows of that
    month waiting in DEFAULT. Returns how many rows moved.

    PostgreSQL refuses a new partition whose range has rows in DEFAULT, so the
    partition is made as a plain table, filled from DEFAULT, and attached once
    DEFAULT holds none of its rows; DEFAULT stays locked meanwhile, so no row
    of that month can arrive in it between the move and the attach.
    """
    name, default = partition_name(table, month), default_partition_name(table)
    lower, upper = _bound(month), _bound(month_after(month))
    in_range = f"{_q(column)} >= {lower} AND {_q(column)} < {upper}"
    with connection.cursor() as cursor:
        _deferred_checks_now(cursor)
        cursor.execute(f"LOCK TABLE {_q(default)} IN ACCESS EXCLUSIVE MODE")
        # Another worker may have made the month while this one waited for the lock.
        cursor.execute("SELECT to_regclass(%s)", [_q(name)])
        if cursor.fetchone()[0] is not None:
            return 0
        # A partition must carry its table's check constraints to be attached.
        cursor.execute(f"CREATE TABLE {_q(name)} (LIKE {_q(table)} INCLUDING DEFAULTS"
                       f" INCLUDING CONSTRAINTS INCLUDING STORAGE)")
        cursor.execute(f"WITH moved AS (DELETE FROM {_q(default)} WHERE {in_range} RETURNING *)"  # noqa: S608
                       f" INSERT INTO {_q(name)} SELECT * FROM moved")
        moved = cursor.rowcount
        # The attach scans the new table for rows outside its range unless a
        # matching check constraint proves there are none.
        cursor.execute(f"ALTER TABLE {_q(name)} ADD CONSTRAINT {_q(name + '_range')}"
                       f" CHECK ({in_range})")
        cursor.execute(f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)}"
                       f" FOR VALUES FROM ({lower}) TO ({upper})")
        cursor.execute(f"ALTER TABLE {_q(name)} DROP CONSTRAINT {_q(name + '_range')}")
    return moved


# --- retention ---------------------------------------------------------------------------


@transaction.atomic
def months_drop_before(*, table: str, cutoff: datetime.datetime) -> int:
    """Detach and drop every month partition of `table` that ends at or before
    `cutoff`: all its rows are older than the cutoff. Returns the rows dropped.

    Only for tables whose retention rule allows deleting every row older than
    `cutoff` (the access log); the month in which `cutoff` falls and DEFAULT are
    left for the caller's DELETE. Does nothing on a table that is not
    partitioned (SQLite, or before the migration).
    """
    if connection.vendor != "postgresql":
        return 0
    dropped = 0
    with connection.cursor() as cursor:
        if table not in dict(partitioned_by_month(cursor)):
            return 0
        _deferred_checks_now(cursor)
        for name in _partitions(cursor, table):
            month = _month_of_partition(table, name)
            if month is None or month_after(month) > cutoff:
                continue
            cursor.execute(f"SELECT count(*) FROM {_q(name)}")  # noqa: S608
            dropped += cursor.fetchone()[0]
            cursor.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(name)}")
            cursor.execute(f"DROP TABLE {_q(name)}")
    return dropped


def _month_of_partition(table: str, name: str) -> datetime.datetime | None:
    """The month a partition named by `partition_name` holds; None for DEFAULT
    or a partition named otherwise (made by hand: left alone)."""
    suffix = name.removeprefix(f"{table}_p")
    if suffix == name or len(suffix) != 6 or not suffix.isdigit():
        return None
    return datetime.datetime(int(suffix[:4]), int(suffix[4:]), 1, tzinfo=UTC)
