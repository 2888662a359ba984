"""Import historical cases from a CSV file (`imbizo import-cases FILE.csv`).

The file is read as a stream, a batch of rows at a time, and checked row by
row; everything goes in one transaction, so a file with any bad row writes
nothing. Errors name the row (the header is row 1, as in a spreadsheet) and
the column, and say what is wrong; checking goes on past the first error to
report several at once, up to a limit.

Imported cases are history: they keep their status and timestamps, get the
due instants the standard in force when they opened promised (cases.clocks
through cases.due_memo, with the working calendar), deadlines already past
recorded as missed, and an opening CaseEvent. Nothing is sent: no
acknowledgement, no apology, no survey, no signal to other apps (ADR 0012).
Open cases keep running clocks for what still lies ahead, so the sweep warns
and escalates them from now on like any other case.

PostgreSQL gets every batch with binary COPY; SQLite, executemany (core.bulk).
Lookups (services, standards, wards, offices, routing) come from maps built
once; points go to the ward index a batch at a time; references are checked
against the database a batch at a time, which, inside the one transaction,
also sees the rows of earlier batches.
"""

import csv
import io
import json
import math
import os
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from difflib import get_close_matches
from functools import cache, lru_cache
from operator import itemgetter
from typing import BinaryIO

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection, transaction
from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imbizo.catalogue.models import Channel, Service, ServiceAttribute
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.core.bulk import bulk_insert
from imbizo.core.errors import DomainError
from imbizo.core.limits import LINE_MAX, TEXT_MAX
from imbizo.geo.models import Ward
from imbizo.geo.selectors import ward_ids_at_many
from imbizo.org.models import Office
from imbizo.org.selectors import institution_country

from . import clocks
from .bulk_columns import COLUMNS, COMPUTED, REQUIRED
from .due_memo import DueMemo
from .errors import CaseError
from .intake import attributes_check, phone_normalise
from .models import (
    Case,
    CaseEvent,
    ClientType,
    EscalationStep,
    EventKind,
    Kind,
    Outcome,
    Principle,
    Priority,
    StatusChoice,
)
from .reference import reference_new, reference_parse
from .routing import route
from .services import promise_of
from .transitions import DONE_STATUSES, OPEN_STATUSES, WAITING_STATUSES, Status

DEFAULT_ENCODING = "utf-8-sig"  # UTF-8, with or without the byte-order mark Excel writes
MAX_ERRORS = 20
BATCH_SIZE = 2_000

# The timestamp each status needs: the moment the case reached it.
STATUS_TIMESTAMP = {
    Status.RECEIVED: None,
    Status.ACKNOWLEDGED: "acknowledged_at",
    Status.ASSIGNED: "assigned_at",
    Status.IN_PROGRESS: "started_at",
    Status.WAITING_CITIZEN: "waiting_since",
    Status.WAITING_THIRD_PARTY: "waiting_since",
    Status.RESOLVED: "resolved_at",
    Status.CLOSED: "closed_at",
    Status.REOPENED: "reopened_at",
}
_TRUE = frozenset({"1", "yes", "y", "true", "t"})
_FALSE = frozenset({"", "0", "no", "n", "false", "f"})

Progress = Callable[[int, int, int], None]  # rows read, bytes read, bytes in the file (0: unknown)


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: `row` counts the header as row 1 (None: the whole file)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


class ImportRejected(DomainError):
    """The file was not imported; `errors` says why (at most the import's limit)."""

    def __init__(self, errors: list[RowError], *, stopped_early: bool = False):
        self.errors = errors
        self.stopped_early = stopped_early
        rows = {e.row for e in errors if e.row is not None}
        if stopped_early:
            message = _("Nothing was imported. Checking stopped after %(n)d errors; "
                        "fix these and run the import again.") % {"n": len(errors)}
        elif rows:
            message = ngettext("Nothing was imported: %(n)d row has errors.",
                               "Nothing was imported: %(n)d rows have errors.",
                               len(rows)) % {"n": len(rows)}
        else:
            message = _("Nothing was imported.")
        super().__init__(CaseError.IMPORT_REJECTED, message)


@dataclass(frozen=True)
class ImportSummary:
    cases: int
    dry_run: bool = False

    def __str__(self) -> str:
        if self.dry_run:
            return ngettext("Checked %(n)s case; all are fine. Nothing was written (dry run).",
                            "Checked %(n)s cases; all are fine. Nothing was written (dry run).",
                            self.cases) % {"n": f"{self.cases:,}"}
        return ngettext("Imported %(n)s case.", "Imported %(n)s cases.",
                        self.cases) % {"n": f"{self.cases:,}"}


