"""Writes to service interruptions. Each service is one transaction that changes
the interruption, records what citizens are told, sends
outreach.hooks.interruption_changed and queues the webhooks.

Reports of the service from the wards while it runs are linked to it at
intake (outreach.interruption_receivers) and resolve together, each with its
own event, when it is restored (docs/adr/0024-service-interruptions.md).
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import shapely
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from imbizo.cases.models import Outcome
from imbizo.cases.services import case_lock, case_resolve, case_resolve_due_move, promise_of
from imbizo.cases.transitions import OPEN_STATUSES
from imbizo.catalogue.models import Priority, Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.limits import LINE_MAX, MESSAGE_MAX
from imbizo.core.links import site_link
from imbizo.geo.models import Ward
from imbizo.geo.selectors import ward_ids_touching
from imbizo.integrations import webhooks
from imbizo.integrations.receivers import webhook_snapshot
from imbizo.notify.models import MessageChannel, OutboxMessage
from imbizo.org.models import Staff

from .hooks import interruption_changed
from .interruption_models import (
    LIVE_STATUSES,
    Interruption,
    InterruptionCase,
    InterruptionKind,
    InterruptionLeadTime,
    InterruptionStatus,
    InterruptionUpdate,
    InterruptionWardMonth,
)

# Lead time for planned interruptions of a service without its own
# (InterruptionLeadTime): two days, time to fill buckets.
DEFAULT_LEAD_HOURS = 48
# Planned work of more than this is not an interruption but a project.
MAX_DURATION = timedelta(days=60)


class InterruptionError(StrEnum):
    NO_WARDS = "no_wards"
    UNKNOWN_WARD = "unknown_ward"
    UNKNOWN_SERVICE = "unknown_service"
    INVALID_TIMES = "invalid_times"
    INVALID_TEXT = "invalid_text"
    INVALID_CHOICE = "invalid_choice"
    INVALID_AREA = "invalid_area"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"


class Change(StrEnum):
    ANNOUNCED = "announced"
    STARTED = "started"
    UPDATED = "updated"
    RESTORED = "restored"
    CANCELLED = "cancelled"


# --- checks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterruptionDraft:
    """What staff or an integration hand over to record an interruption."""

    service: Service | None
    ward_ids: Sequence[int]
    kind: str
    title: str
    public_text: str
    starts_at: datetime | None
    expected_restoration_at: datetime | None
    priority: str = Priority.URGENT
    area: dict | None = None


def draft_problems(draft: InterruptionDraft) -> list[DomainError]:
    """Every problem with `draft`, each naming its field; empty when it can be stored."""
    problems: list[DomainError] = []
    if draft.service is None:
        problems.append(DomainError(InterruptionError.UNKNOWN_SERVICE,
                                    _("Choose the service that is interrupted."),
                                    field="service"))
    if not draft.ward_ids:
        problems.append(DomainError(
            InterruptionError.NO_WARDS,
            _("Choose at least one ward, or draw the area on the map."), field="wards"))
    if draft.kind not in InterruptionKind.values:
        problems.append(DomainError(
            InterruptionError.INVALID_CHOICE,
            _("The kind must be planned or unplanned."), field="kind"))
    if draft.priority not in Priority.values:
        problems.append(DomainError(
            InterruptionError.INVALID_CHOICE,
            _("'%(value)s' is not a priority.") % {"value": draft.priority}, field="priority"))
    problems += _text_problems(title=draft.title, public_text=draft.public_text)
    problems += times_problems(starts_at=draft.starts_at,
                               expected_restoration_at=draft.expected_restoration_at)
    return problems


def _text_problems(*, title: str | None, public_text: str | None) -> list[DomainError]:
    problems = []
    if title is not None:
        if not title.strip():
            problems.append(DomainError(InterruptionError.INVALID_TEXT,
                                        _("Give the interruption a short title."),
                                        field="title"))
        elif len(title.strip()) > LINE_MAX or "\n" in title.strip():
            problems.append(DomainError(
                InterruptionError.INVALID_TEXT,
                _("The title must be one line of at most %(max)d characters.")
                % {"max": LINE_MAX}, field="title"))
    if public_text is not None:
        if not public_text.strip():
            problems.append(DomainError(
                InterruptionError.INVALID_TEXT,
                _("Say what citizens are told: what is off, where and until when."),
                field="public_text"))
        elif len(public_text.strip()) > MESSAGE_MAX:
            problems.append(DomainError(
                InterruptionError.INVALID_TEXT,
                _("The text is %(n)d characters long; the limit is %(max)d.")
                % {"n": len(public_text.strip()), "max": MESSAGE_MAX}, field="public_text"))
    return problems


def times_problems(*, starts_at: datetime | None,
                   expected_restoration_at: datetime | None) -> list[DomainError]:
    problems = []
    if starts_at is None:
        problems.append(DomainError(InterruptionError.INVALID_TIMES,
                                    _("Give the start."), field="starts_at"))
    if expected_restoration_at is None:
        problems.append(DomainError(InterruptionError.INVALID_TIMES,
                                    _("Give the expected restoration."),
                                    field="expected_restoration_at"))
    if starts_at and expected_restoration_at:
        if expected_restoration_at <= starts_at:
            problems.append(DomainError(
                InterruptionError.INVALID_TIMES,
                _("The expected restoration must be after the start."),
                field="expected_restoration_at"))
        elif expected_restoration_at - starts_at > MAX_DURATION:
            problems.append(DomainError(
                InterruptionError.INVALID_TIMES,
                _("An interruption lasts at most %(days)d days; record a longer one in parts.")
                % {"days": MAX_DURATION.days}, field="expected_restoration_at"))
    return problems


def _raise_first(problems: list[DomainError]) -> None:
    if problems:
        raise problems[0]


def ward_ids_for_codes(codes: Iterable[str]) -> list[int]:
    """Ids of the wards with these codes; DomainError naming the first unknown one."""
    codes = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    found = dict(Ward.objects.filter(code__in=codes).values_list("code", "id"))
    for code in codes:
        if code not in found:
            raise DomainError(InterruptionError.UNKNOWN_WARD,
                              _("There is no ward with the code '%(code)s'.")
                              % {"code": code[:32]}, field="wards")
    return [found[c] for c in codes]


# An area drawn on the map: at most this many corners (a ward boundary needs
# far fewer; a bigger one is a file, not a drawing).
MAX_AREA_POINTS = 5000


def ward_ids_for_area(area) -> list[int]:
    """The wards a GeoJSON Polygon or MultiPolygon drawn on the map overlaps;
    DomainError naming `area` when it is not one, or touches no ward."""
    try:
        if not isinstance(area, dict) or area.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError("type")
        geometry = shape(area)
        if geometry.is_empty or not geometry.is_valid \
                or shapely.get_num_coordinates(geometry) > MAX_AREA_POINTS:
            raise ValueError("geometry")
    except (ValueError, TypeError, AttributeError, IndexError, KeyError,
            shapely.errors.GEOSException) as exc:
        raise DomainError(InterruptionError.INVALID_AREA, _(
            "The area must be a polygon drawn on the map (GeoJSON Polygon or MultiPolygon) "
            "whose edges do not cross."), field="area") from exc
    ward_ids = ward_ids_touching(geometry)
    if not ward_ids:
        raise DomainError(InterruptionError.NO_WARDS,
                          _("The area drawn lies outside every ward."), field="area")
    return ward_ids


# --- lead time and restoration standard ---------------------------------------------------


def lead_time(service_id: int) -> timedelta:
    hours = (InterruptionLeadTime.objects.filter(service_id=service_id)
             .values_list("hours", flat=True).first())
    return timedelta(hours=DEFAULT_LEAD_HOURS if hours is None else hours)


def restoration_target(interruption: Interruption) -> datetime | None:
    """When the service standard (its target for the interruption's priority)
    says the service must be back, counted from the start; None without one."""
    if interruption.standard is None:
        return None
    promise = promise_of(interruption.standard, interruption.priority)
    return promise.resolve.due_from(catalogue_snapshot().calendar, interruption.starts_at)


# --- writes -----------------------------------------------------------------------------


def interruption_create(
    *, draft: InterruptionDraft, actor: Staff | None = None, source: str = "staff",
    idempotency_key: str | None = None,
) -> Interruption:
    """Record an interruption, tell the wards (the hook) and integrations (webhook).

    An unplanned one that has started is in progress at once; a planned one
    is announced when its service's lead time before the start is reached
    (now, or later by interruptions_tick). With an `idempotency_key` already
    used, the first interruption is returned unchanged.
    """
    _raise_first(draft_problems(draft))
    if idempotency_key:
        earlier = Interruption.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            return _create(draft=draft, actor=actor, source=source,
                           idempotency_key=idempotency_key)
    except IntegrityError:
        earlier = (Interruption.objects.filter(idempotency_key=idempotency_key).first()
                   if idempotency_key else None)
        if earlier is None:
            raise
        return earlier


def _create(*, draft: InterruptionDraft, actor, source, idempotency_key) -> Interruption:
    now = clock.now()
    snapshot = catalogue_snapshot()
    local_start = draft.starts_at.astimezone(snapshot.calendar.tz).date()
    interruption = Interruption.objects.create(
        service=draft.service, kind=draft.kind, title=draft.title.strip(),
        public_text=draft.public_text.strip(), area=draft.area,
        starts_at=draft.starts_at, expected_restoration_at=draft.expected_restoration_at,
        priority=draft.priority, created_by=actor, source=source,
        idempotency_key=idempotency_key or None, created_at=now,
        standard=snapshot.standard_in_force(draft.service.pk, local_start),
        status=InterruptionStatus.ANNOUNCED,
    )
    interruption.wards.set(sorted(set(draft.ward_ids)))
    # The creation's webhook says all (it is sent with the state reached); the
    # start is no second webhook.
    _advance(interruption, now=now, actor=actor, webhook=False)
    _webhooks(interruption, "interruption.created", now=now)
    return interruption


def _advance(interruption: Interruption, *, now: datetime, actor=None,
             webhook: bool = True) -> None:
    """Announce and start `interruption` when their time has come (locked or new row)."""
    if interruption.status != InterruptionStatus.ANNOUNCED:
        return
    if interruption.announced_at is None and (
            interruption.kind == InterruptionKind.UNPLANNED
            or interruption.starts_at - lead_time(interruption.service_id) <= now):
        interruption.announced_at = now
        interruption.save(update_fields=["announced_at", "updated_at"])
        if interruption.starts_at > now:
            _changed(interruption, Change.ANNOUNCED, now=now, actor=actor,
                     text=interruption.public_text)
    if interruption.starts_at <= now:
        interruption.status = InterruptionStatus.IN_PROGRESS
        interruption.save(update_fields=["status", "updated_at"])
        _changed(interruption, Change.STARTED, now=now, actor=actor,
                 text=interruption.public_text, webhook=None if webhook else "")
        _rollup_for(interruption)


def _changed(interruption: Interruption, change: Change, *, now: datetime, actor,
             text: str, webhook: str | None = None) -> InterruptionUpdate:
    update = InterruptionUpdate.objects.create(interruption=interruption, change=change,
                                               text=text, at=now, author=actor)
    interruption_changed.send(sender=Interruption, interruption=interruption,
                              change=str(change), update=update)
    # `webhook`: None for the default (interruption.updated, none for an
    # announcement), "" for none at all.
    if webhook is None and change != Change.ANNOUNCED:
        webhook = "interruption.updated"
    if webhook:
        _webhooks(interruption, webhook, now=now, update=update)
    return update


def interruption_lock(interruption: Interruption | int) -> Interruption:
    pk = interruption.pk if isinstance(interruption, Interruption) else interruption
    return Interruption.objects.select_for_update(of=("self",)).select_related(
        "service", "standard").get(pk=pk)


@transaction.atomic
def interruption_update(
    *, interruption: Interruption, actor: Staff | None, text: str,
    expected_restoration_at: datetime | None = None, starts_at: datetime | None = None,
    title: str | None = None, public_text: str | None = None,
    ward_ids: Sequence[int] | None = None, area: dict | None = None,
) -> Interruption:
    """Tell citizens what is happening (`text`), and change what changed.

    A new expected restoration moves the deadline of every linked open case
    with it. Only a live interruption (announced or in progress) changes.
    """
    interruption = interruption_lock(interruption)
    if not interruption.is_live:
        raise DomainError(InterruptionError.TRANSITION_NOT_ALLOWED,
                          _("This interruption is over; it no longer changes."), field="status")
    problems = []
    if not (text or "").strip():
        problems.append(DomainError(InterruptionError.INVALID_TEXT,
                                    _("Write the update citizens will read."), field="text"))
    elif len(text.strip()) > MESSAGE_MAX:
        problems.append(DomainError(
            InterruptionError.INVALID_TEXT,
            _("The text is %(n)d characters long; the limit is %(max)d.")
            % {"n": len(text.strip()), "max": MESSAGE_MAX}, field="text"))
    problems += _text_problems(title=title, public_text=public_text)
    if starts_at is not None and interruption.status == InterruptionStatus.IN_PROGRESS \
            and starts_at != interruption.starts_at and starts_at > clock.now():
        problems.append(DomainError(
            InterruptionError.INVALID_TIMES,
            _("The interruption has started; its start cannot move into the future."),
            field="starts_at"))
    new_start = starts_at or interruption.starts_at
    new_expected = expected_restoration_at or interruption.expected_restoration_at
    problems += times_problems(starts_at=new_start, expected_restoration_at=new_expected)
    if ward_ids is not None and not ward_ids:
        problems.append(DomainError(
            InterruptionError.NO_WARDS,
            _("Choose at least one ward, or draw the area on the map."), field="wards"))
    _raise_first(problems)
    old_wards = set(interruption.wards.values_list("id", flat=True))
    old_months = _months(interruption)
    moved = new_expected != interruption.expected_restoration_at
    interruption.starts_at, interruption.expected_restoration_at = new_start, new_expected
    if title is not None:
        interruption.title = title.strip()
    if public_text is not None:
        interruption.public_text = public_text.strip()
    if area is not None:
        interruption.area = area
    interruption.save()
    if ward_ids is not None:
        interruption.wards.set(sorted(set(ward_ids)))
    now = clock.now()
    if moved:
        _linked_cases_due_move(interruption)
    _changed(interruption, Change.UPDATED, now=now, actor=actor, text=text.strip())
    _advance(interruption, now=now, actor=actor)
    _rollup_for(interruption, ward_ids=old_wards, months=old_months)
    return interruption


def _linked_open_case_ids(interruption: Interruption) -> list[int]:
    return list(InterruptionCase.objects.filter(
        interruption=interruption, case__status__in=sorted(map(str, OPEN_STATUSES)),
    ).order_by("case_id").values_list("case_id", flat=True))


def _linked_cases_due_move(interruption: Interruption) -> None:
    for case_id in _linked_open_case_ids(interruption):
        case = case_lock(case_id)
        case_resolve_due_move(case, due_at=interruption.expected_restoration_at)
        case.save(update_fields=["resolve_due_at", "resolve_warn_at", "next_check_at",
                                 "updated_at"])


@transaction.atomic
def interruption_restore(
    *, interruption: Interruption, actor: Staff | None, restored_at: datetime | None = None,
    text: str = "",
) -> Interruption:
    """The service is back: record when, and resolve every linked open report.

    Each linked case resolves through cases.services.case_resolve (its own
    event, message to the citizen, webhooks and figures), in this transaction.
    """
    interruption = interruption_lock(interruption)
    now = clock.now()
    restored_at = restored_at or now
    if interruption.status not in LIVE_STATUSES:
        raise DomainError(InterruptionError.TRANSITION_NOT_ALLOWED,
                          _("Only an interruption that is announced or in progress can be "
                            "restored."), field="status")
    if interruption.starts_at > now:
        raise DomainError(InterruptionError.TRANSITION_NOT_ALLOWED,
                          _("This interruption has not started yet; cancel it instead."),
                          field="status")
    if restored_at < interruption.starts_at:
        raise DomainError(InterruptionError.INVALID_TIMES,
                          _("The restoration cannot be before the start."), field="restored_at")
    if restored_at > now:
        raise DomainError(InterruptionError.INVALID_TIMES,
                          _("The restoration cannot be in the future."), field="restored_at")
    text = (text or "").strip() or _("The service is restored.")
    if len(text) > MESSAGE_MAX:
        raise DomainError(InterruptionError.INVALID_TEXT,
                          _("The text is %(n)d characters long; the limit is %(max)d.")
                          % {"n": len(text), "max": MESSAGE_MAX}, field="text")
    if interruption.status == InterruptionStatus.ANNOUNCED:  # the tick had not started it
        _advance(interruption, now=now, actor=actor)
    interruption.status = InterruptionStatus.RESTORED
    interruption.restored_at = restored_at
    interruption.save(update_fields=["status", "restored_at", "updated_at"])
    note = _("%(title)s: %(text)s") % {"title": interruption.title, "text": text}
    for case_id in _linked_open_case_ids(interruption):
        case_resolve(case=case_lock(case_id), actor=actor, outcome=Outcome.FIXED,
                     note=note[:MESSAGE_MAX])
    _changed(interruption, Change.RESTORED, now=now, actor=actor, text=text,
             webhook="interruption.restored")
    _rollup_for(interruption)
    return interruption


@transaction.atomic
def interruption_cancel(*, interruption: Interruption, actor: Staff | None,
                        text: str) -> Interruption:
    """Call off a planned interruption that has not started."""
    interruption = interruption_lock(interruption)
    if interruption.status != InterruptionStatus.ANNOUNCED or interruption.starts_at <= clock.now():
        raise DomainError(InterruptionError.TRANSITION_NOT_ALLOWED,
                          _("Only an interruption that has not started can be cancelled; "
                            "restore this one instead."), field="status")
    if not (text or "").strip():
        raise DomainError(InterruptionError.INVALID_TEXT,
                          _("Say why it is called off."), field="text")
    now = clock.now()
    interruption.status = InterruptionStatus.CANCELLED
    interruption.cancelled_at = now
    interruption.save(update_fields=["status", "cancelled_at", "updated_at"])
    _changed(interruption, Change.CANCELLED, now=now, actor=actor, text=text.strip()[:MESSAGE_MAX])
    return interruption


@dataclass(frozen=True)
class TickResult:
    announced: int
    started: int
    refreshed: int


def interruptions_tick() -> TickResult:
    """Announce planned interruptions whose lead time has come, start those whose
    start has come, and bring the hours of running ones up to date. Safe to run
    twice at once: each interruption is handled on its locked row."""
    now = clock.now()
    horizon = now + timedelta(hours=max(DEFAULT_LEAD_HOURS, *InterruptionLeadTime.objects
                                        .values_list("hours", flat=True), 0))
    due = list(Interruption.objects.filter(
        status=InterruptionStatus.ANNOUNCED, starts_at__lte=horizon,
    ).values_list("pk", flat=True))
    announced = started = 0
    for pk in due:
        with transaction.atomic():
            interruption = interruption_lock(pk)
            before = (interruption.announced_at, interruption.status)
            _advance(interruption, now=now)
            announced += before[0] is None and interruption.announced_at is not None
            started += before[1] != interruption.status
    running = Interruption.objects.filter(status=InterruptionStatus.IN_PROGRESS)
    refreshed = 0
    with transaction.atomic():
        for interruption in running:
            _rollup_for(interruption)
            refreshed += 1
    return TickResult(announced=announced, started=started, refreshed=refreshed)


# --- webhooks -----------------------------------------------------------------------------


def interruption_facts(interruption: Interruption, *, ward_codes: list[str] | None = None) -> dict:
    """What the API and webhooks say of an interruption: public facts only."""
    if ward_codes is None:
        ward_codes = sorted(interruption.wards.values_list("code", flat=True))
    return {
        "id": interruption.pk,
        "service": interruption.service.code,
        "wards": ward_codes,
        "kind": interruption.kind,
        "status": interruption.status,
        "title": interruption.title,
        "public_text": interruption.public_text,
        "starts_at": interruption.starts_at.isoformat(),
        "expected_restoration_at": interruption.expected_restoration_at.isoformat(),
        "restored_at": interruption.restored_at.isoformat() if interruption.restored_at else None,
        "url": site_link(f"/interruptions/{interruption.pk}/"),
    }


def _webhooks(interruption: Interruption, name: str, *, now: datetime,
              update: InterruptionUpdate | None = None) -> None:
    """One outbox message per subscription that wants `name` (integrations'
    snapshot; no query when nobody listens), written in this transaction."""
    snapshot = webhook_snapshot()
    department = snapshot.services.get(interruption.service_id, (None, None))[1]
    targets = [t for t in snapshot.targets if webhooks.wanted(t.events, name)
               and (t.department_id is None or t.department_id == department)]
    if not targets:
        return
    facts = interruption_facts(interruption)
    messages = []
    for target in targets:
        document = {
            "id": uuid.uuid4().hex, "event": name, "occurred_at": now.isoformat(),
            "interruption": facts,
            "update": {"change": update.change, "text": update.text,
                       "at": update.at.isoformat()} if update else None,
        }
        messages.append(OutboxMessage(
            channel=MessageChannel.WEBHOOK, recipient=target.url, template=name,
            body=webhooks.body_bytes(document),
            context={"subscription": target.subscription_id, "event": name},
            created_at=now, next_attempt_at=now))
    OutboxMessage.objects.bulk_create(messages)


# --- the rollup: hours without the service per ward and month -------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _months(interruption: Interruption) -> set[date]:
    tz = catalogue_snapshot().calendar.tz
    end = interruption.restored_at or max(clock.now(), interruption.starts_at)
    month = _month_start(interruption.starts_at.astimezone(tz).date())
    last = _month_start(end.astimezone(tz).date())
    months = set()
    while month <= last:
        months.add(month)
        month = _next_month(month)
    return months


def _rollup_for(interruption: Interruption, *, ward_ids: Iterable[int] = (),
                months: Iterable[date] = ()) -> None:
    interruption_rollup_refresh(
        ward_ids={*interruption.wards.values_list("id", flat=True), *ward_ids},
        months={*_months(interruption), *months}, service_ids={interruption.service_id})


def interruption_rollup_refresh(*, ward_ids: Iterable[int], months: Iterable[date],
                                service_ids: Iterable[int] | None = None) -> int:
    """Recompute the rollup rows of these wards and local months (and services)
    from the interruptions themselves; return how many rows are stored.

    Running interruptions count up to now; cancelled ones not at all. The
    interruptions touching the keys are read in one query; the keys' rows are
    replaced in two statements.
    """
    ward_ids, months = set(ward_ids), sorted(set(months))
    if not ward_ids or not months:
        return 0
    tz = catalogue_snapshot().calendar.tz
    now = clock.now()
    first = datetime.combine(months[0], datetime.min.time(), tzinfo=tz)
    after = datetime.combine(_next_month(months[-1]), datetime.min.time(), tzinfo=tz)
    rows = Interruption.wards.through.objects.filter(
        ward_id__in=ward_ids, interruption__starts_at__lt=after,
        interruption__status__in=[InterruptionStatus.IN_PROGRESS, InterruptionStatus.RESTORED],
    ).exclude(interruption__restored_at__lt=first)
    if service_ids is not None:
        rows = rows.filter(interruption__service_id__in=set(service_ids))
    spans: dict[tuple[int, int], list[tuple[datetime, datetime, int]]] = {}
    for ward_id, service_id, start, restored, pk in rows.values_list(
            "ward_id", "interruption__service_id", "interruption__starts_at",
            "interruption__restored_at", "interruption_id"):
        spans.setdefault((ward_id, service_id), []).append((start, restored or now, pk))
    stored = []
    for (ward_id, service_id), intervals in spans.items():
        for month in months:
            low = datetime.combine(month, datetime.min.time(), tzinfo=tz)
            high = datetime.combine(_next_month(month), datetime.min.time(), tzinfo=tz)
            hours, count = _hours_in(intervals, low, high)
            if count:
                stored.append(InterruptionWardMonth(ward_id=ward_id, service_id=service_id,
                                                    month=month, hours=round(hours, 2),
                                                    interruptions=count))
    existing = InterruptionWardMonth.objects.filter(ward_id__in=ward_ids, month__in=months)
    if service_ids is not None:
        existing = existing.filter(service_id__in=set(service_ids))
    existing.delete()
    InterruptionWardMonth.objects.bulk_create(stored)
    return len(stored)


def _hours_in(intervals: list[tuple[datetime, datetime, int]], low: datetime,
              high: datetime) -> tuple[float, int]:
    """Hours of [low, high) covered by the union of the intervals, and how many
    intervals touch it (overlapping interruptions count once in the hours)."""
    clipped = sorted((max(s, low), min(e, high)) for s, e, _pk in intervals
                     if s < high and e > low)
    total, current_start, current_end = 0.0, None, None
    for start, end in clipped:
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total / 3600, len(clipped)


@transaction.atomic
def interruptions_rollup_rebuild() -> int:
    """Recompute the whole rollup from the interruptions (the demo, repairs)."""
    InterruptionWardMonth.objects.all().delete()
    stored = 0
    interruptions = Interruption.objects.filter(
        status__in=[InterruptionStatus.IN_PROGRESS, InterruptionStatus.RESTORED])
    months: set[date] = set()
    for interruption in interruptions:
        months |= _months(interruption)
    ward_ids = set(Interruption.wards.through.objects.values_list("ward_id", flat=True))
    if months and ward_ids:
        stored = interruption_rollup_refresh(ward_ids=ward_ids, months=months)
    return stored


def interruption_link(interruption: Interruption) -> str:
    """The public page of `interruption` (what a message to a citizen links to)."""
    return site_link(f"/interruptions/{interruption.pk}/")
