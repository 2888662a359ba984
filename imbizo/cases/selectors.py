"""Reads about cases: the one read path every app and interface goes through.

Three things are decided here, once:

- which cases a filter selects: `CaseFilter`, whose date spans say whether
  each bound counts (`Bound`), so each public contract keeps its meaning;
- which cases a viewer may see: `case_scope(viewer)`, for a staff member, an
  API key, the public or the institution itself;
- what of them is personal: published and exported free text goes through
  cases.disclosure.contact_details_masked, the one masking rule.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from enum import Enum, StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext as _

from imbizo.catalogue.models import Service
from imbizo.core.errors import DomainError
from imbizo.geo.models import Ward
from imbizo.org.models import Office, Role, Staff
from imbizo.org.permissions import INSTITUTION_WIDE_ROLES, Permission, staff_allows

from .access import require
from .disclosure import PUBLIC_CASES, contact_details_masked
from .errors import CaseError
from .models import Case, CaseEvent, Kind, Priority, StatusChoice
from .reference import reference_parse
from .transitions import OPEN_STATUSES, Status

# --- viewers and their scope ---------------------------------------------------------------


class Audience(Enum):
    """Viewers that are not a person or a key."""

    PUBLIC = "public"  # anyone: public cases only (cases.disclosure)
    INSTITUTION = "institution"  # the institution's own processes and operators: every case


PUBLIC = Audience.PUBLIC
INSTITUTION = Audience.INSTITUTION


class DepartmentKey(Protocol):
    """A viewer bound to a department, or to none (the whole institution): an API key."""

    department_id: int | None


Viewer = Staff | DepartmentKey | Audience

NO_CASES = Q(pk__in=[])


def _department_cases(department_id: int) -> Q:
    # A department's cases are those its offices handle and those for its services.
    # By id, not through joins: an OR across two joined tables cannot use the
    # cases' own indexes, and a manager's list of closed cases read the whole
    # table (docs/benchmarks.md, "Staff queues").
    return (Q(office_id__in=Office.objects.filter(department_id=department_id).values("pk"))
            | Q(service_id__in=Service.objects.filter(department_id=department_id).values("pk")))


def _staff_scope(staff: Staff) -> Q:
    if not staff.active:
        return NO_CASES
    if staff.role in (Role.OFFICER, Role.SUPERVISOR):
        return Q(office_id=staff.office_id) if staff.office_id else NO_CASES
    if staff.role == Role.MANAGER:
        return _department_cases(staff.department_id) if staff.department_id else NO_CASES
    if staff.role in INSTITUTION_WIDE_ROLES:
        return Q()
    return NO_CASES


def _through(where: Q, path: str) -> Q:
    """`where`, a filter on Case, as a filter on a model that reaches Case through `path`."""
    moved = Q()
    moved.connector, moved.negated = where.connector, where.negated
    moved.children = [_through(child, path) if isinstance(child, Q)
                      else (f"{path}__{child[0]}", child[1]) for child in where.children]
    return moved


def case_scope(viewer: Viewer, *, through: str = "") -> Q:
    """The cases `viewer` may see, as a filter on Case (on the model that reaches
    Case through `through`, e.g. "case" for CaseEvent).

    - The public: public cases (cases.disclosure); a private case is found
      only by its reference (`case_get_public`).
    - The institution: every case.
    - Staff: officers and supervisors their office's cases; managers the cases
      of their department (handled by its offices or for its services);
      agents (who serve callers about any case), auditors and administrators
      every case; anyone else (analysts) and inactive staff none.
    - An API key: its department's cases, or every case without one.
    """
    if viewer is PUBLIC:
        where = PUBLIC_CASES
    elif viewer is INSTITUTION:
        where = Q()
    elif isinstance(viewer, Staff):
        where = _staff_scope(viewer)
    elif viewer.department_id is None:
        where = Q()
    else:
        where = _department_cases(viewer.department_id)
    return _through(where, through) if through else where


def case_visible_to(*, viewer: Viewer, case: Case) -> bool:
    """Whether `viewer` may see `case` (one query)."""
    return Case.objects.filter(case_scope(viewer), pk=case.pk).exists()


# --- filters -------------------------------------------------------------------------------


class Bound(StrEnum):
    """Whether an instant exactly on a bound of a span is inside it."""

    INCLUSIVE = "inclusive"
    EXCLUSIVE = "exclusive"


@dataclass(frozen=True)
class Span:
    """Instants from `start` to `end` (None: unbounded on that side), each bound
    inside the span or not by its kind.

    The default is half-open, [start, end): the REST API's `*_after` and
    `*_before` (docs/api.md) and the export's whole days. Open311 passes its
    own kinds (docs/open311.md): `start_date`..`end_date` both inclusive,
    `updated_after`..`updated_before` both exclusive.
    """

    start: datetime | None = None
    end: datetime | None = None
    start_bound: Bound = Bound.INCLUSIVE
    end_bound: Bound = Bound.EXCLUSIVE

    def lookups(self, field: str) -> dict[str, datetime]:
        """The span as ORM lookups on `field`."""
        found = {}
        if self.start is not None:
            found[f"{field}__{'gte' if self.start_bound == Bound.INCLUSIVE else 'gt'}"] = self.start
        if self.end is not None:
            found[f"{field}__{'lte' if self.end_bound == Bound.INCLUSIVE else 'lt'}"] = self.end
        return found


ANY_TIME = Span()


@dataclass(frozen=True)
class CaseFilter:
    """Which cases: of these statuses, kinds, priorities, and service, ward and
    office codes (empty: any), opened, updated, resolved and due for resolution
    within these spans. Unknown statuses, kinds, priorities and codes are
    refused, naming the filter (`case_filtered`).

    The back-office queues add: past the resolution deadline (`overdue`), at
    least this escalation level (`escalation_min`, 0: any), acknowledged or not,
    assigned to this staff member (`assignee`, a Staff id), and `text`: a
    reference (that case alone) or words found in the description or address.
    """

    status: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    ward: tuple[str, ...] = ()
    office: tuple[str, ...] = ()
    opened: Span = ANY_TIME
    updated: Span = ANY_TIME
    resolved: Span = ANY_TIME
    resolve_due: Span = ANY_TIME
    overdue: bool | None = None
    escalation_min: int = 0
    acknowledged: bool | None = None
    assignee: int | None = None
    text: str = ""


def _choices_checked(values: tuple[str, ...], allowed: Collection[str], field: str,
                     message: str) -> None:
    for value in values:
        if value not in allowed:
            raise DomainError(CaseError.INVALID_CHOICE, message % {
                "value": value, "allowed": ", ".join(allowed)}, field=field)


def _ids_of(model, codes: tuple[str, ...], field: str) -> list[int]:
    """Primary keys for `codes` of `model` (one query), or DomainError naming the
    first unknown code."""
    found = dict(model.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise DomainError(
            CaseError.INVALID_CHOICE,
            _("There is no %(what)s with the code '%(code)s'.")
            % {"what": model._meta.verbose_name, "code": unknown[0]},
            field=field,
        )
    return list(found.values())


def case_filtered(*, viewer: Viewer, filters: CaseFilter = CaseFilter()) -> QuerySet[Case]:
    """The cases `viewer` may see that `filters` selects, unordered.

    Each code list costs one query to check; an unknown status, kind or code
    raises DomainError(INVALID_CHOICE) naming the filter.
    """
    _choices_checked(filters.status, StatusChoice.values, "status",
                     _("'%(value)s' is not a status; the statuses are: %(allowed)s."))
    _choices_checked(filters.kind, Kind.values, "kind",
                     _("'%(value)s' is not a kind; the kinds are: %(allowed)s."))
    _choices_checked(filters.priority, Priority.values, "priority",
                     _("'%(value)s' is not a priority; the priorities are: %(allowed)s."))
    cases = Case.objects.filter(case_scope(viewer))
    if filters.status:
        cases = cases.filter(status__in=filters.status)
    if filters.kind:
        cases = cases.filter(kind__in=filters.kind)
    if filters.priority:
        cases = cases.filter(priority__in=filters.priority)
    if filters.overdue is not None:
        cases = cases.filter(resolve_breached_at__isnull=not filters.overdue)
    if filters.escalation_min:
        cases = cases.filter(escalation_level__gte=filters.escalation_min)
    if filters.acknowledged is not None:
        cases = cases.filter(acknowledged_at__isnull=not filters.acknowledged)
    if filters.assignee is not None:
        cases = cases.filter(assignee_id=filters.assignee)
    if filters.text:
        cases = cases.filter(_text_match(filters.text))
    if filters.service:
        cases = cases.filter(service_id__in=_ids_of(Service, filters.service, "service"))
    if filters.ward:
        cases = cases.filter(ward_id__in=_ids_of(Ward, filters.ward, "ward"))
    if filters.office:
        cases = cases.filter(office_id__in=_ids_of(Office, filters.office, "office"))
    return cases.filter(**filters.opened.lookups("opened_at"),
                        **filters.updated.lookups("updated_at"),
                        **filters.resolved.lookups("resolved_at"),
                        **filters.resolve_due.lookups("resolve_due_at"))


def _text_match(text: str) -> Q:
    """A reference selects its case alone; other text, the cases whose
    description or address contains it (any case)."""
    canonical = reference_parse(text)
    if canonical:
        return Q(reference=canonical)
    return Q(description__icontains=text) | Q(address__icontains=text)


# --- lists and look-ups --------------------------------------------------------------------


def case_list(*, viewer: Viewer, filters: CaseFilter = CaseFilter()) -> QuerySet[Case]:
    """Cases `viewer` may see matching `filters`, newest first (by id, for cursors),
    with their service, ward, office and parent."""
    return case_filtered(viewer=viewer, filters=filters).select_related(
        "service", "ward", "office", "parent").order_by("-id")


def case_get_for(*, viewer: Viewer, reference: str) -> Case:
    """The case with `reference` if `viewer` may see it; DomainError otherwise.

    A case outside the viewer's scope is reported as not found, so references
    of other departments cannot be probed. Staff also need the "view" permission.
    """
    if isinstance(viewer, Staff):
        require(viewer, "view")
    canonical = reference_parse(reference)
    case = (
        Case.objects.filter(case_scope(viewer), reference=canonical)
        .select_related("service", "standard", "ward", "office", "assignee__user", "parent")
        .first()
        if canonical
        else None
    )
    if case is None:
        raise DomainError(CaseError.NOT_FOUND, _("No such case in your area."), field="reference")
    return case


def case_counts(*, viewer: Viewer, filters: CaseFilter = CaseFilter()) -> dict:
    """The total, and cases by status and by service code (two grouped queries)."""
    cases = case_filtered(viewer=viewer, filters=filters).order_by()
    by_status = dict(cases.values_list("status").annotate(n=Count("id")))
    by_service = cases.values("service__code").annotate(n=Count("id")).order_by("service__code")
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_service": {row["service__code"]: row["n"] for row in by_service},
    }


def case_list_overdue(*, viewer: Viewer, limit: int) -> list[Case]:
    """The `limit` open cases past their resolution deadline that waited longest,
    with what a list shows of them (service name, ward, office name)."""
    return list(
        case_filtered(viewer=viewer).filter(
            status__in=sorted(map(str, OPEN_STATUSES)), resolve_breached_at__isnull=False)
        .order_by("resolve_due_at", "id")
        .select_related("service", "ward", "office")
        .only("reference", "status", "resolve_due_at", "escalation_level", "opened_at",
              "service__name", "ward__code", "ward__name", "office__name")[:limit])


def case_event_list(*, viewer: Viewer) -> QuerySet[CaseEvent]:
    """The events of the cases `viewer` may see, unordered (every event, internal
    notes included: for the institution's own aggregates, not for display)."""
    return CaseEvent.objects.filter(case_scope(viewer, through="case"))


def case_references(*, ids: Iterable[int]) -> dict[int, str]:
    """The reference of each case in `ids`, by id (one query; none without ids)."""
    ids = set(ids)
    return dict(Case.objects.filter(pk__in=ids).values_list("pk", "reference")) if ids else {}


def case_values(*, ids: Iterable[int], fields: Collection[str]) -> dict[int, dict]:
    """`fields` of each case in `ids`, as dicts by id (one query)."""
    columns = dict.fromkeys(("id", *fields))
    return {row["id"]: row for row in Case.objects.filter(pk__in=set(ids)).values(*columns)}


def case_get_public(*, reference: str) -> Case:
    """The case with `reference` as typed by a citizen, or DomainError(NOT_FOUND).

    Whoever holds a reference may track its case, public or private."""
    canonical = reference_parse(reference)
    case = (
        Case.objects.select_related("service", "standard", "ward", "parent")
        .filter(reference=canonical)
        .first()
        if canonical
        else None
    )
    if case is None:
        raise DomainError(
            CaseError.NOT_FOUND,
            _("We found no case with that reference. Check it and try again."),
            field="reference",
        )
    return case


def case_public_events(*, case: Case) -> list[CaseEvent]:
    """The events a citizen may see: no internal notes, no staff names, and no
    phone numbers or email addresses in the notes (a reference can be shared or
    guessed, and a reopen reason or an update may quote someone's number)."""
    events = list(case.events.filter(public=True).only(
        "kind", "at", "note", "from_status", "to_status", "details"
    ))
    for event in events:
        event.note = contact_details_masked(event.note)
    return events


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor__user")


def case_list_open() -> QuerySet[Case]:
    return Case.objects.filter(status__in=OPEN_STATUSES)


class QueueSort(StrEnum):
    """How a back-office queue is ordered; every order ends on the id, so pages
    never overlap."""

    DUE = "due"  # soonest resolution deadline first; paused cases (no deadline) last
    OPENED = "opened"  # newest first
    PRIORITY = "priority"  # urgent first, then by deadline
    STATUS = "status"  # in the order of the life-cycle, then by deadline


class Due(StrEnum):
    """The queue filter on the resolution deadline."""

    OVERDUE = "overdue"  # past it (the sweep has stamped the breach)
    TODAY = "today"  # not yet past, and due before midnight, local time
    WEEK = "week"  # not yet past, and due before the end of Sunday, local time


def due_filter(due: Due | str, *, now: datetime, time_zone: str) -> dict:
    """`CaseFilter` arguments for the deadline filter `due`, with days and weeks
    in `time_zone` (the institution's)."""
    due = Due(due)
    if due == Due.OVERDUE:
        return {"overdue": True}
    local = now.astimezone(ZoneInfo(time_zone))
    midnight = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo)
    end = midnight if due == Due.TODAY else midnight + timedelta(days=6 - local.weekday())
    return {"overdue": False, "resolve_due": Span(now, end)}