def cases_import(
    *, file: BinaryIO, encoding: str = DEFAULT_ENCODING, max_errors: int = MAX_ERRORS,
    batch_size: int = BATCH_SIZE, dry_run: bool = False, progress: Progress | None = None,
) -> ImportSummary:
    """Import every case in the CSV `file` (binary, read once, front to back), or none.

    Raises ImportRejected naming up to `max_errors` problems. With `dry_run`
    everything is checked, database included, and nothing is kept.
    """
    records = _Records(file, encoding)
    try:
        return _import(records, max_errors=max_errors, batch_size=batch_size, dry_run=dry_run,
                       progress=progress)
    finally:
        records.text.detach()  # the caller's file stays open: it is the caller's to close


def _import(records: "_Records", *, max_errors, batch_size, dry_run, progress) -> ImportSummary:
    checker = _Checker(records.header(), now=clock.now())
    errors: list[RowError] = []
    imported = 0
    with transaction.atomic():
        for batch in records.batches(batch_size):
            cases = checker.batch(batch, errors, max_errors=max_errors)
            del batch  # memory stays flat: one batch at a time
            if not errors:
                _write(cases)
                imported += len(cases)
            del cases
            if progress:
                progress(records.row - 1, records.position(), records.size)
            if len(errors) >= max_errors:
                raise ImportRejected(errors[:max_errors], stopped_early=True)
        if records.problem is not None:
            errors.append(records.problem)
        if errors:
            raise ImportRejected(errors)
        if dry_run:
            transaction.set_rollback(True)
    return ImportSummary(cases=imported, dry_run=dry_run)


# --- reading -------------------------------------------------------------------------------


class _Records:
    """The file's CSV records with their row numbers; a decoding or CSV syntax error
    ends the records and is kept in `problem`."""

    def __init__(self, file: BinaryIO, encoding: str):
        self.raw = file
        self.size = _size_of(file)
        try:
            self.text = io.TextIOWrapper(file, encoding=encoding, newline="")
        except LookupError as exc:
            raise ImportRejected([RowError(None, None, _("Unknown encoding '%(e)s'.")
                                           % {"e": encoding})]) from exc
        self.reader = csv.reader(self.text, strict=True)
        self.row = 0
        self.problem: RowError | None = None

    def position(self) -> int:
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    def header(self) -> list[str]:
        try:
            cells = next(self._rows(), None)
        finally:
            if self.problem is not None:
                raise ImportRejected([self.problem])
        if cells is None or not any(c.strip() for c in cells):
            raise ImportRejected([RowError(None, None, _(
                "The file is empty: the first row must name the columns, such as %(columns)s.")
                % {"columns": ", ".join(REQUIRED)})])
        return cells

    def _rows(self) -> Iterator[list[str]]:
        while True:
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.problem = RowError(self.row + 1, None, _(
                    "the file cannot be read as CSV here (%(reason)s); check the quotes in "
                    "this row and the one before it.") % {"reason": exc})
                return
            except UnicodeDecodeError as exc:
                self.problem = RowError(self.row + 1, None, _(
                    "the file is not %(encoding)s text around byte %(byte)d; save it as "
                    "'CSV UTF-8' or give its encoding with --encoding.")
                    % {"encoding": self.text.encoding, "byte": self.position() - len(exc.object)
                       + exc.start})
                return
            self.row += 1
            yield cells

    def batches(self, size: int) -> Iterator[list[tuple[int, list[str]]]]:
        batch: list[tuple[int, list[str]]] = []
        for cells in self._rows():
            if len(cells) == 1 and not cells[0].strip() or not cells:
                continue  # a blank line
            batch.append((self.row, cells))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch


