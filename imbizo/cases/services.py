"""Writes to cases. Each service is one transaction that changes the case
through the transition table, records a CaseEvent and queues any message."""

import secrets
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from imbizo.catalogue import worktime
from imbizo.catalogue.models import Priority, Service, ServiceStandard
from imbizo.catalogue.snapshot import catalogue_snapshot, snapshot_reset
from imbizo.core import clock
from imbizo.core.bulk import insert_with_children
from imbizo.core.errors import DomainError
from imbizo.core.languages import Language, official_language
from imbizo.geo.selectors import ward_id_at, ward_id_for_code
from imbizo.notify.models import MessageChannel
from imbizo.notify.services import message_build, message_deliver_after_commit, message_enqueue
from imbizo.org.models import Office, Role, Staff
from imbizo.org.permissions import Permission, staff_allows
from imbizo.org.selectors import institution_country_reset

from . import clocks, transitions
from .errors import CaseError
from .hooks import (
    case_changed,
    case_events_recorded,
    case_moving,
    case_opened,
    case_opening,
    case_resolved,
)
from .intake import CaseDraft, draft_check
from .links import staff_case_link
from .models import Attachment, Case, CaseEvent, EventKind, Kind, Outcome
from .reference import reference_new
from .reopen_secret import secret_hash, secret_matches, secret_new
from .routing import route, routing_reset
from .transitions import ClockEffect, Status
from .uploads import MAX_PHOTOS, image_check


def calendar() -> worktime.WorkingCalendar:
    """The institution's working calendar (from the per-process catalogue snapshot)."""
    return catalogue_snapshot().calendar


def calendar_reset() -> None:
    """Forget cached catalogue, calendar, country and routing data (tests, after
    bulk changes)."""
    snapshot_reset()
    institution_country_reset()
    routing_reset()


def promise_of(standard: ServiceStandard, priority: str = Priority.NORMAL) -> clocks.Promise:
    """The targets `standard` sets for a case of `priority`: its own, or those it
    sets for that priority (catalogue.PriorityTarget), read from the snapshot."""
    targets = catalogue_snapshot().priority_target(standard, priority) or standard
    return clocks.Promise(
        ack=worktime.Target(targets.ack_amount, targets.ack_unit),
        update=worktime.Target(standard.update_amount, standard.update_unit),
        resolve=worktime.Target(targets.resolve_amount, targets.resolve_unit),
        warn_before_minutes=standard.warn_before_hours * 60,
    )


# --- opening -----------------------------------------------------------------


def case_open(
    *, draft: CaseDraft, actor: Staff | None = None, idempotency_key: str | None = None,
    photos: Sequence = (),
) -> Case:
    """Open a case from any channel and queue the citizen's acknowledgement.

    The ward comes from the location, the office from the routing rules, the
    promise (due instants) from the service standard in force. `photos` are
    uploaded files, checked by content (cases.uploads). With an
    `idempotency_key` already used, the first case is returned unchanged.
    """
    service, fields = draft_check(draft)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            CaseError.INVALID_UPLOAD,
            _("Send at most %(n)d photos.") % {"n": MAX_PHOTOS}, field="photo",
        )
    checked_photos = [(photo, *image_check(photo)) for photo in photos]
    ward_id = _ward_of(service=service, fields=fields, draft=draft)
    # Insert first and let the unique constraints speak: a used idempotency key
    # returns the first case; a reference collision (rare) retries with another.
    # On PostgreSQL a report without photos is one INSERT statement, atomic by
    # itself; anything more needs a transaction around it, and a caller's open
    # transaction needs a savepoint so that a duplicate key does not abort it.
    single_statement = (connection.vendor == "postgresql" and not checked_photos
                        and not connection.in_atomic_block)
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with nullcontext() if single_statement else transaction.atomic():
                case = _case_insert(
                    service=service, fields=fields, ward_id=ward_id, actor=actor,
                    idempotency_key=idempotency_key, draft=draft,
                )
                for photo, content_type, extension in checked_photos:
                    _attach(case, photo, content_type, extension)
                if case.kind == "compliment":
                    case_opened.send(sender=Case, case=case)
                return case
        except IntegrityError:
            if idempotency_key:
                existing = Case.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


REFERENCE_ATTEMPTS = 5
# Kinds that are about a spot when their service needs a place.
PLACE_KINDS = frozenset({Kind.REQUEST, Kind.COMPLAINT})