# The back-office lists: each a fixed filter that the queue page refines.
QUEUE_VIEWS = ("mine", "office", "unacknowledged", "due_soon", "overdue", "escalated")

_PRIORITY_RANK = [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]
_STATUS_RANK = [Status.RECEIVED, Status.REOPENED, Status.ACKNOWLEDGED, Status.ASSIGNED,
                Status.IN_PROGRESS, Status.WAITING_CITIZEN, Status.WAITING_THIRD_PARTY,
                Status.RESOLVED, Status.CLOSED]


def _rank(field: str, order: list[str]) -> models.Case:
    return models.Case(*(models.When(**{field: value}, then=Value(i))
                         for i, value in enumerate(order)),
                       default=Value(len(order)), output_field=models.IntegerField())


def _due_first():
    return models.F("resolve_due_at").asc(nulls_last=True)


def _queue_order(sort: QueueSort) -> list:
    if sort == QueueSort.OPENED:
        return [models.F("opened_at").desc(), "-id"]
    if sort == QueueSort.PRIORITY:
        return [_rank("priority", _PRIORITY_RANK), _due_first(), "id"]
    if sort == QueueSort.STATUS:
        return [_rank("status", _STATUS_RANK), _due_first(), "id"]
    return [_due_first(), "opened_at", "id"]