def _size_of(file: BinaryIO) -> int:
    try:
        return os.fstat(file.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        pass
    try:
        here = file.tell()
        size = file.seek(0, io.SEEK_END)
        file.seek(here)
        return size
    except (OSError, AttributeError, io.UnsupportedOperation):
        return 0


def _header_check(cells: list[str]) -> dict[str, int]:
    names = [c.strip().lower() for c in cells]
    known = set(COLUMNS) | set(COMPUTED)
    problems = []
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(RowError(1, None, _("column %(n)d has no name.") % {"n": position}))
        elif name in seen:
            problems.append(RowError(1, name, _("this column appears twice.")))
        elif name not in known:
            close = get_close_matches(name, COLUMNS, n=1)
            hint = _(" Did you mean '%(name)s'?") % {"name": close[0]} if close else ""
            problems.append(RowError(1, name, _(
                "there is no such column.%(hint)s The columns are listed in docs/import-export.md.")
                % {"hint": hint}))
        seen.setdefault(name, position - 1)
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        problems.append(RowError(1, None, ngettext(
            "the header lacks the required column %(names)s.",
            "the header lacks the required columns %(names)s.", len(missing))
            % {"names": ", ".join(missing)}))
    if ("lat" in seen) != ("lon" in seen):
        problems.append(RowError(1, "lon" if "lat" in seen else "lat", _(
            "give both lat and lon columns, or neither.")))
    if problems:
        raise ImportRejected(problems)
    return {name: index for name, index in seen.items() if name in COLUMNS}


# --- checking ------------------------------------------------------------------------------


class _Cells(dict):
    """A row's cells by column name; a column the file leaves out reads as empty."""

    def __missing__(self, name: str) -> str:
        return ""


class _Invalid(Exception):
    def __init__(self, column: str, message: str):
        self.column = column
        self.message = message


class _EmailCheck(EmailValidator):
    """Django's email check, remembering which domains passed (one file has few)."""

    def __init__(self):
        super().__init__()
        self._domains: dict[str, bool] = {}

    def validate_domain_part(self, domain_part):
        answer = self._domains.get(domain_part)
        if answer is None:
            answer = super().validate_domain_part(domain_part)
            if len(self._domains) < 10_000:
                self._domains[domain_part] = answer
        return answer


@lru_cache(maxsize=4096)  # callers call again: a few numbers recur often
def _phone(raw: str, region: str) -> str | None:
    """E.164 form, or None when not a valid number (intake.phone_normalise's rule,
    a number without a country code read as one of `region`)."""
    if raw.startswith("+") and raw[1:].isdigit() and len(raw) <= 16:
        # Already international: skip the parsing of free text, check the number itself.
        for length in (1, 2, 3):
            code = int(raw[1:1 + length])
            rest = raw[1 + length:]
            if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE and rest and rest[0] != "0":
                valid = _national_check(code)
                if valid is not None:
                    return raw if valid(rest) else None
                number = phonenumbers.PhoneNumber(country_code=code, national_number=int(rest))
                return raw if phonenumbers.is_valid_number(number) else None
    try:
        return phone_normalise(raw, region=region)
    except DomainError:
        return None


# The number types phonenumbers tries, in its order (phonenumberutil._number_type_helper).
_NUMBER_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
                 "uan", "voicemail", "fixed_line")