def _ward_of(*, service, fields: dict, draft: CaseDraft) -> int | None:
    """The case's ward: the point's, else the ward chosen by code; refused when
    the door asked for the place, the service needs one and none is known."""
    if fields["lat"] is not None:
        ward_id = ward_id_at(lat=fields["lat"], lon=fields["lon"])
        if ward_id is None:
            raise DomainError(
                CaseError.OUTSIDE_WARDS,
                _("This location is outside the area we serve."),
                field="location",
            )
        return ward_id
    if draft.ward_code:
        ward_id = ward_id_for_code(draft.ward_code)
        if ward_id is None:
            raise DomainError(
                CaseError.UNKNOWN_WARD,
                _("There is no ward with the code '%(code)s'.") % {"code": draft.ward_code[:32]},
                field="ward",
            )
        return ward_id
    if (draft.place_asked and service.needs_place and fields["kind"] in PLACE_KINDS
            and not draft.place_unknown):
        raise DomainError(
            CaseError.PLACE_NEEDED,
            _("%(service)s needs a place: find the street or landmark, mark it on the map or "
              "choose the ward; or say that the place is unknown.") % {"service": service.name},
            field="ward",
        )
    return None


def _case_insert(*, service, fields, ward_id, actor, idempotency_key, draft: CaseDraft) -> Case:
    now = clock.now()
    snapshot = catalogue_snapshot()
    standard = snapshot.standard_in_force(service.pk, now.astimezone(snapshot.calendar.tz).date())
    reopen_secret = secret_new()
    case = Case(
        **fields, ward_id=ward_id, opened_at=now, standard=standard,
        idempotency_key=idempotency_key or None, reference=reference_new(_rng),
        reopen_secret_hash=secret_hash(reopen_secret),
    )
    # Not stored: the caller shows it once to the reporter (the confirmation page).
    case.reopen_secret = reopen_secret
    if standard is not None:
        _due_set(case, promise_of(standard, case.priority), start=now, cal=snapshot.calendar)
    case.office = route(service_id=service.pk, ward_id=ward_id)
    events = [CaseEvent(kind=EventKind.OPENED, at=now, actor=actor, public=True,
                        to_status=Status.RECEIVED, details={"channel": case.channel})]
    if case.office is not None and case.office.auto_acknowledge:
        # The office's explicit choice, told to the citizen as what it is ("received
        # by our system; a person will look at it by ..."): counted apart, and the
        # clock for a person's acknowledgement keeps running.
        case.acknowledged_by_system = True
        events.append(CaseEvent(kind=EventKind.ACKNOWLEDGED, at=now, public=True,
                                details={"automatic": True}))
    _next_check_update(case)
    # Assignment never acknowledges: acknowledging is a person's act (case_acknowledge).
    if case.office is not None and case.office.auto_assign:
        case.assignee = _least_busy_officer(case.office)
        if case.assignee is not None:
            events.append(transition(
                case, to=Status.ASSIGNED, at=now, actor=None, kind=EventKind.ASSIGNED,
                details={"office": case.office.code, "automatic": True}, record=False))
    rows: list = []
    case_opening.send(sender=Case, case=case, draft=draft, rows=rows)
    # The case, its events, the acknowledgement, any webhooks and listeners'
    # rows (the consent, rollup deltas) go in together.
    insert_with_children(case, [*events, *_citizen_messages(
                                    case, template="received",
                                    extra={"reopen_secret": reopen_secret}),
                                *event_messages(case, events), *rows],
                         fk_attname="case_id")
    return case


_rng = secrets.SystemRandom()


def _attach(case: Case, photo, content_type: str, extension: str) -> Attachment:
    # Our own name: the uploader's file name is neither trusted nor kept.
    name = f"{case.reference}-{secrets.token_hex(6)}.{extension}"
    attachment = Attachment(case=case, content_type=content_type, size=photo.size)
    attachment.file.save(name, photo, save=False)
    attachment.save()
    return attachment


def _least_busy_officer(office: Office) -> Staff | None:
    """The office's active officer with the fewest open cases (lowest id on a tie).

    Each officer's open cases are counted on the (assignee, status) index; a
    join would read every case an officer was ever given, which at a
    province's size is hundreds of thousands of rows for every report."""
    open_cases = (Case.objects.filter(assignee=OuterRef("pk"),
                                      status__in=sorted(map(str, transitions.OPEN_STATUSES)))
                  .order_by().values("assignee").annotate(n=Count("*")).values("n"))
    return (
        Staff.objects.filter(office=office, role=Role.OFFICER, active=True)
        .annotate(open_cases=Coalesce(Subquery(open_cases), 0))
        .order_by("open_cases", "id")
        .first()
    )


# --- the transition core ----------------------------------------------------------------


def event_record(
    *, case: Case, kind: str, at: datetime, actor: Staff | None = None, note: str = "",
    public: bool = False, from_status: str = "", to_status: str = "",
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, kind=kind, at=at, actor=actor, note=note, public=public,
        from_status=from_status, to_status=to_status, details=details or {},
    )
    _event_messages_save(case, [event])
    return event


def event_messages(case: Case, events: Sequence[CaseEvent]) -> list:
    """Unsaved outbox messages other apps ask for on `events` (webhooks; see hooks)."""
    return [message for _receiver, answer in
            case_events_recorded.send(sender=Case, case=case, events=list(events))
            for message in answer or ()]


