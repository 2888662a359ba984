"""Checking a case file's rows with cases.rules (the rules intake checks too) and turning
them into case rows: the cells of one row, then what needs a batch at once (wards from
points, routing, references new to the database).

Lookups (services, wards, offices, routes) are maps built once; points go to the ward
index a batch at a time; references are checked against the database a batch at a
time, which inside the import's one transaction also sees the rows of earlier batches.
Each problem becomes a RowError naming the row and the column, in the import's words.
"""

import json
import math
import secrets
from datetime import datetime

from django.db import connection
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from imbizo.cases import rules
from imbizo.cases.intake import STAFF_TYPED_CHANNELS, attributes_check, phone_normalise
from imbizo.cases.models import Case, ClientType, Kind, Priority
from imbizo.cases.reference import reference_new, reference_parse
from imbizo.cases.routing import route
from imbizo.cases.rules import Broken, Reason
from imbizo.catalogue.models import Service, ServiceAttribute
from imbizo.core.errors import DomainError
from imbizo.core.inputs import TextFault, text_fault
from imbizo.geo.models import Ward
from imbizo.geo.selectors import ward_ids_at_many
from imbizo.org.models import Office
from imbizo.org.selectors import institution_country

from .problems import RowError
from .read import Batch

_TRUE = frozenset({"1", "yes", "y", "true", "t"})
_FALSE = frozenset({"", "0", "no", "n", "false", "f"})


class _Cells(dict):
    """A row's cells by column name; a column the file leaves out reads as empty."""

    def __missing__(self, name: str) -> str:
        return ""


class _Invalid(Exception):
    """One cell is wrong: `message` in the import's words."""

    def __init__(self, column: str, message: str):
        self.column = column
        self.message = message