@cache  # one per country calling code, at most a few hundred
def _national_check(code: int) -> Callable[[str], bool] | None:
    """phonenumbers.is_valid_number for the national significant numbers of `code`, with
    its patterns compiled once: is_valid_number compiles (through re's small cache) and
    tries up to a dozen patterns per call, ~14 µs. None where `code` has several regions
    or none (the library then finds the region from the number)."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
    if len(regions) != 1 or regions[0] == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
        return None
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(regions[0])
    if metadata is None:
        return None

    def fits(number_desc, length: int) -> bool:
        # A desc with no pattern matches nothing; one with no lengths, any length.
        return bool(number_desc is not None and number_desc.national_number_pattern
                    and (not number_desc.possible_length or length in number_desc.possible_length))

    types = [getattr(metadata, name) for name in _NUMBER_TYPES]
    if not metadata.same_mobile_and_fixed_line_pattern:
        types.append(metadata.mobile)
    general = metadata.general_desc
    # Per length: the general pattern, and the types' patterns as one alternation
    # (fullmatch tries every branch, so it matches when any one type does).
    by_length: dict[int, tuple[re.Pattern, re.Pattern]] = {}
    for length in range(1, 18):
        kinds = [t.national_number_pattern for t in types if fits(t, length)]
        if fits(general, length) and kinds:
            by_length[length] = (re.compile(general.national_number_pattern),
                                 re.compile("|".join(f"(?:{k})" for k in kinds)))

    def valid(nsn: str) -> bool:
        # Valid: the general pattern and that of at least one type (the type is not UNKNOWN).
        patterns = by_length.get(len(nsn))
        return bool(patterns and patterns[0].fullmatch(nsn) and patterns[1].fullmatch(nsn))

    return valid


class _Checker:
    """Checks rows against the catalogue, places and offices (maps built once) and
    turns them into case rows with their clocks."""

    def __init__(self, header: list[str], *, now: datetime):
        index = _header_check(header)
        # Each header position's column name; "" for computed columns, which are ignored.
        self.names = [""] * len(header)
        for name, position in index.items():
            self.names[position] = name
        self.width = len(header)
        self.now = now
        self.services = {
            s.code: s for s in Service.objects.prefetch_related(
                Prefetch("attributes", queryset=ServiceAttribute.objects.order_by("order", "id"),
                         to_attr="questions"))
        }
        self.wards = dict(Ward.objects.values_list("code", "id"))
        self.offices = dict(Office.objects.values_list("code", "id"))
        snapshot = catalogue_snapshot()
        self.snapshot = snapshot
        self.cal = snapshot.calendar
        self.memo = DueMemo(self.cal)
        self.promises: dict[int, clocks.Promise] = {}
        self.ladder = list(EscalationStep.objects.order_by("level"))
        self.routes: dict[tuple[int, int | None], int | None] = {}
        self.escalations: dict[tuple[datetime, int], datetime] = {}
        self.email = _EmailCheck()
        self.rng = _Draws()

    # One batch: rows checked one by one, then what needs the whole batch.
    def batch(self, batch, errors: list[RowError], *, max_errors: int) -> list[dict]:
        cases = []
        for row, cells in batch:
            found: list[RowError] = []
            case = self._row(row, cells, found)
            if found:
                errors.extend(found)
                if len(errors) >= max_errors:
                    return []
            elif case is not None:
                cases.append(case)
        cases = self._places(cases, errors)
        cases = self._references(cases, errors)
        for case in cases:
            self._clocks(case)
        return cases

    def _row(self, row: int, cells: list[str], found: list[RowError]) -> dict | None:
        if len(cells) != self.width:
            found.append(RowError(row, None, _(
                "this row has %(n)d cells and the header %(m)d; check for a missing or extra "
                "separator.") % {"n": len(cells), "m": self.width}))
            return None
        values = _Cells(zip(self.names, map(str.strip, cells), strict=True))
        values.pop("", None)  # an ignored column (a computed one)
        cell = values.__getitem__  # a C call: some 36 a row, a Python function cost more
        case: dict = {"_row": row}
        try:
            self._essentials(cell, case)
        except _Invalid as problem:
            # The other checks need to know the service and the status.
            found.append(RowError(row, problem.column, problem.message))
            return None
        for check in (self._choices, self._text, self._reference, self._where, self._who,
                      self._when, self._outcome):
            try:
                check(cell, case)
            except _Invalid as problem:
                found.append(RowError(row, problem.column, problem.message))
        return case

    def _essentials(self, cell, case: dict) -> None:
        code = cell("service_code")
        service = self.services.get(code)
        if service is None:
            raise _Invalid("service_code", _("there is no service with the code '%(code)s'.")
                           % {"code": code} if code else _("the service code is empty."))
        case["service"] = service
        case["service_id"] = service.pk
        case["status"] = _choice(cell("status"), _STATUSES, "status")

    def _choices(self, cell, case: dict) -> None:
        case["kind"] = _choice(cell("kind") or Kind.REQUEST, _KINDS, "kind")
        case["channel"] = _choice(cell("channel"), _CHANNELS, "channel")
        case["priority"] = _choice(cell("priority") or Priority.NORMAL, _PRIORITIES, "priority")
        case["client_type"] = _choice(cell("client_type") or ClientType.EXTERNAL, _CLIENT_TYPES,
                                      "client_type")
        principles = cell("principles")
        case["principles"] = [_choice(p.strip(), _PRINCIPLES, "principles")
                              for p in principles.split(";") if p.strip()] if principles else []

    def _text(self, cell, case: dict) -> None:
        description = cell("description")
        if not description:
            raise _Invalid("description", _("the description is empty."))
        if len(description) > TEXT_MAX:
            raise _Invalid("description", _(
                "the description is %(n)d characters long; the limit is %(max)d.")
                % {"n": len(description), "max": TEXT_MAX})
        case["description"] = description
        answers = cell("attributes")
        case["attributes"] = {}
        if answers:
            try:
                parsed = json.loads(answers)
            except ValueError as exc:
                raise _Invalid("attributes", _(
                    'this is not JSON; write the answers as {"question_code": "answer"}.')) from exc
            if not isinstance(parsed, dict):
                raise _Invalid("attributes", _(
                    'write the answers as a JSON object: {"question_code": "answer"}.'))
            try:
                case["attributes"] = attributes_check(case["service"], parsed)
            except DomainError as exc:
                raise _Invalid("attributes", f"{exc.field}: {exc.message}") from exc

    def _reference(self, cell, case: dict) -> None:
        reference = cell("reference")
        if reference:
            canonical = reference_parse(reference)
            if canonical is None:
                raise _Invalid("reference", _(
                    "'%(ref)s' is not a valid reference (eight symbols such as 4F7K-2M9E, the "
                    "last one a check); leave it empty to have one made.") % {"ref": reference})
            case["reference"] = canonical

    def _where(self, cell, case: dict) -> None:
        address = cell("address")
        _length(address, 255, "address")
        case["address"] = address
        lat, lon = cell("lat"), cell("lon")
        case["lat"] = case["lon"] = None
        if lat or lon:
            if not (lat and lon):
                raise _Invalid("lon" if lat else "lat",
                               _("a location needs both a latitude and a longitude."))
            case["lat"] = _number(lat, "lat", -90, 90)
            case["lon"] = _number(lon, "lon", -180, 180)
        ward_code = cell("ward_code")
        case["ward_id"] = None
        if ward_code:
            ward_id = self.wards.get(ward_code)
            if ward_id is None:
                raise _Invalid("ward_code", _("there is no ward with the code '%(code)s'.")
                               % {"code": ward_code})
            case["ward_id"] = ward_id
        office_code = cell("office_code")
        case["office_id"] = None
        if office_code:
            office_id = self.offices.get(office_code)
            if office_id is None:
                raise _Invalid("office_code", _("there is no office with the code '%(code)s'.")
                               % {"code": office_code})
            case["office_id"] = office_id

    def _who(self, cell, case: dict) -> None:
        anonymous = _flag(cell("anonymous"), "anonymous")
        consent = _flag(cell("contact_consent"), "contact_consent")
        case["anonymous"] = anonymous
        if anonymous:
            # As at intake: an anonymous case keeps no contact details.
            case.update(citizen_name="", citizen_phone="", citizen_email="", contact_consent=False)
            return
        name = cell("citizen_name")
        _length(name, 160, "citizen_name")
        phone = cell("citizen_phone")
        if phone:
            # The number itself is personal data: the message does not repeat it.
            normal = _phone(phone, institution_country().code)
            if normal is None:
                raise _Invalid("citizen_phone", _(
                    "this is not a valid phone number; write it as +27821234567 or 082 123 4567."))
            phone = normal
        email = cell("citizen_email")
        if email:
            try:
                _length(email, 254, "citizen_email")
                self.email(email)
            except ValidationError as exc:
                raise _Invalid("citizen_email", _("this is not an email address.")) from exc
        case.update(citizen_name=name, citizen_phone=phone, citizen_email=email,
                    contact_consent=bool(consent and (phone or email)))

    def _when(self, cell, case: dict) -> None:
        stamps = {}
        for name in ("opened_at", "acknowledged_at", "assigned_at", "started_at", "waiting_since",
                     "resolved_at", "closed_at", "reopened_at"):
            text = cell(name)
            stamps[name] = _timestamp(text, name, self.now) if text else None
        opened = stamps["opened_at"]
        if opened is None:
            raise _Invalid("opened_at", _("when the case opened is required."))
        for name, value in stamps.items():
            if value is not None and value < opened:
                raise _Invalid(name, _("this is before the case opened (%(opened)s).")
                               % {"opened": opened.isoformat()})
        status = case.get("status")
        needed = STATUS_TIMESTAMP.get(status)
        if needed and stamps[needed] is None:
            raise _Invalid(needed, _("a case that is %(status)s needs %(column)s.")
                           % {"status": _status_words(status), "column": needed})
        if stamps["resolved_at"] and stamps["closed_at"] and stamps["closed_at"] < stamps["resolved_at"]:
            raise _Invalid("closed_at", _("the case closed before it was resolved."))
        reopened = stamps["reopened_at"]
        if reopened and status in DONE_STATUSES and stamps[needed] < reopened:
            raise _Invalid(needed, _("a case reopened at %(reopened)s was %(done)s again later.")
                           % {"reopened": reopened.isoformat(), "done": _status_words(status)})
        if status in OPEN_STATUSES:
            for name in ("resolved_at", "closed_at"):
                if stamps[name] and not (reopened and reopened >= stamps[name]):
                    raise _Invalid(name, _(
                        "a case that is %(status)s was not %(done)s, unless it was reopened "
                        "later (reopened_at).") % {"status": _status_words(status),
                                                    "done": name.removesuffix("_at")})
        if stamps["acknowledged_at"] is None:
            # As the transitions do: assigning, starting or waiting acknowledges a case.
            stamps["acknowledged_at"] = min(
                (stamps[n] for n in ("assigned_at", "started_at", "waiting_since") if stamps[n]),
                default=None)
        case.update(stamps)
        case["reopen_count"] = 1 if stamps["reopened_at"] else 0

    def _outcome(self, cell, case: dict) -> None:
        outcome = cell("outcome")
        status = case.get("status")
        reason, referred_to = cell("outcome_reason"), cell("referred_to")
        for name, limit in (("outcome_reason", TEXT_MAX), ("referred_to", LINE_MAX),
                            ("root_cause", TEXT_MAX), ("redress", TEXT_MAX)):
            _length(cell(name), limit, name)
        if status in DONE_STATUSES:
            if not outcome:
                raise _Invalid("outcome", _(
                    "a case that is %(status)s needs an outcome: %(choices)s.")
                    % {"status": _status_words(status), "choices": ", ".join(Outcome.values)})
            _choice(outcome, _OUTCOMES, "outcome")
            if outcome == Outcome.NOT_FIXED and not reason:
                raise _Invalid("outcome_reason", _("say why it was not fixed."))
            if outcome == Outcome.REFERRED and not referred_to:
                raise _Invalid("referred_to", _("name the body it was referred to."))
        elif outcome:
            raise _Invalid("outcome", _(
                "a case that is %(status)s has no outcome yet; leave this empty.")
                % {"status": _status_words(status)})
        case.update(outcome=outcome, outcome_reason=reason, referred_to=referred_to,
                    root_cause=cell("root_cause"), redress=cell("redress"))

    # --- what needs the whole batch ---------------------------------------------------------

    def _places(self, cases: list[dict], errors: list[RowError]) -> list[dict]:
        located = [c for c in cases if c["ward_id"] is None and c["lat"] is not None]
        if located:
            for case, ward_id in zip(located, ward_ids_at_many(
                    [(c["lat"], c["lon"]) for c in located]), strict=True):
                case["ward_id"] = ward_id
        kept = []
        for case in cases:
            if case["ward_id"] is None and case["lat"] is not None:
                errors.append(RowError(case["_row"], "lat", _(
                    "this location is outside every ward; check lat and lon, or give the "
                    "ward_code.")))
                continue
            if case["office_id"] is None:
                key = (case["service_id"], case["ward_id"])
                if key not in self.routes:
                    office = route(service_id=key[0], ward_id=key[1])
                    self.routes[key] = office.pk if office else None
                case["office_id"] = self.routes[key]
            kept.append(case)
        return kept

    def _references(self, cases: list[dict], errors: list[RowError]) -> list[dict]:
        """Given references must be new; made ones are drawn again until they are."""
        used: dict[str, dict] = {}
        kept = []
        for case in cases:
            reference = case.get("reference")
            if reference is not None:
                if reference in used:
                    errors.append(RowError(case["_row"], "reference", _(
                        "%(ref)s is also the reference of row %(row)d.")
                        % {"ref": reference, "row": used[reference]["_row"]}))
                    continue
                used[reference] = case
            kept.append(case)
        taken = set(_references_taken(list(used)))
        for reference in taken:
            errors.append(RowError(used.pop(reference)["_row"], "reference", _(
                "%(ref)s is already the reference of a case (in the database or earlier in "
                "this file).") % {"ref": reference}))
        kept = [c for c in kept if c.get("reference") not in taken]
        pending = [c for c in kept if c.get("reference") is None]
        while pending:
            drawn: dict[str, dict] = {}
            again = []
            for case in pending:
                reference = reference_new(self.rng)
                if reference in used or reference in drawn:
                    again.append(case)
                else:
                    drawn[reference] = case
            for reference in _references_taken(list(drawn)):
                again.append(drawn.pop(reference))
            for reference, case in drawn.items():
                case["reference"] = reference
            used.update(drawn)
            pending = again
        return kept

    def _escalation_due(self, resolve_due: datetime, after_hours: int) -> datetime:
        key = (resolve_due, after_hours)
        due = self.escalations.get(key)
        if due is None:
            if len(self.escalations) > 100_000:
                self.escalations.clear()
            due = self.escalations[key] = clocks.escalation_due(self.cal, resolve_due, after_hours)
        return due

    def _clocks(self, case: dict) -> None:
        """The due instants and clock state the live services would have left."""
        service = case.pop("service")
        opened = case["opened_at"]
        standard = self.snapshot.standard_in_force(service.pk, opened.astimezone(self.cal.tz).date())
        case["standard_id"] = standard.pk if standard else None
        status = case["status"]
        if standard is None:
            return
        promise = self.promises.get(standard.pk)
        if promise is None:
            promise = self.promises[standard.pk] = promise_of(standard)
        due = self.memo.due(promise, opened)
        ack_due, update_due = due.ack_due_at, due.update_due_at
        resolve_due, warn_at = due.resolve_due_at, due.resolve_warn_at
        if case["reopened_at"] is not None:
            # Reopening restarts the resolution and update clocks (ClockEffect.RESTART).
            again = self.memo.due(promise, case["reopened_at"])
            update_due, resolve_due, warn_at = (again.update_due_at, again.resolve_due_at,
                                                again.resolve_warn_at)
        is_open = status in OPEN_STATUSES
        # Where each clock stopped: at resolution (or closing), when the wait began, or now.
        if is_open:
            stopped = case["waiting_since"] if status in WAITING_STATUSES else self.now
        else:
            resolved, reopened = case["resolved_at"], case["reopened_at"]
            stopped = resolved if resolved and (reopened is None or resolved >= reopened) \
                else case["closed_at"]
        acknowledged = case["acknowledged_at"]
        fields = {"ack_due_at": ack_due, "update_due_at": update_due,
                  "resolve_due_at": resolve_due, "resolve_warn_at": warn_at}
        # Deadlines already missed are recorded as missed when they fell due; the
        # sweep does not fire for them (nothing is sent for history).
        if (acknowledged or (self.now if is_open else stopped)) > ack_due:
            fields["ack_breached_at"] = ack_due
        if is_open and status not in WAITING_STATUSES and update_due < self.now:
            fields["update_overdue_at"] = update_due
        if resolve_due < stopped:
            fields["resolve_breached_at"] = resolve_due
            fields["resolve_warned_at"] = warn_at or resolve_due
            level = 0
            for step in self.ladder:
                step_due = self._escalation_due(resolve_due, step.after_hours)
                if step_due >= stopped:
                    if is_open and status not in WAITING_STATUSES:
                        fields["escalate_next_at"] = step_due
                    break
                level = step.level
            fields["escalation_level"] = level
        elif warn_at is not None and warn_at < stopped:
            fields["resolve_warned_at"] = warn_at
        if status in WAITING_STATUSES:
            # The wait paused the resolution clock with the working time that was left.
            fields["resolve_paused_seconds"] = clocks.remaining_seconds(
                self.cal, case["waiting_since"], resolve_due)
            fields["resolve_due_at"] = fields["resolve_warn_at"] = None
        if is_open:
            # As services._next_check_update: the earliest instant the sweep has work.
            fields["next_check_at"] = clocks.next_check(
                fields["ack_due_at"] if acknowledged is None and "ack_breached_at" not in fields
                else None,
                fields["update_due_at"] if "update_overdue_at" not in fields else None,
                fields["resolve_warn_at"] if "resolve_warned_at" not in fields else None,
                fields["resolve_due_at"] if "resolve_breached_at" not in fields else None,
                fields.get("escalate_next_at"),
            )
        case.update(fields)


def _status_words(status) -> str:
    return str(status).replace("_", " ")


def _values(choices) -> tuple[frozenset[str], str]:
    return frozenset(choices.values), ", ".join(choices.values)


class _Draws:
    """Random numbers for references from the system's generator, drawn a thousand at a
    time (one system call instead of one per case)."""

    def __init__(self):
        self._numbers: list[int] = []

    def randrange(self, stop: int) -> int:
        if not self._numbers:
            pool = secrets.token_bytes(8 * 1000)
            self._numbers = [int.from_bytes(pool[i:i + 8], "big") for i in range(0, len(pool), 8)]
        # 2**64 is 670 million times 31**7: the remainder's bias is negligible.
        return self._numbers.pop() % stop


_STATUSES, _KINDS, _CHANNELS, _PRIORITIES, _CLIENT_TYPES, _PRINCIPLES, _OUTCOMES = (
    _values(c) for c in (StatusChoice, Kind, Channel, Priority, ClientType, Principle, Outcome))


def _choice(value: str, choices: tuple[frozenset[str], str], column: str) -> str:
    if value not in choices[0]:
        raise _Invalid(column, _("'%(value)s' is not one of: %(allowed)s.")
                       % {"value": value, "allowed": choices[1]})
    return value


def _length(text: str, limit: int, column: str) -> None:
    if len(text) > limit:
        raise _Invalid(column, _("this is %(n)d characters long; the limit is %(max)d.")
                       % {"n": len(text), "max": limit})


def _flag(text: str, column: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _Invalid(column, _("'%(value)s' is not yes or no (also: true/false, 1/0).")
                   % {"value": text})


def _number(text: str, column: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not low <= value <= high:
        raise _Invalid(column, _("'%(value)s' is not a number from %(low)s to %(high)s.")
                       % {"value": text, "low": low, "high": high})
    return value


def _timestamp(text: str, column: str, now: datetime) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        hint = _(" It has no UTC offset.") if value is not None else ""
        raise _Invalid(column, _(
            "'%(value)s' is not a date and time with its UTC offset, such as "
            "2025-03-01T14:30:00+02:00.%(hint)s") % {"value": text, "hint": hint})
    if value > now:
        raise _Invalid(column, _("%(value)s is in the future.") % {"value": text})
    return value


def _references_taken(references: list[str]) -> list[str]:
    """Which of `references` cases already have (this transaction's rows included)."""
    if not references:
        return []
    if connection.vendor == "postgresql":
        # One array parameter: a long IN list costs more to send than to look up.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT reference FROM {Case._meta.db_table} "  # noqa: S608
                           "WHERE reference = ANY(%s)", [references])
            return [row[0] for row in cursor.fetchall()]
    taken: list[str] = []
    for start in range(0, len(references), 900):
        taken.extend(Case.objects.filter(reference__in=references[start:start + 900])
                     .values_list("reference", flat=True))
    return taken