def _event_messages_save(case: Case, events: Sequence[CaseEvent]) -> None:
    messages = event_messages(case, events)
    if not messages:
        return
    # One INSERT however many subscriptions listen (ids come back on both databases).
    for message in type(messages[0]).objects.bulk_create(messages):
        message_deliver_after_commit(message_id=message.pk)


# acknowledged_at is not among them: a case is acknowledged once (a reopened case
# moving to acknowledged keeps its first acknowledgement, which the figures counted).
_TIMESTAMP_OF = {
    Status.ASSIGNED: "assigned_at",
    Status.IN_PROGRESS: "started_at",
    Status.RESOLVED: "resolved_at",
    Status.CLOSED: "closed_at",
    Status.REOPENED: "reopened_at",
}


def transition(
    case: Case, *, to: Status, at: datetime, actor: Staff | None, kind: str = EventKind.STATUS,
    note: str = "", public: bool = True, details: dict | None = None, record: bool = True,
) -> CaseEvent:
    """Move `case` to `to` by the transition table, adjust its clocks, record the event.

    The caller saves the case (inside its transaction). With `record=False`
    the event is returned unsaved, for a caller that inserts it with the case.
    """
    source = Status(case.status)
    move = _move_allowed(source, to)
    acknowledged_before = case.acknowledged_at
    if move.clock == ClockEffect.STOP and case.standard_id is not None:
        # The verdict goes into the history: was the promise to resolve kept?
        details = {**(details or {}), "on_time": clocks.resolved_on_time(
            at=at, due=case.resolve_due_at, breached_at=case.resolve_breached_at)}
    stamp = _TIMESTAMP_OF.get(to)
    if stamp:
        setattr(case, stamp, at)
    if to == Status.ACKNOWLEDGED:  # only a person moves a case here (case_acknowledge)
        case.acknowledged_at = case.acknowledged_at or at
    _clock_apply(case, move.clock, at)
    case.status = to
    _next_check_update(case)
    event = CaseEvent(case=case if case.pk else None, kind=kind, at=at, actor=actor, note=note,
                      public=public, from_status=source, to_status=to, details=details or {})
    if record:
        event.save(force_insert=True)
        case_changed.send(sender=Case, case=case, event=event,
                          acknowledged_before=acknowledged_before)
        _event_messages_save(case, [event])
    return event


def _move_allowed(source: Status, target: Status) -> transitions.Move:
    """The move from `source` to `target`, or DomainError when the table forbids it."""
    try:
        return transitions.move(source, target)
    except ValueError as exc:
        raise DomainError(
            CaseError.TRANSITION_NOT_ALLOWED,
            _("A case that is %(source)s cannot be made %(target)s.")
            % {"source": source.value.replace("_", " "),
               "target": target.value.replace("_", " ")},
            field="status",
        ) from exc


def _clock_apply(case: Case, effect: ClockEffect, at: datetime) -> None:
    if case.standard_id is None:
        return
    cal = calendar()
    promise = promise_of(case.standard, case.priority)
    if effect == ClockEffect.PAUSE:
        case.waiting_since = at
        if case.resolve_due_at is not None:
            case.resolve_paused_seconds = clocks.remaining_seconds(cal, at, case.resolve_due_at)
            case.resolve_due_at = None
            case.resolve_warn_at = None
    elif effect == ClockEffect.RESUME:
        case.waiting_since = None
        if case.resolve_paused_seconds is not None:
            resumed = clocks.resume_clock(cal, promise, at, case.resolve_paused_seconds)
            case.resolve_due_at, case.resolve_warn_at = resumed.due_at, resumed.warn_at
            case.resolve_paused_seconds = None
    elif effect == ClockEffect.RESTART:
        restarted = clocks.resolve_clock(cal, promise, at)
        case.resolve_due_at, case.resolve_warn_at = restarted.due_at, restarted.warn_at
        case.resolve_paused_seconds = None
        case.resolve_warned_at = case.resolve_breached_at = None
        case.escalation_level, case.escalate_next_at = 0, None
        case.update_due_at = promise.update.due_from(cal, at)
        case.update_overdue_at = None
        case.waiting_since = None
    elif effect == ClockEffect.STOP:
        case.waiting_since = None
        case.resolve_paused_seconds = None


def _next_check_update(case: Case) -> None:
    """Store the earliest instant at which the sweep has work for `case`."""
    if case.status not in transitions.OPEN_STATUSES:
        case.next_check_at = None
        return
    case.next_check_at = clocks.next_check(
        case.ack_due_at if case.acknowledged_at is None and case.ack_breached_at is None else None,
        case.update_due_at if case.update_overdue_at is None else None,
        case.resolve_warn_at if case.resolve_warned_at is None else None,
        case.resolve_due_at if case.resolve_breached_at is None else None,
        case.escalate_next_at,
    )