class CaseQueue:
    """A queue's cases in order, for a Paginator: `count()` and slices.

    A slice is read in two steps: the ids of the page, ordered and cut on the
    cases table alone (from the queue's index where the order allows), then
    those cases with what a row shows joined in. Joining before cutting would
    join every case of the queue to sort a page of them. Two queries a page,
    whatever its size.
    """

    def __init__(self, cases: QuerySet[Case], order: list):
        self._cases = cases
        self._order = order

    def count(self) -> int:
        return self._cases.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Case]:
        if not isinstance(index, slice):
            raise TypeError("a queue is read a page at a time")
        ids = list(self._cases.order_by(*self._order).values_list("id", flat=True)[index])
        rows = (Case.objects.filter(pk__in=ids)
                .select_related("service", "ward", "office", "assignee__user")
                .defer("ward__boundary").in_bulk())
        return [rows[pk] for pk in ids if pk in rows]


def case_queue(*, viewer: Staff, view: str, now, filters: CaseFilter = CaseFilter(),
               sort: QueueSort | str = QueueSort.DUE) -> CaseQueue:
    """A back-office list (`QUEUE_VIEWS`: mine, office, unacknowledged,
    due_soon, overdue, escalated) of the cases `viewer` may see, refined by
    `filters` and ordered by `sort`, with what a row shows (service, ward,
    office, assignee) joined in: a count and two queries per page, whatever
    its size (`CaseQueue`).

    The lists hold open cases unless `filters` names statuses. An unknown
    status, priority or code raises DomainError(INVALID_CHOICE) as in
    `case_filtered`.
    """
    if not filters.status:
        filters = replace(filters, status=tuple(sorted(map(str, OPEN_STATUSES))))
    if filters.text and not staff_allows(viewer, Permission.CASE_PERSONAL_DATA):
        # What citizens typed may name people: who may not read it whole
        # (phone numbers and addresses are masked for them) finds by reference only.
        canonical = reference_parse(filters.text)
        filters = replace(filters, text=canonical or "")
        if not canonical:
            return CaseQueue(Case.objects.none(), [])
    cases = case_filtered(viewer=viewer, filters=filters)
    if view == "mine":
        cases = cases.filter(assignee=viewer)
    elif view == "due_soon":
        cases = cases.filter(resolve_due_at__gt=now, resolve_due_at__lte=now + timedelta(days=2))
    elif view == "overdue":
        cases = cases.filter(resolve_breached_at__isnull=False)
    elif view == "escalated":
        cases = cases.filter(escalation_level__gt=0)
    elif view == "unacknowledged":
        cases = cases.filter(acknowledged_at__isnull=True)
    return CaseQueue(cases, _queue_order(QueueSort(sort)))


