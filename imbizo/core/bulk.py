"""Fast bulk writes for generators, imports and sweeps: COPY and UNNEST on
PostgreSQL, executemany in the caller's transaction on SQLite.

Rows are dicts keyed by field name or attname (`service_id`); fields a row
leaves out take the model field's default. These bypass save() and signals on
purpose: callers write already-validated data, thousands of rows at a time.

bulk_insert converts each value per field and suits most callers; rows_copy
is for the largest writes (an import of a million cases): binary COPY of
rows keyed by attname, with JSON a caller has written out once (JsonText).
"""

import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from psycopg import postgres
from psycopg.adapt import Dumper
from psycopg.copy import Copy, FileWriter
from psycopg.pq import Format

from imbizo.core.statements import cursor_prepared

_MISSING = object()


class JsonText(str):
    """JSON already written out as text: the value of a JSON field for rows_copy and
    bulk_insert, written once for many rows instead of once per row."""


def _converter(field: models.Field) -> Callable[[Any], Any]:
    """Python value -> what the database driver takes, per field, decided once."""
    if isinstance(field, models.JSONField):
        return lambda value: (None if value is None else value if type(value) is JsonText
                              else json.dumps(value))
    if isinstance(field, models.ForeignKey):
        return lambda value: value.pk if isinstance(value, models.Model) else value
    if connection.vendor == "postgresql":
        # psycopg adapts dates, times, aware datetimes, numbers and strings itself.
        return lambda value: value
    if isinstance(field, models.DateTimeField):
        # What Django's SQLite backend stores: naive UTC text.
        return lambda value: None if value is None else str(
            value.astimezone(UTC).replace(tzinfo=None))
    if isinstance(field, models.CharField | models.TextField | models.IntegerField
                  | models.BooleanField | models.FloatField):
        return lambda value: value
    prepare = field.get_db_prep_save
    return lambda value: prepare(value, connection)


def _columns(model: type[models.Model], *, with_pk: bool) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def bulk_insert(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, batch_size: int = 20_000,
    now: datetime | None = None, with_pk: bool = False,
) -> int:
    """Insert `rows` into `model`'s table; return how many. The caller owns the transaction.

    `now` fills auto_now/auto_now_add fields the rows leave out.
    """
    fields = _columns(model, with_pk=with_pk)
    plan = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        else:
            default = field.get_default()  # "" for non-null text, None otherwise
        plan.append((field.attname, field.name, default, _converter(field)))
    count = 0
    iterator: Iterator[dict] = iter(rows)
    while chunk := list(islice(iterator, batch_size)):
        values = []
        for row in chunk:
            line = []
            for attname, name, default, convert in plan:
                value = row.get(attname, _MISSING)
                if value is _MISSING:
                    value = row.get(name, default)
                line.append(convert(value))
            values.append(line)
        if connection.vendor == "postgresql":
            _copy(model, fields, values)
        else:
            _executemany(model, fields, values)
        count += len(chunk)
    return count


def _quoted(model, fields) -> tuple[str, str]:
    table = connection.ops.quote_name(model._meta.db_table)
    return table, ", ".join(connection.ops.quote_name(f.column) for f in fields)