def case_resolve_due_move(case: Case, *, due_at: datetime) -> None:
    """Move the pending resolution deadline of `case` to `due_at` (a promise made
    for it by something bigger than the case, such as a service interruption's
    expected restoration), keeping the warning's lead; the caller saves `case`
    (unsaved, from a case_opening receiver, or locked). A clock that already
    fired, or a paused or closed case, is left as it is."""
    if not case.is_open or case.resolve_breached_at is not None or case.waiting_since:
        return
    lead = (case.resolve_due_at - case.resolve_warn_at
            if case.resolve_due_at and case.resolve_warn_at else None)
    case.resolve_due_at = due_at
    if case.resolve_warned_at is None:
        case.resolve_warn_at = due_at - lead if lead is not None else None
    _next_check_update(case)


def _due_set(case: Case, promise: clocks.Promise, *, start: datetime,
             cal: worktime.WorkingCalendar) -> None:
    """Due instants of `case`'s clocks counted from `start` (its opening)."""
    resolve = clocks.resolve_clock(cal, promise, start)
    case.ack_due_at = promise.ack.due_from(cal, start)
    case.update_due_at = promise.update.due_from(cal, start)
    case.resolve_due_at = resolve.due_at
    case.resolve_warn_at = resolve.warn_at


def _due_rederive(case: Case) -> None:
    """Re-derive the clocks of `case` from its standard (snapshot rules) after its
    priority or service changed. A clock that already fired or stopped stays as
    it was (its figures are counted); a pending one gets its new due instant,
    counted from the opening (the reopening, for the resolution clock)."""
    if case.standard_id is None or not case.is_open:
        _next_check_update(case)
        return
    cal = calendar()
    promise = promise_of(case.standard, case.priority)
    if case.acknowledged_at is None and case.ack_breached_at is None:
        case.ack_due_at = promise.ack.due_from(cal, case.opened_at)
    if case.update_overdue_at is None:
        case.update_due_at = promise.update.due_from(cal, case.last_public_update_at
                                                     or case.reopened_at or case.opened_at)
    if case.resolve_breached_at is None:
        resolve = clocks.resolve_clock(cal, promise, case.reopened_at or case.opened_at)
        if case.waiting_since is not None:
            # Paused: keep the working time the new target leaves at the pause.
            case.resolve_paused_seconds = clocks.remaining_seconds(
                cal, case.waiting_since, resolve.due_at)
        else:
            case.resolve_due_at = resolve.due_at
            if case.resolve_warned_at is None:
                case.resolve_warn_at = resolve.warn_at
    _next_check_update(case)


def case_lock(case: Case | int) -> Case:
    """Re-read the case with its row locked (inside the caller's transaction)."""
    pk = case.pk if isinstance(case, Case) else case
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("standard", "service")
        .get(pk=pk)
    )


# --- staff actions ---------------------------------------------------------------------


@transaction.atomic
def case_acknowledge(*, case: Case, actor: Staff, note: str = "") -> Case:
    """Mark `case` acknowledged: a person has read it and owns the next step.

    Whatever the status: the acknowledgement stops the acknowledgement clock
    and records an "acknowledged" event; a case still received moves to
    acknowledged. A reopened case, acknowledged before, only moves on. A case
    already acknowledged by a person (or done) is refused.
    """
    case = case_lock(case)
    now = clock.now()
    status = Status(case.status)
    if case.acknowledged_at is None:
        if not case.is_open:
            raise DomainError(CaseError.TRANSITION_NOT_ALLOWED,
                              _("This case is no longer open."), field="status")
        _acknowledge(case, actor=actor, at=now, note=note, how="acknowledged")
    elif status == Status.REOPENED:
        transition(case, to=Status.ACKNOWLEDGED, at=now, actor=actor, note=note)
    else:
        raise DomainError(CaseError.TRANSITION_NOT_ALLOWED,
                          _("This case is already acknowledged."), field="status")
    case.save()
    return case


def _acknowledge(case: Case, *, actor: Staff | None, at: datetime, note: str = "",
                 how: str) -> CaseEvent:
    """A person's acknowledgement of `case` (caller holds the lock and saves):
    stamps it, records the event, moves a received case to acknowledged."""
    details = {"how": how}
    if case.status == Status.RECEIVED:
        return transition(case, to=Status.ACKNOWLEDGED, at=at, actor=actor, note=note,
                          kind=EventKind.ACKNOWLEDGED, details=details)
    case.acknowledged_at = at
    event = CaseEvent.objects.create(case=case, kind=EventKind.ACKNOWLEDGED, at=at, actor=actor,
                                     note=note, public=True, details=details)
    _next_check_update(case)
    case_changed.send(sender=Case, case=case, event=event, acknowledged_before=None)
    _event_messages_save(case, [event])
    return event


