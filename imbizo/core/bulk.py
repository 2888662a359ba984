"""Fast bulk insertion for generators and imports: COPY on PostgreSQL,
executemany in one transaction on SQLite.

Rows are dicts keyed by field name (or attname, e.g. `service_id`); fields a
row leaves out take the model field's default. Bypasses model save() and
signals on purpose: callers insert already-validated data.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection, models
from django.db.models.fields.json import JSONField


def _columns(model: type[models.Model], *, with_pk: bool) -> list[models.Field]:
    fields = []
    for field in model._meta.concrete_fields:
        if field.primary_key and not with_pk:
            continue
        fields.append(field)
    return fields


def _prepare(field: models.Field, row: dict[str, Any]) -> Any:
    if field.attname in row:
        value = row[field.attname]
    elif field.name in row:
        value = row[field.name]
        if isinstance(value, models.Model):
            value = value.pk
    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = row.get("__now__")
    else:
        value = field.get_default() if field.has_default() else None
    return field.get_db_prep_save(value, connection)


def bulk_insert(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, batch_size: int = 20_000,
    now: datetime | None = None, with_pk: bool = False,
) -> int:
    """Insert `rows` into `model`'s table; return how many. The caller owns the transaction."""
    fields = _columns(model, with_pk=with_pk)
    count = 0
    iterator: Iterator[dict] = iter(rows)
    while True:
        chunk = list(islice(iterator, batch_size))
        if not chunk:
            return count
        if now is not None:
            for row in chunk:
                row.setdefault("__now__", now)
        values = [[_prepare(f, row) for f in fields] for row in chunk]
        if connection.vendor == "postgresql":
            _copy(model, fields, values)
        else:
            _executemany(model, fields, values)
        count += len(chunk)


def _copy(model, fields, values) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    json_positions = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in values:
                for i in json_positions:
                    # get_db_prep_save wraps JSON in an adapter; COPY wants text.
                    value = row[i]
                    row[i] = getattr(value, "obj", value)
                    if not isinstance(row[i], str | type(None)):
                        row[i] = json.dumps(row[i])
                copy.write_row(row)


def _executemany(model, fields, values) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        # Table and column names come from model metadata, quoted; values are parameters.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608


def sequence_reset(model: type[models.Model]) -> None:
    """After inserting explicit primary keys, move the id sequence past them (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    sql = connection.ops.sequence_reset_sql(_NoStyle(), [model])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text

