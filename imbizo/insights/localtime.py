"""Local days and months of stored instants, in SQL, fast on both databases.

PostgreSQL converts time zones itself. Django's SQLite backend does it with a
Python function called per row, which dominates a rebuild; here SQLite gets
its own date functions with the zone's UTC offsets written into the query as
a CASE over the instants where the offset changes (found once per zone).
"""

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import DateField, DateTimeField, Func
from django.db.models.functions import Cast, TruncDate, TruncHour, TruncMonth

SCAN_FROM, SCAN_UNTIL = datetime(1990, 1, 1, tzinfo=UTC), datetime(2070, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=8)
def offset_changes(tz_name: str) -> tuple[tuple[datetime | None, int], ...]:
    """((from_instant, offset_seconds), ...): the zone's UTC offset from each instant
    on (the first from the beginning of time), found by a daily scan refined to the
    second. Zones change offset at most a few times a year."""
    tz = ZoneInfo(tz_name)

    def offset(at: datetime) -> int:
        return int(at.astimezone(tz).utcoffset().total_seconds())

    changes: list[tuple[datetime | None, int]] = [(None, offset(SCAN_FROM))]
    day = SCAN_FROM
    while day < SCAN_UNTIL:
        following = day + timedelta(days=1)
        if offset(following) != changes[-1][1]:
            low, high = day, following  # offset(low) is the old one, offset(high) the new
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == offset(low) else (low, middle)
            changes.append((high.replace(microsecond=0), offset(following)))
        day = following
    return tuple(changes)


def _sqlite_shifted(sql: str, params: list, tz_name: str, function: str, fmt: str = ""):
    changes = offset_changes(tz_name)
    pieces, out_params = [], []
    for (_start, _offset), (following, _next) in zip(changes, changes[1:], strict=False):
        pieces.append(f"WHEN {sql} < %s THEN %s")
        out_params += [*params, following.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                       f"{_offset:+d} seconds"]
    last = f"{changes[-1][1]:+d} seconds"
    if pieces:
        modifier = "CASE " + " ".join(pieces) + " ELSE %s END"
        out_params.append(last)
    else:
        modifier = "%s"
        out_params = [last]
    head = f"{function}(%s, " if fmt else f"{function}("
    head_params = [fmt] if fmt else []
    return f"{head}{sql}, {modifier})", [*head_params, *params, *out_params]


class LocalDate(Func):
    """The date of an instant in zone `tz_name`."""

    output_field = DateField()

    def __init__(self, expression, *, tz_name: str):
        super().__init__(expression)
        self.tz_name = tz_name

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(TruncDate(self.source_expressions[0],
                                          tzinfo=ZoneInfo(self.tz_name)))

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return _sqlite_shifted(sql, list(params), self.tz_name, "date")


class LocalMonth(LocalDate):
    """The first day of the month of an instant in zone `tz_name`."""

    def as_sql(self, compiler, connection, **extra):
        day = TruncDate(self.source_expressions[0], tzinfo=ZoneInfo(self.tz_name))
        return compiler.compile(Cast(TruncMonth(day, output_field=DateField()), DateField()))

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return _sqlite_shifted(sql, list(params), self.tz_name, "strftime", "%Y-%m-01")


class UtcHour(Func):
    """The instant truncated to its hour (UTC)."""

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(TruncHour(self.source_expressions[0], tzinfo=UTC))

    def as_postgresql(self, compiler, connection, **extra):
        # Django's connections run in UTC, so this truncates to the UTC hour.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"DATE_TRUNC('hour', {sql})", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime('%%Y-%%m-%%d %%H:00:00', {sql})", params