@dataclass(frozen=True)
class QueueOptions:
    """What a queue's filters offer `viewer`, as (code, name) pairs, and the
    officers they may assign cases to (empty unless they may assign)."""

    services: list[tuple[str, str]]
    wards: list[tuple[str, str]]
    offices: list[tuple[str, str]]
    officers: list[Staff]


def _offices_of(viewer: Staff) -> QuerySet[Office]:
    """The offices whose cases `viewer` works on: their own, their department's, or all."""
    offices = Office.objects.all()
    if viewer.role in (Role.OFFICER, Role.SUPERVISOR):
        return offices.filter(pk=viewer.office_id)
    if viewer.role == Role.MANAGER:
        return offices.filter(department_id=viewer.department_id)
    return offices if viewer.role in INSTITUTION_WIDE_ROLES else offices.none()


def case_assignable_officers(*, viewer: Staff) -> QuerySet[Staff]:
    """The officers and supervisors `viewer` may give cases to: of the offices
    whose cases they work on, none unless their role may assign."""
    if not staff_allows(viewer, Permission.CASE_ASSIGN):
        return Staff.objects.none()
    return (Staff.objects.filter(active=True, role__in=[Role.OFFICER, Role.SUPERVISOR],
                                 office__in=_offices_of(viewer))
            .select_related("user", "office").order_by("office__name", "user__last_name", "pk"))


