"""Fast bulk writes for generators, imports and sweeps: COPY and UNNEST on
PostgreSQL, executemany in the caller's transaction on SQLite.

Rows are dicts keyed by field name or attname (`service_id`); fields a row
leaves out take the model field's default. These bypass save() and signals on
purpose: callers write already-validated data, thousands of rows at a time.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from django.db import connection, models

_MISSING = object()


def _converter(field: models.Field) -> Callable[[Any], Any]:
    """Python value -> what the database driver takes, per field, decided once."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
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
    mode pays one round trip and the insert is still all-or-nothing. Other
    databases: ordinary saves; the caller wraps them in a transaction.
    Sets `parent.pk`; children keep no primary key.
    """
    if connection.vendor != "postgresql":
        parent.save(force_insert=True)
        for child in children:
            setattr(child, fk_attname, parent.pk)
            child.save(force_insert=True)
        return
    quote = connection.ops.quote_name
    params: list = []

    def values(obj: models.Model, skip: set[str]) -> tuple[str, str]:
        fields = [f for f in obj._meta.concrete_fields
                  if not f.primary_key and f.attname not in skip]
        for f in fields:
            params.append(f.get_db_prep_save(f.pre_save(obj, add=True), connection))
        return (", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields)))

    table = quote(parent._meta.db_table)
    columns, marks = values(parent, set())
    parts = [f"p AS (INSERT INTO {table} ({columns}) VALUES ({marks}) "
             f"RETURNING {quote(parent._meta.pk.column)})"]
    for n, child in enumerate(children):
        fk_column = quote(child._meta.get_field(fk_attname.removesuffix("_id")).column)
        columns, marks = values(child, {fk_attname})
        parts.append(
            f"c{n} AS (INSERT INTO {quote(child._meta.db_table)} ({fk_column}, {columns}) "
            f"VALUES ((SELECT {quote(parent._meta.pk.column)} FROM p), {marks}))"
        )
    sql = "WITH " + ", ".join(parts) + f" SELECT {quote(parent._meta.pk.column)} FROM p"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # noqa: S608 - names from model metadata, values as parameters
        parent.pk = cursor.fetchone()[0]
    parent._state.adding = False
    for child in children:
        setattr(child, fk_attname, parent.pk)
