"""Tables as CSV and XLSX downloads (openpyxl), and as JSON for open data.

A Table is what a page shows in a <table>; the same object is exported, so a
download always matches the screen.
"""

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.text import slugify


@dataclass(frozen=True)
class Table:
    name: str  # used in ?export=<name>
    title: str
    columns: Sequence[tuple[str, str]]  # (key, heading)
    rows: Sequence[dict]

    def cells(self):
        """Rows as lists of values in column order, for templates."""
        return [[row.get(key) for key, _heading in self.columns] for row in self.rows]


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 4)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _safe_text(value):
    """Spreadsheet formula injection: text starting with = + - @ is prefixed."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_response(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for _key, heading in table.columns])
    for row in table.rows:
        writer.writerow([_safe_text(_plain(row.get(key))) for key, _h in table.columns])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    # openpyxl is heavy (about a second to load): only an XLSX download pays for it.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    title = "".join(c for c in str(table.title) if c not in '[]:*?/\\')[:31].strip()
    sheet = book.create_sheet(title=title or "Sheet")
    sheet.append([str(heading) for _key, heading in table.columns])
    for row in table.rows:
        sheet.append([_safe_text(_plain(row.get(key))) for key, _h in table.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.xlsx"'
    return response


def json_response(tables: Sequence[Table], meta: dict, filename: str) -> HttpResponse:
    body = {**meta, "tables": {
        t.name: [{key: _plain(row.get(key)) for key, _h in t.columns} for row in t.rows]
        for t in tables}}
    response = HttpResponse(json.dumps(body, indent=1, default=str),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.json"'
    return response


def export(tables: Sequence[Table], *, name: str, fmt: str, filename: str) -> HttpResponse | None:
    """The response for ?export=<name>&format=<csv|xlsx>, or None when not asked."""
    table = next((t for t in tables if t.name == name), None)
    if table is None or fmt not in ("csv", "xlsx"):
        return None
    maker = csv_response if fmt == "csv" else xlsx_response
    return maker(table, f"{filename}-{table.name}")