def _acknowledged_by_update(case: Case, *, actor: Staff | None, at: datetime) -> None:
    """A person's first update to the citizen acknowledges the case (an automatic
    message never does: it has no actor, and agents do not acknowledge)."""
    if case.acknowledged_at is None and case.is_open \
            and staff_allows(actor, Permission.CASE_ACKNOWLEDGE):
        _acknowledge(case, actor=actor, at=at, how="update")


@transaction.atomic
def case_assign(
    *, case: Case, actor: Staff | None, office: Office | None = None,
    assignee: Staff | None = None, note: str = "",
) -> Case:
    """Give `case` to an office and/or an officer."""
    case = case_lock(case)
    if assignee is not None and office is None:
        office = assignee.office or case.office
    if office is not None:
        if office.pk != case.office_id:
            case_moving.send(sender=Case, case=case, office_to=office.pk,
                             service_to=case.service_id)
        case.office = office
    case.assignee = assignee
    transition(
        case, to=Status.ASSIGNED, at=clock.now(), actor=actor, kind=EventKind.ASSIGNED,
        note=note, public=False,
        details={
            "office": case.office.code if case.office else None,
            "assignee": assignee.pk if assignee else None,
        },
    )
    case.save()
    return case


@transaction.atomic
def case_start(*, case: Case, actor: Staff, note: str = "") -> Case:
    case = case_lock(case)
    transition(case, to=Status.IN_PROGRESS, at=clock.now(), actor=actor, note=note)
    case.save()
    return case


@transaction.atomic
def case_wait(*, case: Case, actor: Staff, on: str, note: str) -> Case:
    """Pause the resolution clock while waiting on the citizen or a third party."""
    target = {"citizen": Status.WAITING_CITIZEN, "third_party": Status.WAITING_THIRD_PARTY}.get(on)
    if target is None:
        raise DomainError(
            CaseError.INVALID_CHOICE, _("Wait on 'citizen' or 'third_party'."), field="on"
        )
    if not note.strip():
        raise DomainError(
            CaseError.INVALID_CHOICE, _("Say what we are waiting for."), field="note"
        )
    case = case_lock(case)
    now = clock.now()
    if target == Status.WAITING_CITIZEN:  # the note goes to the citizen
        _acknowledged_by_update(case, actor=actor, at=now)
    transition(case, to=target, at=now, actor=actor, note=note.strip())
    case.save()
    if target == Status.WAITING_CITIZEN:
        _tell_citizen(case, template="updated", extra={"message": note.strip()})
    return case


@transaction.atomic
def case_resume(*, case: Case, actor: Staff, note: str = "") -> Case:
    """End a wait: the clock runs again with the working time that was left."""
    case = case_lock(case)
    if case.status not in transitions.WAITING_STATUSES:
        raise DomainError(
            CaseError.TRANSITION_NOT_ALLOWED, _("This case is not waiting."), field="status"
        )
    transition(case, to=Status.IN_PROGRESS, at=clock.now(), actor=actor, note=note)
    case.save()
    return case


@transaction.atomic
def case_update_citizen(*, case: Case, actor: Staff | None, message: str) -> Case:
    """Send the citizen an update (shown on the tracking page) and reset the update clock."""
    message = message.strip()
    if not message:
        raise DomainError(
            CaseError.INVALID_DESCRIPTION, _("The update is empty."), field="message"
        )
    case = case_lock(case)
    now = clock.now()
    _acknowledged_by_update(case, actor=actor, at=now)
    event_record(case=case, kind=EventKind.PUBLIC_UPDATE, at=now, actor=actor, note=message,
                 public=True)
    case.last_public_update_at = now
    if case.standard_id and case.is_open:
        case.update_due_at = promise_of(case.standard, case.priority).update.due_from(
            calendar(), now)
        case.update_overdue_at = None
    _next_check_update(case)
    case.save()
    _tell_citizen(case, template="updated", extra={"message": message})
    return case


@transaction.atomic
def case_priority_change(*, case: Case, actor: Staff, priority: str, note: str = "") -> Case:
    """Set how pressing `case` is; its pending clocks follow the standard's
    targets for the new priority (an urgent case: hours round the clock)."""
    if priority not in Priority.values:
        raise DomainError(CaseError.INVALID_CHOICE,
                          _("Choose a priority: low, normal, high or urgent."), field="priority")
    case = case_lock(case)
    if priority == case.priority:
        return case
    before = case.priority
    case.priority = priority
    _due_rederive(case)
    event_record(case=case, kind=EventKind.PRIORITY, at=clock.now(), actor=actor,
                 note=note.strip(), details={"from": before, "to": priority})
    case.save()
    return case