def case_queue_options(*, viewer: Staff) -> QueueOptions:
    """The choices of the queue filters for `viewer` (four queries at most)."""
    offices = _offices_of(viewer)
    officers = list(case_assignable_officers(viewer=viewer))
    return QueueOptions(
        services=list(Service.objects.filter(active=True).order_by("name")
                      .values_list("code", "name")),
        wards=list(Ward.objects.order_by("code").values_list("code", "name")),
        offices=list(offices.order_by("name").values_list("code", "name")),
        officers=officers,
    )


def case_queue_counts(*, viewer: Staff, now) -> dict[str, int]:
    """How many cases each of `QUEUE_VIEWS` holds for `viewer` (one query)."""
    open_cases = Case.objects.filter(case_scope(viewer),
                                     status__in=sorted(map(str, OPEN_STATUSES)))
    return open_cases.aggregate(
        mine=Count("id", filter=Q(assignee=viewer)),
        office=Count("id"),
        unacknowledged=Count("id", filter=Q(acknowledged_at__isnull=True)),
        due_soon=Count("id", filter=Q(resolve_due_at__gt=now,
                                      resolve_due_at__lte=now + timedelta(days=2))),
        overdue=Count("id", filter=Q(resolve_breached_at__isnull=False)),
        escalated=Count("id", filter=Q(escalation_level__gt=0)),
    )


