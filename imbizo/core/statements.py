"""Prepared statements for the few hot statements the intake path sends (ADR 0051).

Django binds parameters on the client, so PostgreSQL parses and plans every
statement afresh, and psycopg splits a long statement's text at its
placeholders on every call. A report sends the same two statements every
time (the running-interruption look-up and the case's single INSERT of some
150 parameters): bound on the server, written with PostgreSQL's own $1, $2
placeholders once per process, and prepared once per connection, the client
sends only the values and the server only binds and runs them.

`cursor_prepared()` is a Django cursor (the same error translation, execute
wrappers and query log) for statements written with %s placeholders, as
everywhere else. With `DATABASE_PREPARED_STATEMENTS` off (PgBouncer in
transaction mode before 1.21) statements are still bound on the server, in
unnamed statements, which poolers pass through. On other databases it is the
ordinary cursor.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import psycopg
from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorWrapper

_PLACEHOLDER = re.compile(r"%[s%]")


@lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """`sql` with psycopg's %s placeholders as $1, $2, ... (and %% as %)."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


class _ServerBound(psycopg.RawCursor):
    """Bound on the server; prepared on first use when `prepare` (psycopg
    keeps prepared statements per connection and drops the least used)."""

    prepare = True

    def execute(self, query, params=None, **kwargs):
        return super().execute(numbered(query), params, prepare=self.prepare)

    def _convert_query(self, query, params=None):
        # Django's query log reads the statement sent from `_query`, which
        # psycopg keeps only on its client-binding cursors.
        self._query = super()._convert_query(query, params)
        return self._query


class _ServerBoundUnprepared(_ServerBound):
    prepare = False


@contextmanager
def cursor_prepared() -> Iterator[CursorWrapper]:
    """A cursor for a statement sent often with the same SQL (see the module)."""
    # The ordinary cursor first: it runs the connection's health check and
    # opens the connection when needed.
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            yield cursor
            return
        kind = (_ServerBound if getattr(settings, "DATABASE_PREPARED_STATEMENTS", True)
                else _ServerBoundUnprepared)
        raw = kind(connection.connection)
        wrapped = (connection.make_debug_cursor(raw) if connection.queries_logged
                   else connection.make_cursor(raw))
        with wrapped:
            yield wrapped