class Checker:
    """Checks rows against the rules, the catalogue, places and offices, and turns them
    into case rows (dicts by the case's attnames, `_row` their row in the file)."""

    def __init__(self, columns: list[str], *, now: datetime):
        self.names = columns  # each position's column name; "" for an ignored one
        self.width = len(columns)
        self.now = now
        self.services = {
            s.code: s for s in Service.objects.prefetch_related(
                Prefetch("attributes", queryset=ServiceAttribute.objects.order_by("order", "id"),
                         to_attr="questions"))
        }
        self.wards = dict(Ward.objects.values_list("code", "id"))
        self.offices = dict(Office.objects.values_list("code", "id"))
        self.routes: dict[tuple[int, int | None], int | None] = {}
        self.rng = _Draws()

    def warm(self) -> None:
        """Load what the checks read lazily (the ward index, the routing rules), so that
        processes forked from here share it rather than each reading it."""
        ward_ids_at_many([])
        route(service_id=0, ward_id=None)

    # One batch: rows checked one by one, then what needs the whole batch.
    def batch(self, batch: Batch, errors: list[RowError], *, max_errors: int) -> list[dict]:
        cases = self.rows(batch, errors, max_errors=max_errors)
        if len(errors) >= max_errors:
            return []
        cases = self.places(cases, errors)
        cases = self.references_drawn(cases, errors)
        return references_settle(cases, errors, self.rng)

    def rows(self, batch: Batch, errors: list[RowError], *, max_errors: int) -> list[dict]:
        """The rows that pass the checks of their cells (the others named in `errors`,
        until it holds `max_errors`)."""
        cases = []
        for row, cells in batch:
            found: list[RowError] = []
            case = self._row(row, cells, found)
            if found:
                errors.extend(found)
                if len(errors) >= max_errors:
                    return cases
            elif case is not None:
                cases.append(case)
        return cases

    def _row(self, row: int, cells: list[str], found: list[RowError]) -> dict | None:
        if len(cells) != self.width:
            found.append(RowError(row, None, _(
                "this row has %(n)d cells and the header %(m)d; check for a missing or extra "
                "separator.") % {"n": len(cells), "m": self.width}))
            return None
        if text_fault("\n".join(cells)):
            # One pass over the row; only a faulty row pays for naming its column.
            column, fault = next((name, fault) for name, value in zip(self.names, cells,
                                                                     strict=True)
                                 if (fault := text_fault(value)))
            found.append(RowError(row, column or None, _(
                "this cell holds bytes that are not text in the file's encoding.")
                if fault == TextFault.NOT_UTF8 else _(
                "this cell holds a control character (such as NUL), which no text may "
                "contain.")))
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
        try:
            service = rules.known(code, self.services)
        except Broken as broken:
            raise _Invalid("service_code", _("the service code is empty.")
                           if broken.reason is Reason.EMPTY else
                           _("there is no service with the code '%(code)s'.") % broken.figures
                           ) from None
        case["service"] = service
        case["service_id"] = service.pk
        case["status"] = _choice(rules.STATUS, cell("status"), "status")

    def _choices(self, cell, case: dict) -> None:
        case["kind"] = _choice(rules.KIND, cell("kind") or Kind.REQUEST, "kind")
        case["channel"] = _choice(rules.CHANNEL, cell("channel"), "channel")
        case["priority"] = _choice(rules.PRIORITY, cell("priority") or Priority.NORMAL,
                                   "priority")
        case["client_type"] = _choice(rules.CLIENT_TYPE, cell("client_type")
                                      or ClientType.EXTERNAL, "client_type")
        principles = cell("principles")
        case["principles"] = [_choice(rules.PRINCIPLE, p.strip(), "principles")
                              for p in principles.split(";") if p.strip()] if principles else []

    def _text(self, cell, case: dict) -> None:
        try:
            case["description"] = rules.DESCRIPTION.check(cell("description"))
        except Broken as broken:
            raise _Invalid("description", _("the description is empty.")
                           if broken.reason is Reason.EMPTY else
                           _("the description is %(n)d characters long; the limit is %(max)d.")
                           % broken.figures) from None
        # The same rule as a case opened one at a time (cases.intake).
        case["public_description"] = ("" if case.get("channel") in STAFF_TYPED_CHANNELS
                                      else case["description"])
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
        case["address"] = _length(rules.ADDRESS, cell("address"), "address")
        lat, lon = cell("lat"), cell("lon")
        case["lat"] = case["lon"] = None
        if lat or lon:
            point = _number(lat), _number(lon)
            try:
                rules.point(*point)
            except Broken as broken:
                raise _Invalid(broken.field, _(
                    "a location needs both a latitude and a longitude.")
                    if broken.reason is Reason.HALF_POINT else
                    _("'%(value)s' is not a number from %(low)s to %(high)s.")
                    % {"value": cell(broken.field), **broken.figures}) from None
            case["lat"], case["lon"] = point
        ward_code = cell("ward_code")
        case["ward_id"] = None
        if ward_code:
            try:
                case["ward_id"] = rules.known(ward_code, self.wards)
            except Broken:
                raise _Invalid("ward_code", _("there is no ward with the code '%(code)s'.")
                               % {"code": ward_code}) from None
        office_code = cell("office_code")
        case["office_id"] = None
        if office_code:
            try:
                case["office_id"] = rules.known(office_code, self.offices)
            except Broken:
                raise _Invalid("office_code", _("there is no office with the code '%(code)s'.")
                               % {"code": office_code}) from None

    def _who(self, cell, case: dict) -> None:
        anonymous = _flag(cell("anonymous"), "anonymous")
        consent = _flag(cell("contact_consent"), "contact_consent")
        case["anonymous"] = anonymous
        if anonymous:
            # As at intake: an anonymous case keeps no contact details.
            case.update(citizen_name="", citizen_phone="", citizen_email="", contact_consent=False)
            return
        name = _length(rules.CITIZEN_NAME, cell("citizen_name"), "citizen_name")
        phone = cell("citizen_phone")
        if phone:
            normal = _phone(phone, institution_country().code)
            if normal is None:
                # The number itself is personal data: the message does not repeat it.
                raise _Invalid("citizen_phone", _(
                    "this is not a valid phone number; write it as +27821234567 or 082 123 4567."))
            phone = normal
        email = cell("citizen_email")
        if email:
            try:
                rules.EMAIL.check(email)
            except Broken as broken:
                raise _Invalid("citizen_email", _length_words(broken)
                               if broken.reason is Reason.TOO_LONG else
                               _("this is not an email address.")) from None
        case.update(citizen_name=name, citizen_phone=phone, citizen_email=email,
                    contact_consent=bool(consent and (phone or email)))

    def _when(self, cell, case: dict) -> None:
        stamps = {}
        for name in rules.TIMESTAMPS:
            text = cell(name)
            stamps[name] = _instant(text, name, self.now) if text else None
        status = case["status"]
        try:
            rules.timeline(status, stamps)
        except Broken as broken:
            raise _Invalid(broken.field, _timeline_words(broken)) from None
        case.update(stamps)
        case["reopen_count"] = 1 if stamps["reopened_at"] else 0

    def _outcome(self, cell, case: dict) -> None:
        reason, referred_to = cell("outcome_reason"), cell("referred_to")
        for name, rule in (("outcome_reason", rules.OUTCOME_REASON),
                           ("referred_to", rules.REFERRED_TO), ("root_cause", rules.ROOT_CAUSE),
                           ("redress", rules.REDRESS)):
            _length(rule, cell(name), name)
        status = case["status"]
        try:
            outcome = rules.outcome(status, cell("outcome"), reason=reason,
                                    referred_to=referred_to)
        except Broken as broken:
            raise _Invalid(broken.field or "outcome", _outcome_words(broken)) from None
        case.update(outcome=outcome, outcome_reason=reason, referred_to=referred_to,
                    root_cause=cell("root_cause"), redress=cell("redress"))

    # --- what needs the whole batch ---------------------------------------------------------

    def places(self, cases: list[dict], errors: list[RowError]) -> list[dict]:
        """Wards from points (a batch at a time), offices from the routing rules."""
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

    def references_drawn(self, cases: list[dict], errors: list[RowError]) -> list[dict]:
        """Given references must differ within the batch; the other rows draw one (each
        checked against the database by references_settle). Needs no database."""
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
                case["_given"] = True
            kept.append(case)
        for case in kept:
            if "reference" not in case:
                reference = reference_new(self.rng)
                while reference in used:
                    reference = reference_new(self.rng)
                used[reference] = case
                case["reference"] = reference
        return kept