@transaction.atomic
def case_language_change(*, case: Case, actor: Staff, language: str, note: str = "") -> Case:
    """Correct the language the citizen is written to in (a caller asked for
    another, or the one found in their words was wrong). Messages not yet
    sent follow it: case messages are rendered when sent."""
    code = official_language(language)
    if not code or code != language.strip().lower():
        raise DomainError(
            CaseError.INVALID_CHOICE,
            _("'%(code)s' is not one of South Africa's official language codes (%(codes)s).")
            % {"code": language[:16], "codes": ", ".join(Language.values)}, field="language")
    case = case_lock(case)
    if code == case.language:
        return case
    before = case.language
    case.language = code
    event_record(case=case, kind=EventKind.LANGUAGE, at=clock.now(), actor=actor,
                 note=note.strip(), details={"from": before, "to": code})
    case.save()
    return case


@transaction.atomic
def case_service_change(*, case: Case, actor: Staff, service: Service, note: str = "") -> Case:
    """Correct the service of `case` to another active service, so that the final
    service is known. The standard becomes the one the new service had in force
    when the case opened (opened_at is unchanged) and the pending clocks follow
    it; the case's figures move to the new service."""
    active = catalogue_snapshot().services.get(service.code)
    if active is None:
        raise DomainError(CaseError.UNKNOWN_SERVICE, _("Choose an active service."),
                          field="service")
    case = case_lock(case)
    if active.pk == case.service_id:
        return case
    before = case.service
    snapshot = catalogue_snapshot()
    case_moving.send(sender=Case, case=case, office_to=case.office_id, service_to=active.pk)
    case.service = active
    case.standard = snapshot.standard_in_force(
        active.pk, case.opened_at.astimezone(snapshot.calendar.tz).date())
    if case.standard is None:  # no promise: no pending clock
        if case.acknowledged_at is None and case.ack_breached_at is None:
            case.ack_due_at = None
        if case.resolve_breached_at is None:
            case.resolve_due_at = case.resolve_warn_at = case.resolve_paused_seconds = None
    now = clock.now()
    _due_rederive(case)
    event_record(case=case, kind=EventKind.SERVICE, at=now, actor=actor, note=note.strip(),
                 details={"from": before.code, "to": active.code})
    case.save()
    return case


@transaction.atomic
def case_note(*, case: Case, actor: Staff, note: str) -> CaseEvent:
    """An internal note: staff only, never shown to the citizen."""
    if not note.strip():
        raise DomainError(CaseError.INVALID_DESCRIPTION, _("The note is empty."), field="note")
    return event_record(case=case, kind=EventKind.NOTE, at=clock.now(), actor=actor,
                        note=note.strip())


@transaction.atomic
def case_resolve(
    *, case: Case, actor: Staff | None, outcome: str, note: str = "", reason: str = "",
    referred_to: str = "", root_cause: str = "", redress: str = "",
) -> Case:
    """Resolve with an honest outcome; 'not fixed' needs a reason, 'referred' a body."""
    if outcome not in Outcome.values:
        raise DomainError(
            CaseError.MISSING_OUTCOME,
            _("Choose an outcome: fixed, not fixed, referred, duplicate or withdrawn."),
            field="outcome",
        )
    if outcome == Outcome.NOT_FIXED and not reason.strip():
        raise DomainError(
            CaseError.MISSING_OUTCOME, _("Say why it was not fixed."), field="reason"
        )
    if outcome == Outcome.REFERRED and not referred_to.strip():
        raise DomainError(
            CaseError.MISSING_OUTCOME, _("Name the body it was referred to."),
            field="referred_to",
        )
    case = case_lock(case)
    case.outcome = outcome
    case.outcome_reason = reason.strip()
    case.referred_to = referred_to.strip()
    case.root_cause = root_cause.strip()
    case.redress = redress.strip()
    now = clock.now()
    _acknowledged_by_update(case, actor=actor, at=now)  # the resolution message tells the citizen
    transition(case, to=Status.RESOLVED, at=now, actor=actor, note=note.strip(),
               details={"outcome": outcome})
    extra = {"note": note.strip()}
    if _citizen_reachable(case):
        # The resolution message is the one a citizen reopens from: it carries a
        # fresh secret (the first one's plain text was never kept).
        extra["reopen_secret"] = secret_new()
        case.reopen_secret_hash = secret_hash(extra["reopen_secret"])
    case.save()
    for _receiver, answer in case_resolved.send(sender=Case, case=case):
        extra.update(answer or {})
    _tell_citizen(case, template="resolved", extra=extra)
    return case


@transaction.atomic
def case_close(*, case: Case, actor: Staff | None, note: str = "") -> Case:
    case = case_lock(case)
    if case.status != Status.RESOLVED and not case.outcome:
        raise DomainError(
            CaseError.MISSING_OUTCOME,
            _("Resolve the case with an outcome before closing it."), field="outcome",
        )
    transition(case, to=Status.CLOSED, at=clock.now(), actor=actor, note=note)
    case.save()
    return case


