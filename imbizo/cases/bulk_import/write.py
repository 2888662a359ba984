"""Writing checked case rows: ids a batch at a time, so each case's opening event is
written with it, then both tables through core.bulk.rows_copy (binary COPY on
PostgreSQL, executemany on SQLite), inside the import's transaction."""

import json
from functools import lru_cache

from django.db import connection
from django.db.models import Max

from imbizo.cases.models import Case, CaseEvent, EventKind
from imbizo.cases.transitions import Status
from imbizo.core import clock
from imbizo.core.bulk import JsonText, rows_copy


def cases_write(cases: list[dict]) -> None:
    """Insert the cases of one batch and their opening events."""
    if not cases:
        return
    ids = _case_ids(len(cases))
    events = []
    for case, case_id in zip(cases, ids, strict=True):
        case["id"] = case_id
        events.append({"case_id": case_id, "kind": EventKind.OPENED, "at": case["opened_at"],
                       "public": True, "to_status": Status.RECEIVED,
                       "details": _opened_details(case["channel"])})
    now = clock.now()
    rows_copy(Case, cases, now=now, with_pk=True)
    rows_copy(CaseEvent, events, now=now)


@lru_cache(maxsize=64)  # one per channel
def _opened_details(channel: str) -> JsonText:
    return JsonText(json.dumps({"channel": channel, "imported": True}))


def _case_ids(count: int) -> list[int]:
    """`count` new case ids: from the sequence on PostgreSQL, after the highest on SQLite
    (whose writers hold the database lock for the whole transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [Case._meta.db_table, count])
            return [row[0] for row in cursor.fetchall()]
    first = (Case.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    return list(range(first, first + count))