def references_settle(cases: list[dict], errors: list[RowError], rng) -> list[dict]:
    """Given references must be new to the database (this transaction's rows included);
    drawn ones that are not are drawn again until they are."""
    taken = references_taken_of({c["reference"]: (c["_row"], "_given" in c) for c in cases},
                                errors, rng)
    kept = []
    for case in cases:
        reference = case["reference"]
        if reference in taken:
            if taken[reference] is None:
                continue  # a given reference already taken: named in errors
            case["reference"] = taken[reference]
        kept.append(case)
    return kept


def references_taken_of(references: dict[str, tuple[int, bool]], errors: list[RowError],
                        rng) -> dict[str, str | None]:
    """Of a batch's `references` (each with its row and whether the file gave it), those
    cases already have: a given one maps to None and is named in `errors`, a drawn one
    to its replacement, new to the database and to the batch."""
    replaced: dict[str, str | None] = {}
    again = []
    for reference in _references_taken(list(references)):
        row, given = references[reference]
        if given:
            errors.append(RowError(row, "reference", _(
                "%(ref)s is already the reference of a case (in the database or earlier in "
                "this file).") % {"ref": reference}))
            replaced[reference] = None
        else:
            again.append(reference)
    while again:
        drawn = {}
        for old in again:
            new = reference_new(rng)
            while new in references or new in drawn or new in replaced.values():
                new = reference_new(rng)
            drawn[new] = old
        again = []
        for new in _references_taken(list(drawn)):
            again.append(drawn.pop(new))
        for new, old in drawn.items():
            replaced[old] = new
    return replaced