def _copy(model, fields, values) -> None:
    table, columns = _quoted(model, fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in values:
            copy.write_row(row)


def _executemany(model, fields, values) -> None:
    table, columns = _quoted(model, fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        # Names come from model metadata, quoted; values are parameters.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608


def rows_copy(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, now: datetime,
    with_pk: bool = False,
) -> None:
    """Insert `rows` (dicts by attname: `service_id`) into `model`'s table, in the caller's
    transaction. PostgreSQL: binary COPY, the values straight from the rows (psycopg
    formats a row of timestamps in a third of the time it takes for text); auto_now
    fields get `now`, JSON fields may hold JsonText. Elsewhere: bulk_insert.

    For models whose columns have PostgreSQL's built-in types (their type oids are the
    same in every database, so they are looked up once per process).
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        bulk_insert(model, rows, batch_size=len(rows), now=now, with_pk=with_pk)
        return
    plan = _copy_plan(model, with_pk)
    types = _column_types(model, with_pk)
    stamped = dict.fromkeys(plan.auto_now, now)
    with connection.cursor() as cursor:
        # This cursor's adapters only: JsonText goes out as the jsonb it already is.
        cursor.cursor.adapters.register_dumper(JsonText, _JsonTextBinaryDumper)
        with cursor.cursor.copy(plan.sql) as copy:
            copy.set_types(types)
            _rows_write(copy.write_row, rows, defaults=plan.defaults, stamped=stamped,
                        json_fields=plan.json_fields, values=plan.values)


def _rows_write(write: Callable[[tuple], None], rows: Iterable[dict[str, Any]], *,
                defaults: dict[str, Any], stamped: dict[str, Any], json_fields: tuple[str, ...],
                values: Callable[[dict], tuple]) -> None:
    """`write` each row's values in column order: a column the row leaves out takes its
    default, the auto_now columns `stamped`'s value, a JSON column JsonText (what
    rows_copy and BinaryRows both send)."""
    dumps = json.dumps
    empty = _EMPTY_JSON.get
    for row in rows:
        full = {**defaults, **row, **stamped}
        for name in json_fields:
            value = full[name]
            if type(value) is not JsonText:
                full[name] = (not value and empty(type(value))) or JsonText(dumps(value))
        write(values(full))


class BinaryRows:
    """Rows of `model` as binary COPY data, formatted apart from any COPY statement (in a
    process of its own, say) and sent later, whole, with `copy_send`.

    A row is a dict by attname, as for rows_copy (defaults, auto_now, JsonText alike).
    The columns are rows_copy's, except that those named in `last` come last and in
    that order: a caller may then swap a fixed-width value at the end of a row it has
    formatted (`last_replaced`: the import's references, drawn again in the rare case
    another case took one meanwhile). Built where the database is at hand (the column
    types are read from it); usable afterwards without it, in a forked process too.

    Formatting is psycopg's documented way to write COPY data elsewhere than to the
    server: a Copy with a FileWriter (psycopg.copy), the same C formatter as
    Copy.write_row on a connection. Its cursor only lends its adapters: nothing is
    executed on it.
    """

    def __init__(self, model: type[models.Model], *, now: datetime, with_pk: bool = False,
                 last: tuple[str, ...] = ()):
        plan = _copy_plan(model, with_pk)
        fields = _columns(model, with_pk=with_pk)
        order = [f for f in fields if f.attname not in last] + [
            next(f for f in fields if f.attname == name) for name in last]
        oids = dict(zip((f.attname for f in fields), _column_types(model, with_pk),
                        strict=True))
        table, columns = _quoted(model, order)
        self.sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        self.defaults = plan.defaults
        self.json_fields = plan.json_fields
        self.stamped = dict.fromkeys(plan.auto_now, now)
        self.values = itemgetter(*(f.attname for f in order))
        self.types = [oids[f.attname] for f in order]
        # A row starts with its number of fields (int16); the data ends with -1.
        self._row_start = len(order).to_bytes(2, "big")
        connection.ensure_connection()
        self._cursor = connection.connection.cursor()
        self._cursor.adapters.register_dumper(JsonText, _JsonTextBinaryDumper)

    def formatted(self, rows: Iterable[dict[str, Any]]) -> bytes:
        """`rows` as one whole piece of binary COPY data (signature, rows, end)."""
        out = io.BytesIO()
        with Copy(self._cursor, binary=True, writer=FileWriter(out)) as copy:
            copy.set_types(self.types)
            _rows_write(copy.write_row, rows, defaults=self.defaults, stamped=self.stamped,
                        json_fields=self.json_fields, values=self.values)
        return out.getvalue()

    def last_replaced(self, data: bytes | bytearray, old: str, new: str) -> bytearray:
        """`data` (from `formatted`) with the row whose last value is `old` ending in `new`
        instead, of the same length in bytes. ValueError when no row ends in `old`.

        The last value of a row is followed by the next row's field count, or is the
        last value of all (then the end of the data follows). Anywhere else a value is
        followed by the next value's length, whose first two bytes are never a field
        count (no value is megabytes long); they may be those of the end of the data
        (a NULL's length is -1), hence that is only taken at the very end.
        """
        before, after = old.encode(), new.encode()
        if len(before) != len(after):
            raise ValueError("a value at the end of a row is replaced by one of its width")
        field = len(before).to_bytes(4, "big") + before
        data = bytearray(data)
        at = data.find(field)
        while at != -1:
            end = at + len(field)
            if data[end:end + 2] == self._row_start or (
                    end == len(data) - len(COPY_BINARY_TRAILER)
                    and data[end:] == COPY_BINARY_TRAILER):
                data[end - len(after):end] = after
                return data
            at = data.find(field, at + 1)
        raise ValueError(f"no row ends in {old!r}")


COPY_BINARY_TRAILER = b"\xff\xff"  # binary COPY data ends with a field count of -1


def copy_send(sql: str, data: bytes | bytearray, *,
              meanwhile: Callable[[], None] | None = None) -> None:
    """COPY data formatted by BinaryRows (`sql`: its `sql`), in the caller's transaction.

    `meanwhile` runs once the data is sent and before the COPY ends, while the server
    works through the rows: work of the caller's that needs no database.
    """
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(data)
        if meanwhile is not None:
            meanwhile()


def copy_columns(model: type[models.Model], *, with_pk: bool = False) -> str:
    """The quoted columns rows_copy writes, in its order (to copy the same rows elsewhere)."""
    return _copy_plan(model, with_pk).columns


@dataclass(frozen=True)
class _CopyPlan:
    sql: str
    columns: str
    defaults: dict[str, Any]  # what a row that leaves a column out gets, by attname
    json_fields: tuple[str, ...]
    auto_now: tuple[str, ...]
    values: Callable[[dict], tuple]  # a full row's values in column order


@lru_cache(maxsize=16)
def _copy_plan(model: type[models.Model], with_pk: bool) -> _CopyPlan:
    fields = _columns(model, with_pk=with_pk)
    defaults = {}
    for field in fields:
        default = None if field.auto_created or getattr(field, "auto_now", False) \
            else field.get_default()
        defaults[field.attname] = str(default) if isinstance(default, str) else default
    table, columns = _quoted(model, fields)
    return _CopyPlan(
        sql=f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)",
        columns=columns,
        defaults=defaults,
        json_fields=tuple(f.attname for f in fields if f.get_internal_type() == "JSONField"),
        auto_now=tuple(f.attname for f in fields if getattr(f, "auto_now", False)),
        values=itemgetter(*(f.attname for f in fields)),
    )


_FIRST_USER_OID = 16384  # PostgreSQL's FirstNormalObjectId: below it, the built-in types


@lru_cache(maxsize=16)
def _column_types(model: type[models.Model], with_pk: bool) -> list[int]:
    """The type oid of each column rows_copy writes, for binary COPY."""
    columns = [f.column for f in _columns(model, with_pk=with_pk)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, atttypid FROM pg_attribute "
                       "WHERE attrelid = %s::regclass AND attnum > 0", [model._meta.db_table])
        oids = dict(cursor.fetchall())
    types = [int(oids[column]) for column in columns]
    if any(oid >= _FIRST_USER_OID for oid in types):
        raise ValueError(f"rows_copy takes built-in column types only ({model.__name__})")
    return types


class _JsonTextBinaryDumper(Dumper):
    """jsonb in binary COPY from text already dumped: psycopg's own jsonb dumper would
    dump it again, as a JSON string."""

    format = Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj):
        return b"\x01" + obj.encode()  # jsonb's binary form: version 1, then the text


_EMPTY_JSON = {list: JsonText("[]"), dict: JsonText("{}")}


def bulk_update_columns(
    model: type[models.Model], objects: Sequence[models.Model], field_names: Sequence[str],
) -> None:
    """Write `field_names` of many loaded `objects` back, each row its own values.

    PostgreSQL: one UPDATE ... FROM unnest(arrays) per call. SQLite: a prepared
    UPDATE per row (cheap in-process). Django's bulk_update instead builds a
    CASE expression per field over the batch, which costs more than the writes.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    pk = model._meta.pk
    table = connection.ops.quote_name(model._meta.db_table)
    quote = connection.ops.quote_name
    converters = [_converter(f) for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = [[obj.pk for obj in objects]] + [
                [convert(getattr(obj, f.attname)) for obj in objects]
                for f, convert in zip(fields, converters, strict=True)
            ]
            types = [pk.db_type(connection)] + [f.db_type(connection) for f in fields]
            names = ["pk"] + [f"v{i}" for i in range(len(fields))]
            unnest = ", ".join(f"%s::{t}[]" for t in types)
            assignments = ", ".join(
                f"{quote(f.column)} = u.v{i}" for i, f in enumerate(fields)
            )
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM unnest({unnest}) "  # noqa: S608
                f"AS u({', '.join(names)}) WHERE {table}.{quote(pk.column)} = u.pk",
                arrays,
            )
        else:
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {quote(pk.column)} = %s",  # noqa: S608
                [
                    [convert(getattr(obj, f.attname))
                     for f, convert in zip(fields, converters, strict=True)] + [obj.pk]
                    for obj in objects
                ],
            )


def sequence_reset(model: type[models.Model]) -> None:
    """After inserting explicit primary keys, move the id sequence past them (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(_NoStyle(), [model]):
            cursor.execute(statement)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


def insert_with_children(parent: models.Model, children: Sequence[models.Model],
                         fk_attname: str) -> None:
    """Insert `parent` and `children` (whose `fk_attname` points at it) together.

    PostgreSQL: one statement (data-modifying CTEs), so a caller in autocommit
    mode pays one round trip and the insert is still all-or-nothing; its SQL
    depends only on the models involved, so it is written once per shape and
    prepared on the server (core.statements). Other databases: ordinary
    saves; the caller wraps them in a transaction.
    Sets `parent.pk`; children keep no primary key.
    """
    if connection.vendor != "postgresql":
        parent.save(force_insert=True)
        for child in children:
            setattr(child, fk_attname, parent.pk)
            child.save(force_insert=True)
        return
    sql, fields_of = _insert_shape(type(parent), tuple(type(c) for c in children), fk_attname)
    params = _insert_params((parent, *children), fields_of)
    with cursor_prepared() as cursor:
        cursor.execute(sql, params)
        parent.pk = cursor.fetchone()[0]
    parent._state.adding = False
    for child in children:
        setattr(child, fk_attname, parent.pk)


# Values psycopg takes as they are, by the exact class of a plain column's
# field: for these Django's preparation (pre_save, get_db_prep_save) returns
# the value unchanged, and doing it for each of a report's hundred values was
# a sixth of the report's CPU. Anything else (enum members, expressions,
# naive datetimes, JSON, files, auto_now) still goes through Django.
_AS_IS: dict[type[models.Field], frozenset[type]] = {
    **dict.fromkeys((models.CharField, models.TextField, models.EmailField),
                    frozenset({str, type(None)})),
    **dict.fromkeys((models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
                     models.PositiveIntegerField, models.PositiveSmallIntegerField,
                     models.PositiveBigIntegerField, models.AutoField, models.BigAutoField),
                    frozenset({int, type(None)})),
    models.BooleanField: frozenset({bool, type(None)}),
    models.FloatField: frozenset({float, type(None)}),
    models.DateTimeField: frozenset({datetime, type(None)}),  # aware ones only: see below
}
_NOTHING_AS_IS: frozenset[type] = frozenset()


@dataclass(frozen=True)
class _Column:
    field: models.Field
    attname: str
    as_is: frozenset[type]  # value types sent without Django's preparation
    # An integer column's internal type: Django gives psycopg an integer of
    # the column's width (ops.adapt_integerfield_value); ids are sent as they are.
    integer_type: str = ""


def _column(field: models.Field) -> _Column:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    as_is = _AS_IS.get(type(target), _NOTHING_AS_IS)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        as_is = _NOTHING_AS_IS  # pre_save sets the value
    integer_type = ("" if int not in as_is or isinstance(target, models.AutoField | models.BigAutoField)
                    else target.get_internal_type())
    return _Column(field, field.attname, as_is, integer_type)


def _insert_params(objects: Sequence[models.Model],
                   columns_of: Sequence[tuple[_Column, ...]]) -> list:
    """The values of `objects` for the driver (PostgreSQL), column by column:
    what Django's own preparation gives, without running it where it is the
    identity (_AS_IS)."""
    # The connection itself, not django.db.connection: the proxy looks the
    # connection up again for every attribute.
    wrapper = connections[DEFAULT_DB_ALIAS]
    adapt_integer = wrapper.ops.adapt_integerfield_value
    params = []
    for obj, columns in zip(objects, columns_of, strict=True):
        for column in columns:
            value = getattr(obj, column.attname)
            kind = type(value)
            if kind in column.as_is and (kind is not datetime or value.tzinfo is not None):
                params.append(adapt_integer(value, column.integer_type) if column.integer_type
                              else value)
            else:
                field = column.field
                params.append(field.get_db_prep_save(field.pre_save(obj, add=True), wrapper))
    return params


@lru_cache(maxsize=64)
def _insert_shape(parent_model: type[models.Model], child_models: tuple, fk_attname: str,
                  ) -> tuple[str, tuple[tuple[_Column, ...], ...]]:
    """insert_with_children's SQL for these models, and the columns whose values
    it takes, in order, for the parent and each child."""
    quote = connection.ops.quote_name
    pk = quote(parent_model._meta.pk.column)

    def columns_of(model, skip: str | None) -> tuple[_Column, ...]:
        return tuple(_column(f) for f in model._meta.concrete_fields
                     if not f.primary_key and f.attname != skip)

    fields_of = [columns_of(parent_model, None)]
    names = ", ".join(quote(c.field.column) for c in fields_of[0])
    marks = ", ".join(["%s"] * len(fields_of[0]))
    parts = [f"p AS (INSERT INTO {quote(parent_model._meta.db_table)} ({names}) "
             f"VALUES ({marks}) RETURNING {pk})"]
    for n, model in enumerate(child_models):
        fields = columns_of(model, fk_attname)
        fields_of.append(fields)
        fk_column = quote(model._meta.get_field(fk_attname.removesuffix("_id")).column)
        names = ", ".join(quote(c.field.column) for c in fields)
        marks = ", ".join(["%s"] * len(fields))
        parts.append(
            f"c{n} AS (INSERT INTO {quote(model._meta.db_table)} ({fk_column}, {names}) "
            f"VALUES ((SELECT {pk} FROM p), {marks}))"
        )
    # Names from model metadata, values as parameters.
    sql = "WITH " + ", ".join(parts) + f" SELECT {pk} FROM p"  # noqa: S608
    return sql, tuple(fields_of)