def case_open_priority_counts(*, viewer: Staff) -> dict[str, int]:
    """How many open cases `viewer` may see at each priority (one grouped query)."""
    rows = (Case.objects.filter(case_scope(viewer), status__in=sorted(map(str, OPEN_STATUSES)))
            .order_by().values_list("priority").annotate(n=Count("id")))
    return dict(rows)


def case_find_for_caller(*, viewer: Staff, phone: str = "", reference: str = "") -> QuerySet[Case]:
    """Earlier cases of a caller, by phone number (E.164) or reference, newest first."""
    cases = Case.objects.filter(case_scope(viewer))
    if reference:
        canonical = reference_parse(reference)
        cases = cases.filter(reference=canonical) if canonical else cases.none()
    elif phone:
        cases = cases.filter(citizen_phone=phone)
    else:
        return cases.none()
    return cases.select_related("service").order_by("-opened_at")[:20]


def _latest_public_note():
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("pk"), public=True).exclude(note="")
        .order_by("-at", "-id").values("note")[:1]
    )


def case_list_open_data(*, references: Collection[str] = (), filters: CaseFilter = CaseFilter(),
                        with_public_events: bool = False) -> QuerySet[Case]:
    """Cases for open-data interfaces (Open311), newest first, in one query
    (two `with_public_events`, prefetched as `public_events`), after the
    filter's checks.

    With `references` only those cases are given, public or private (as the
    tracking page gives any case to whoever holds its reference), and
    `filters` is ignored; otherwise the public's cases that `filters` selects.
    Each case carries `latest_public_note`, the newest note it shows the public.
    """
    if references:
        canonical = {c for c in map(reference_parse, references) if c}
        cases = Case.objects.filter(reference__in=canonical)
    else:
        cases = case_filtered(viewer=PUBLIC, filters=filters)
    cases = cases.select_related(
        "service__department", "office__department", "ward", "parent", "standard",
    ).annotate(latest_public_note=_latest_public_note())
    if with_public_events:
        cases = cases.prefetch_related(Prefetch(
            "events", queryset=CaseEvent.objects.filter(public=True).only(
                "case_id", "kind", "at", "note", "to_status", "details"),
            to_attr="public_events"))
    return cases.order_by("-opened_at", "-id")


def case_get_by_idempotency_key(*, key: str) -> Case:
    """The case opened with `key` (an Open311 token), or DomainError(NOT_FOUND)."""
    case = Case.objects.filter(idempotency_key=key).only("reference").first() if key else None
    if case is None:
        raise DomainError(CaseError.NOT_FOUND, _("No service request was made with this token."),
                          field="token")
    return case


def case_public_updates(*, since: datetime, until: datetime | None = None) -> QuerySet[CaseEvent]:
    """Events of public cases shown to the public, oldest first from `since`, each
    with `status_then` (the case's status after it) and its case and service."""
    status_then = Subquery(
        CaseEvent.objects.filter(case=OuterRef("case_id"), at__lte=OuterRef("at"))
        .exclude(to_status="").order_by("-at", "-id").values("to_status")[:1]
    )
    events = CaseEvent.objects.filter(case_scope(PUBLIC, through="case"), public=True,
                                      at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return (
        events.select_related("case").only(
            "kind", "at", "note", "to_status", "details", "case__reference", "case__status",
            "case__outcome")
        .annotate(status_then=status_then)
        .order_by("at", "id")
    )