@transaction.atomic
def case_reopen(*, case: Case, actor: Staff | None, reason: str, channel: str = "") -> Case:
    """Reopen a resolved or closed case (by the citizen or staff); the clock restarts.

    Interfaces open to the public call `case_reopen_by_citizen`, which asks
    for the case's secret first; this one trusts its caller (staff signed in,
    an API key)."""
    if not reason.strip():
        raise DomainError(
            CaseError.INVALID_DESCRIPTION, _("Say why the case is reopened."), field="reason"
        )
    case = case_lock(case)
    _reopen(case, actor=actor, reason=reason.strip(), details={
        "by_citizen": actor is None, "channel": channel or ("staff" if actor else "api")})
    case.save()
    return case


@transaction.atomic
def case_reopen_by_citizen(*, case: Case, secret: str, reason: str, channel: str = "web") -> Case:
    """The citizen reopens their own resolved or closed case with the secret
    that only their confirmation page and their own messages carry. Without it,
    or with a wrong one, DomainError(REOPEN_SECRET_WRONG) and nothing changes."""
    case = case_lock(case)
    if not secret_matches(secret, case.reopen_secret_hash):
        raise DomainError(CaseError.REOPEN_SECRET_WRONG, _(
            "This report can be reopened only with the reopen code from your confirmation "
            "page or from our last message to you. Without it, call or visit us and we will "
            "reopen it for you."), field="secret")
    if case.parent_id is not None:
        raise DomainError(CaseError.TRANSITION_NOT_ALLOWED, _(
            "This report is followed under another reference; reopen that one."), field="status")
    _move_allowed(Status(case.status), Status.REOPENED)
    return case_reopen(case=case, actor=None, reason=reason, channel=channel)


def _reopen(case: Case, *, actor: Staff | None, reason: str, details: dict) -> CaseEvent:
    case.reopen_count += 1
    case.outcome = ""
    event = transition(case, to=Status.REOPENED, at=clock.now(), actor=actor,
                       kind=EventKind.REOPENED, note=reason, details=details)
    _tell_staff_of_reopening(case, event=event)
    return event


def _tell_staff_of_reopening(case: Case, *, event: CaseEvent) -> None:
    """Email the assigned officer and the office's supervisors (not the one who
    reopened it): a reopened case is work that came back."""
    people = Staff.objects.filter(active=True).exclude(user__email="").filter(
        Q(pk=case.assignee_id) | Q(office_id=case.office_id, role=Role.SUPERVISOR)
        if case.office_id else Q(pk=case.assignee_id))
    if event.actor_id:
        people = people.exclude(pk=event.actor_id)
    context = {"case": case, "reason": event.note, "by_citizen": event.actor_id is None,
               "link": staff_case_link(case.reference), "service_name": case.service.name}
    for email in sorted(set(people.values_list("user__email", flat=True))):
        message_enqueue(channel=MessageChannel.EMAIL, recipient=email,
                        template="case_reopened_staff", context=context, case=case,
                        dedupe_key=f"reopened:{event.pk}:{email}"[:120])


# --- one entry point for a target status ---------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What resolving needs besides a note (see case_resolve)."""

    outcome: str = ""
    reason: str = ""
    referred_to: str = ""
    root_cause: str = ""
    redress: str = ""


@dataclass(frozen=True)
class _Change:
    case: Case
    actor: Staff | None
    note: str
    resolution: Resolution
    assignee: Staff | None


def _to_in_progress(change: _Change) -> Case:
    # Leaving a wait is a resume (the clock runs again); from anywhere else, a start.
    waiting = change.case.status in transitions.WAITING_STATUSES
    service = case_resume if waiting else case_start
    return service(case=change.case, actor=change.actor, note=change.note)


# The service that makes each move, by target status (the table says which
# sources may reach it; none reaches "received").
_SERVICE_FOR: dict[Status, Callable[[_Change], Case]] = {
    Status.ACKNOWLEDGED: lambda c: case_acknowledge(case=c.case, actor=c.actor, note=c.note),
    Status.ASSIGNED: lambda c: case_assign(case=c.case, actor=c.actor, assignee=c.assignee,
                                           note=c.note),
    Status.IN_PROGRESS: _to_in_progress,
    Status.WAITING_CITIZEN: lambda c: case_wait(case=c.case, actor=c.actor, on="citizen",
                                                note=c.note),
    Status.WAITING_THIRD_PARTY: lambda c: case_wait(case=c.case, actor=c.actor,
                                                    on="third_party", note=c.note),
    Status.RESOLVED: lambda c: case_resolve(case=c.case, actor=c.actor, note=c.note,
                                            **asdict(c.resolution)),
    Status.CLOSED: lambda c: case_close(case=c.case, actor=c.actor, note=c.note),
    Status.REOPENED: lambda c: case_reopen(case=c.case, actor=c.actor, reason=c.note),
}


