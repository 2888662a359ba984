"""Field rollups: household visits and needs per ward and day (docs/adr/0026).

Unlike the case rollups (deltas folded by the worker, docs/adr/0006), these
are incremented in the receiving transaction: a field team sends a few
thousand records a day, each touching its own ward's rows, so there is no hot
row to queue on, and the figures are current the moment a phone syncs.
`field_rollups_rebuild` recomputes both tables from the records with
set-based SQL; a test asserts rebuilt == incremental.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction

from .models import FieldNeedDaily, FieldRecord, FieldRecordNeed, FieldVisitDaily

# Table names come from the models, never from input.
_VISITS, _NEEDS = FieldVisitDaily._meta.db_table, FieldNeedDaily._meta.db_table
_RECORDS, _RECORD_NEEDS = FieldRecord._meta.db_table, FieldRecordNeed._meta.db_table
_VISITS_ADD = (
    f"INSERT INTO {_VISITS} (ward_id, day, households) VALUES (%s, %s, %s) "  # noqa: S608
    f"ON CONFLICT (ward_id, day) DO UPDATE SET households = {_VISITS}.households + excluded.households")
_NEEDS_ADD = (
    f"INSERT INTO {_NEEDS} (ward_id, day, need, households) VALUES (%s, %s, %s, %s) "  # noqa: S608
    f"ON CONFLICT (ward_id, day, need) DO UPDATE "
    f"SET households = {_NEEDS}.households + excluded.households")
_VISITS_REBUILD = (
    f"INSERT INTO {_VISITS} (ward_id, day, households) "  # noqa: S608
    f"SELECT ward_id, visited_on, COUNT(*) FROM {_RECORDS} "
    f"WHERE household = %s AND ward_id IS NOT NULL GROUP BY ward_id, visited_on")
_NEEDS_REBUILD = (
    f"INSERT INTO {_NEEDS} (ward_id, day, need, households) "  # noqa: S608
    f"SELECT r.ward_id, r.visited_on, n.need, COUNT(*) FROM {_RECORD_NEEDS} n "
    f"JOIN {_RECORDS} r ON r.id = n.record_id "
    f"WHERE r.household = %s AND r.ward_id IS NOT NULL GROUP BY r.ward_id, r.visited_on, n.need")


@dataclass(frozen=True)
class Contribution:
    """What one record adds to the figures: a visit in a ward on a day, and its needs."""

    ward_id: int
    day: datetime.date
    needs: tuple[str, ...]


def contribution_of(record: FieldRecord) -> Contribution | None:
    """The record's part of the figures, or None when it counts nowhere."""
    if not record.household or record.ward_id is None:
        return None
    return Contribution(ward_id=record.ward_id, day=record.visited_on, needs=tuple(record.needs))


def rollups_move(*, before: Contribution | None, after: Contribution | None) -> None:
    """Take `before` out of the figures and put `after` in, in the caller's transaction.

    Rows are touched in key order, so two transactions never wait on each
    other in opposite orders (no deadlock on PostgreSQL).
    """
    if before == after:
        return
    visits: Counter = Counter()
    needs: Counter = Counter()
    for sign, part in ((-1, before), (1, after)):
        if part is None:
            continue
        visits[(part.ward_id, part.day)] += sign
        for need in part.needs:
            needs[(part.ward_id, part.day, need)] += sign
    visit_rows = [(*key, delta) for key, delta in sorted(visits.items()) if delta]
    need_rows = [(*key, delta) for key, delta in sorted(needs.items()) if delta]
    with connection.cursor() as cursor:
        if visit_rows:
            cursor.executemany(_VISITS_ADD, visit_rows)
        if need_rows:
            cursor.executemany(_NEEDS_ADD, need_rows)


@transaction.atomic
def field_rollups_rebuild() -> dict[str, int]:
    """Recompute the field rollups from the records; returns rows written per table.

    On PostgreSQL the rollup tables are locked first: a record received
    meanwhile waits to add itself until the rebuild has committed, so it is
    counted once (by the rebuild if it committed before, else by itself).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_VISITS}, {_NEEDS} IN EXCLUSIVE MODE")
    FieldVisitDaily.objects.all().delete()
    FieldNeedDaily.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(_VISITS_REBUILD, [True])
        visits = cursor.rowcount
        cursor.execute(_NEEDS_REBUILD, [True])
        needs = cursor.rowcount
    return {"field_visit_daily": visits, "field_need_daily": needs}