# --- cells and the import's words for what the rules find --------------------------------


def _choice(rule: rules.Choice, value: str, column: str) -> str:
    try:
        return rule.check(value)
    except Broken as broken:
        raise _Invalid(column, _("'%(value)s' is not one of: %(allowed)s.")
                       % broken.figures) from None


def _length(rule: rules.Text, text: str, column: str) -> str:
    try:
        return rule.check(text)
    except Broken as broken:
        raise _Invalid(column, _length_words(broken)) from None


def _length_words(broken: Broken) -> str:
    if broken.reason is Reason.NOT_ONE_LINE:
        return _("write this on one line.")
    return _("this is %(n)d characters long; the limit is %(max)d.") % broken.figures


def _phone(raw: str, region: str) -> str | None:
    """E.164 form, or None when not a valid number (intake's rule; a number without a
    country code is read as one of `region`, the institution's country)."""
    try:
        return phone_normalise(raw, region=region)
    except DomainError:
        return None


def _flag(text: str, column: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _Invalid(column, _("'%(value)s' is not yes or no (also: true/false, 1/0).")
                   % {"value": text})


def _number(text: str) -> float | None:
    """A coordinate cell as a number (None: empty; NaN: not a number, which no range holds)."""
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return math.nan


def _instant(text: str, column: str, now: datetime) -> datetime:
    try:
        return rules.instant(text, now=now)
    except Broken as broken:
        if broken.reason is Reason.IN_FUTURE:
            message = _("%(value)s is in the future.") % {"value": text}
        else:
            hint = _(" It has no UTC offset.") if broken.reason is Reason.NO_OFFSET else ""
            message = _(
                "'%(value)s' is not a date and time with its UTC offset, such as "
                "2025-03-01T14:30:00+02:00.%(hint)s") % {"value": text, "hint": hint}
        raise _Invalid(column, message) from None


def _status_words(status) -> str:
    return str(status).replace("_", " ")


def _timeline_words(broken: Broken) -> str:
    figures = broken.figures
    match broken.reason:
        case Reason.MISSING if broken.field == "opened_at":
            return _("when the case opened is required.")
        case Reason.MISSING:
            return _("a case that is %(status)s needs %(column)s.") % {
                "status": _status_words(figures["status"]), "column": broken.field}
        case Reason.BEFORE_OPENING:
            return _("this is before the case opened (%(opened)s).") % {
                "opened": figures["opened"].isoformat()}
        case Reason.CLOSED_BEFORE_RESOLVED:
            return _("the case closed before it was resolved.")
        case Reason.DONE_BEFORE_REOPENED:
            return _("a case reopened at %(reopened)s was %(done)s again later.") % {
                "reopened": figures["reopened"].isoformat(),
                "done": _status_words(figures["status"])}
        case _:  # OPEN_YET_DONE
            return _("a case that is %(status)s was not %(done)s, unless it was reopened "
                     "later (reopened_at).") % {"status": _status_words(figures["status"]),
                                                "done": broken.field.removesuffix("_at")}


def _outcome_words(broken: Broken) -> str:
    figures = broken.figures
    match broken.reason:
        case Reason.NO_OUTCOME:
            return _("a case that is %(status)s needs an outcome: %(choices)s.") % {
                "status": _status_words(figures["status"]), "choices": figures["allowed"]}
        case Reason.NOT_A_CHOICE:
            return _("'%(value)s' is not one of: %(allowed)s.") % figures
        case Reason.NO_REASON:
            return _("say why it was not fixed.")
        case Reason.NO_REFERRAL:
            return _("name the body it was referred to.")
        case _:  # OUTCOME_TOO_SOON
            return _("a case that is %(status)s has no outcome yet; leave this empty.") % {
                "status": _status_words(figures["status"])}


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
