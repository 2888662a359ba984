"""Case files for import tests: rows as dicts, written as CSV bytes."""

import csv
import io

from imbizo.cases.bulk_columns import COLUMNS


def case_row(**changes) -> dict:
    """A valid row for the `world` fixture: a water leak in ward W001, received in March 2025."""
    row = {
        "service_code": "water-leak", "channel": "hotline", "status": "received",
        "description": "Water pouring out next to the meter.",
        "opened_at": "2025-03-03T09:15:00+02:00", "ward_code": "W001",
    }
    row.update(changes)
    return row


def csv_bytes(rows: list[dict], *, columns=None, encoding: str = "utf-8", bom: bool = False) -> bytes:
    columns = list(columns or COLUMNS)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