# --- writing -------------------------------------------------------------------------------


def _write(cases: list[dict]) -> None:
    """Insert the cases of one batch and their opening events (inside the caller's transaction)."""
    if not cases:
        return
    ids = _case_ids(len(cases))
    now = clock.now()
    postgres = connection.vendor == "postgresql"
    events = []
    for case, case_id in zip(cases, ids, strict=True):
        case["id"] = case_id
        channel = case["channel"]
        events.append({"case_id": case_id, "kind": EventKind.OPENED, "at": case["opened_at"],
                       "public": True, "to_status": Status.RECEIVED,
                       "details": _opened_details(channel) if postgres
                       else {"channel": channel, "imported": True}})
    if postgres:
        _copy(Case, cases, now, with_pk=True)
        _copy(CaseEvent, events, now, with_pk=False)
    else:
        bulk_insert(Case, cases, batch_size=len(cases), now=now, with_pk=True)
        bulk_insert(CaseEvent, events, batch_size=len(events))


@lru_cache(maxsize=64)  # one per channel
def _opened_details(channel: str) -> "_JsonText":
    return _JsonText(json.dumps({"channel": channel, "imported": True}))


@lru_cache(maxsize=4)
def _copy_plan(model, with_pk: bool):
    """The columns of `model` in order (the primary key only `with_pk`), and the value a row
    that leaves one out gets."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    defaults = {}
    for field in fields:
        default = None if field.auto_created or getattr(field, "auto_now", False) \
            else field.get_default()
        defaults[field.attname] = str(default) if isinstance(default, str) else default
    json_fields = tuple(f.attname for f in fields if f.get_internal_type() == "JSONField")
    quote = connection.ops.quote_name
    sql = (f"COPY {quote(model._meta.db_table)} "
           f"({', '.join(quote(f.column) for f in fields)}) FROM STDIN (FORMAT BINARY)")
    auto_now = tuple(f.attname for f in fields if getattr(f, "auto_now", False))
    return sql, defaults, json_fields, auto_now, itemgetter(*(f.attname for f in fields))


@lru_cache(maxsize=4)
def _column_types(model, with_pk: bool) -> list[int]:
    """The type oid of each column _copy_plan names, for binary COPY. Built-in types only
    (their oids are the same in every database), so one look-up per process will do."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, atttypid FROM pg_attribute "
                       "WHERE attrelid = %s::regclass AND attnum > 0", [table])
        oids = dict(cursor.fetchall())
    return [int(oids[column]) for column in columns]


