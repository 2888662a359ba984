"""Export cases as CSV or XLSX (`imbizo export-cases`), streamed.

The columns are the import's (cases.bulk_columns), so an export re-imports,
plus the computed due instants. Rows are read with one streamed query
(QuerySet.iterator: a server-side cursor on PostgreSQL), written as they
come; neither the cases nor the file are ever held in memory.

Without personal data (the default, for analysts) the name, phone number,
email and street address are left empty, the point is rounded to three
decimals (about 100 m), and email addresses and phone numbers written into
the free text are masked. Names written into free text cannot be found
reliably and stay. With personal data every column is exported as stored.
"""

import csv
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.errors import DomainError

from .bulk_columns import COLUMNS, COMPUTED, PERSONAL
from .disclosure import contact_details_masked
from .errors import CaseError
from .selectors import INSTITUTION, CaseFilter, Span, case_filtered

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2_000
HEADER = COLUMNS + COMPUTED
FREE_TEXT = ("description", "outcome_reason", "root_cause", "redress")

# What each column is read from (a field of the case, or of a related row).
_SOURCES = {
    "service_code": "service__code",
    "ward_code": "ward__code",
    "office_code": "office__code",
}


@dataclass(frozen=True)
class ExportFilter:
    """Which cases: opened on or after `opened_from` and on or before `opened_until`
    (dates in the institution's time zone), of these services, wards, offices and
    statuses (empty: any)."""

    opened_from: date | None = None
    opened_until: date | None = None
    services: tuple[str, ...] = ()
    wards: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def case_filter(self) -> CaseFilter:
        """The same choice as a CaseFilter: whole days, from the start of the first
        to the start of the day after the last."""
        tz = catalogue_snapshot().calendar.tz

        def day_start(day: date | None) -> datetime | None:
            return datetime.combine(day, time(), tz) if day else None

        return CaseFilter(
            service=self.services, ward=self.wards, office=self.offices, status=self.statuses,
            opened=Span(day_start(self.opened_from), day_start(
                self.opened_until + timedelta(days=1) if self.opened_until else None)))


@dataclass
class ExportSummary:
    cases: int = 0
    personal_data: bool = False
    filters: ExportFilter = field(default_factory=ExportFilter)


def cases_for_export(filters: ExportFilter) -> QuerySet:
    """The cases `filters` selects, oldest first; DomainError naming an unknown code."""
    if filters.opened_from and filters.opened_until and filters.opened_until < filters.opened_from:
        raise DomainError(CaseError.INVALID_CHOICE, _(
            "The end date is before the start date."), field="until")
    return case_filtered(viewer=INSTITUTION, filters=filters.case_filter()).order_by(
        "opened_at", "id")


def case_export_rows(*, filters: ExportFilter, personal_data: bool,
                     chunk_size: int | None = None) -> Iterator[list]:
    """The header, then one row per case (values in HEADER order), streamed."""
    tz = catalogue_snapshot().calendar.tz
    sources = [_SOURCES.get(name, name) for name in HEADER]
    yield list(HEADER)
    position = {name: i for i, name in enumerate(HEADER)}
    stamps = [position[n] for n in HEADER if n.endswith("_at") or n == "waiting_since"]
    flags = [position["contact_consent"], position["anonymous"]]
    lat, lon = position["lat"], position["lon"]
    attributes, principles = position["attributes"], position["principles"]
    personal = [position[n] for n in PERSONAL]
    free_text = [position[n] for n in FREE_TEXT]
    for values in cases_for_export(filters).values_list(*sources).iterator(
            chunk_size=chunk_size or CHUNK_SIZE):
        row = ["" if v is None else v for v in values]
        for i in stamps:
            if row[i]:
                row[i] = row[i].astimezone(tz).isoformat()
        for i in flags:
            row[i] = "yes" if row[i] else "no"
        row[attributes] = json.dumps(row[attributes], ensure_ascii=False, sort_keys=True) \
            if row[attributes] else ""
        row[principles] = ";".join(row[principles] or ())
        if not personal_data:
            for i in personal:
                row[i] = ""
            for i in (lat, lon):
                if row[i] != "":
                    row[i] = round(row[i], 3)
            for i in free_text:
                row[i] = text_masked(row[i])
        yield row


def text_masked(text: str) -> str:
    """`text` with email addresses and phone numbers replaced by [email] and [phone]
    (the one masking rule, with the labels docs/import-export.md promises)."""
    return contact_details_masked(text, email_mask="[email]", phone_mask="[phone]")


def cases_export_csv(stream: TextIO, *, filters: ExportFilter, personal_data: bool) -> ExportSummary:
    """Write the cases as CSV (UTF-8 text, header first) to `stream`."""
    writer = csv.writer(stream, lineterminator="\r\n")
    rows = case_export_rows(filters=filters, personal_data=personal_data)
    summary = ExportSummary(personal_data=personal_data, filters=filters)
    writer.writerow(next(rows))
    for row in rows:
        writer.writerow(row)
        summary.cases += 1
    _log(summary)
    return summary


def cases_export_xlsx(path, *, filters: ExportFilter, personal_data: bool) -> ExportSummary:
    """Write the cases to an XLSX workbook at `path` (openpyxl's write-only mode)."""
    # openpyxl is heavy (about a second to load): only an XLSX export pays for it.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cases"))
    rows = case_export_rows(filters=filters, personal_data=personal_data)
    summary = ExportSummary(personal_data=personal_data, filters=filters)
    sheet.append(next(rows))
    for row in rows:
        sheet.append(row)
        summary.cases += 1
    workbook.save(path)
    _log(summary)
    return summary


def _log(summary: ExportSummary) -> None:
    # What was exported, never what it contained; who ran it is the operator's session.
    chosen = {k: (v.isoformat() if isinstance(v, date) else ",".join(v))
              for k, v in vars(summary.filters).items() if v}
    logger.info("cases exported: %d, personal data: %s, filters: %s", summary.cases,
                "yes" if summary.personal_data else "no",
                " ".join(f"{k}={v}" for k, v in chosen.items()) or "none")