@transaction.atomic
def case_status_change(
    *, case: Case, to: Status | str, actor: Staff | None, note: str = "",
    resolution: Resolution | None = None, assignee: Staff | None = None,
) -> Case:
    """Move `case` to the status `to` through the service that makes that move.

    Every interface with a target status comes here. The transition table
    (cases.transitions) is read first, on the locked row: a status that is
    not one, or a move the table forbids, raises DomainError and changes
    nothing. `note` is the text of the move (for a reopening, its reason;
    for a wait, what is awaited); `resolution` goes with "resolved" and
    `assignee` with "assigned".
    """
    try:
        target = Status(to)
    except ValueError as exc:
        raise DomainError(
            CaseError.INVALID_CHOICE, _("'%(status)s' is not a case status.") % {"status": to},
            field="status",
        ) from exc
    case = case_lock(case)
    if target != Status.ACKNOWLEDGED:  # acknowledging has its own rule (case_acknowledge)
        _move_allowed(Status(case.status), target)  # no move leads back to "received"
    return _SERVICE_FOR[target](_Change(case=case, actor=actor, note=note,
                                        resolution=resolution or Resolution(), assignee=assignee))


@transaction.atomic
def case_merge(*, case: Case, into: Case, actor: Staff) -> Case:
    """Merge a duplicate report into the incident `into`; the duplicate resolves as such."""
    if case.pk == into.pk:
        raise DomainError(
            CaseError.MERGE_NOT_ALLOWED, _("A case cannot be merged into itself."), field="into"
        )
    into = Case.objects.select_for_update().get(pk=into.pk)
    if into.parent_id is not None:
        into = Case.objects.select_for_update().get(pk=into.parent_id)
    if not into.is_open:
        raise DomainError(
            CaseError.MERGE_NOT_ALLOWED,
            _("Merge into an open case; %(ref)s is already done.") % {"ref": into.reference},
            field="into",
        )
    case = case_lock(case)
    case.parent = into
    case.outcome = Outcome.DUPLICATE
    now = clock.now()
    event_record(case=case, kind=EventKind.MERGED, at=now, actor=actor, public=True,
                 note=into.reference, details={"into": into.reference})
    transition(case, to=Status.RESOLVED, at=now, actor=actor,
               note=_("Merged into %(ref)s, which tracks the same problem.")
               % {"ref": into.reference}, details={"outcome": Outcome.DUPLICATE})
    case.save()
    _tell_citizen(case, template="merged", extra={"into_id": into.pk})
    return case


@transaction.atomic
def case_client_update(
    *, case: Case, message: str, source: str, external_id: str = "", reopen: bool = False,
) -> CaseEvent:
    """Record what a citizen added to `case` through another system (an Open311
    client such as FixMyStreet), and return the event.

    The message is kept as an internal note for staff, since it may carry the
    sender's details. With `reopen`, a resolved or closed case that was not
    merged is reopened with the message as its reason, as the citizen could on
    the tracking page. The same (`source`, `external_id`) again returns the
    first event and changes nothing.
    """
    message = message.strip()
    case = case_lock(case)
    if external_id:
        earlier = case.events.filter(details__source=source,
                                     details__external_id=external_id).first()
        if earlier is not None:
            return earlier
    details = {"source": source, "external_id": external_id, "by_citizen": True}
    if reopen and case.status in transitions.DONE_STATUSES and case.parent_id is None:
        event = _reopen(
            case, actor=None, details=details,
            reason=message or _("The citizen reports that the problem is still there."),
        )
        case.save()
        return event
    if not message:
        raise DomainError(
            CaseError.INVALID_DESCRIPTION, _("The update has no text."), field="description"
        )
    return event_record(case=case, kind=EventKind.NOTE, at=clock.now(), note=message,
                        details=details)


# --- messages ------------------------------------------------------------------------------


def _tell_citizen(case: Case, *, template: str, extra: dict | None = None) -> None:
    """Queue a message to the citizen by every channel they agreed to."""
    for message in _citizen_messages(case, template=template, extra=extra):
        message.save(force_insert=True)


def _citizen_reachable(case: Case) -> bool:
    return case.contact_consent and bool(case.citizen_email or case.citizen_phone)


def _citizen_messages(case: Case, *, template: str, extra: dict | None = None) -> list:
    """Unsaved outbox messages to the citizen, one per channel they agreed to.

    The text is rendered when the message is sent (cases.messages builds its
    context from these ids), so no template is rendered here.
    """
    if not case.contact_consent:
        return []
    deferred = dict(extra or {})  # the case itself is the message's case_id
    return [
        message_build(channel=channel, recipient=recipient, template=f"case_{template}",
                      deferred_context=deferred, case=case if case.pk else None,
                      language=case.language or None)
        for channel, recipient in ((MessageChannel.EMAIL, case.citizen_email),
                                   (MessageChannel.SMS, case.citizen_phone))
        if recipient
    ]