class _JsonText(str):
    """JSON already written out as text (a jsonb column's value in _copy)."""


@lru_cache(maxsize=1)
def _json_text_dumper():
    # psycopg is heavy to load and only COPY on PostgreSQL needs these (not SQLite).
    from psycopg import adapt, postgres, pq

    class JsonTextBinaryDumper(adapt.Dumper):
        """jsonb in binary COPY from text already dumped: psycopg's own jsonb dumper would
        dump it again, as a JSON string."""

        format = pq.Format.BINARY
        oid = postgres.types["jsonb"].oid

        def dump(self, obj):
            return b"\x01" + obj.encode()  # jsonb's binary form: version 1, then the text

    return JsonTextBinaryDumper


_EMPTY_JSON = {list: _JsonText("[]"), dict: _JsonText("{}")}


def _copy(model, rows: list[dict], now: datetime, *, with_pk: bool) -> None:
    """COPY `rows` into `model`'s table: tuples straight from the checked rows, in binary
    (psycopg formats a case row in a third of the time it takes for text)."""
    sql, defaults, json_fields, auto_now, values = _copy_plan(model, with_pk)
    types = _column_types(model, with_pk)
    dumps = json.dumps
    empty = _EMPTY_JSON.get
    stamped = dict.fromkeys(auto_now, now)
    with connection.cursor() as cursor:
        # This cursor's adapters only: every jsonb column gets text already dumped.
        cursor.cursor.adapters.register_dumper(_JsonText, _json_text_dumper())
        with cursor.cursor.copy(sql) as copy:
            copy.set_types(types)
            write = copy.write_row
            for row in rows:
                full = {**defaults, **row, **stamped}
                for name in json_fields:
                    value = full[name]
                    if type(value) is not _JsonText:
                        full[name] = (not value and empty(type(value))) or _JsonText(dumps(value))
                write(values(full))


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
