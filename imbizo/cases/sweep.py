"""The clock sweep: warnings, breaches and escalations for cases that fall due.

A sweep reads only cases whose `next_check_at` has passed (an index range
scan), handles them in batches, and writes events and messages in bulk. It is
idempotent: each check sets the timestamp that stops it from firing again, in
the same transaction. On PostgreSQL concurrent sweeps skip rows another sweep
holds (SELECT ... FOR UPDATE SKIP LOCKED); on SQLite writers are serialised by
immediate transactions, so the second sweep sees the first one's results.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from imbizo.catalogue.models import Service
from imbizo.core import clock
from imbizo.core.bulk import bulk_insert, bulk_update_columns
from imbizo.notify.models import MessageChannel, OutboxMessage
from imbizo.notify.services import message_build
from imbizo.org.models import Department, Office, Role, Staff
from imbizo.org.selectors import institution_get

from . import clocks
from .hooks import case_events_swept, cases_swept
from .links import staff_case_link
from .models import Case, CaseEvent, EscalationStep, EventKind
from .services import _next_check_update, calendar
from .transitions import WAITING_STATUSES

# What a sweep reads of a case: its clocks, routing and contact consent.
SWEEP_FIELDS = [
    "id", "reference", "status", "office_id", "assignee_id", "service_id", "contact_consent",
    "citizen_email", "citizen_phone", "acknowledged_at", "ack_due_at", "update_due_at",
    "resolve_due_at", "resolve_warn_at", "ack_breached_at", "update_overdue_at",
    "resolve_warned_at", "resolve_breached_at", "escalation_level", "escalate_next_at",
    "next_check_at", "ward_id", "channel", "language",
]
CHANGED_FIELDS = [
    "ack_breached_at", "update_overdue_at", "resolve_warned_at", "resolve_breached_at",
    "escalation_level", "escalate_next_at", "next_check_at",
]


@dataclass
class SweepResult:
    cases: int = 0
    fired: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.fired.items())) or "nothing due"
        return f"{self.cases} cases checked: {parts}"


@dataclass
class _Fired:
    kind: str
    at: datetime
    notify: str  # "citizen", "officer", "supervisor", "head_of_department", "war_room"
    details: dict = field(default_factory=dict)
    public: bool = False


def case_checks(case: Case, now: datetime, ladder: list[EscalationStep], cal) -> list[_Fired]:
    """Fire every check of `case` that is due at `now`, updating its clock fields.

    Touches only fields of `case`; the caller saves. Firing a check sets the
    field that keeps it from firing again.
    """
    fired: list[_Fired] = []
    if case.acknowledged_at is None and case.ack_breached_at is None and case.ack_due_at \
            and case.ack_due_at <= now:
        case.ack_breached_at = now
        fired.append(_Fired(EventKind.ACK_BREACHED, now, "supervisor",
                            {"due": case.ack_due_at.isoformat()}))
    if case.update_overdue_at is None and case.update_due_at and case.update_due_at <= now \
            and case.status not in WAITING_STATUSES:
        case.update_overdue_at = now
        fired.append(_Fired(EventKind.UPDATE_OVERDUE, now, "officer",
                            {"due": case.update_due_at.isoformat()}))
    due = case.resolve_due_at
    if due is not None and case.resolve_breached_at is None:
        if due <= now:
            case.resolve_breached_at = now
            case.resolve_warned_at = case.resolve_warned_at or now
            fired.append(_Fired(EventKind.BREACHED, now, "citizen", {"due": due.isoformat()},
                                public=True))
            case.escalate_next_at = _next_step_due(case, ladder, cal)
        elif case.resolve_warn_at and case.resolve_warn_at <= now and \
                case.resolve_warned_at is None:
            case.resolve_warned_at = now
            fired.append(_Fired(EventKind.WARNED, now, "officer", {"due": due.isoformat()}))
    while case.escalate_next_at is not None and case.escalate_next_at <= now:
        step = _step(ladder, case.escalation_level + 1)
        if step is None:
            case.escalate_next_at = None
            break
        case.escalation_level = step.level
        fired.append(_Fired(EventKind.ESCALATED, now, step.notify,
                            {"level": step.level, "step": step.name}))
        case.escalate_next_at = _next_step_due(case, ladder, cal)
    _next_check_update(case)
    return fired


def _step(ladder: list[EscalationStep], level: int) -> EscalationStep | None:
    return next((s for s in ladder if s.level == level), None)


def _next_step_due(case: Case, ladder, cal) -> datetime | None:
    step = _step(ladder, case.escalation_level + 1)
    if step is None or case.resolve_due_at is None:
        return None
    return clocks.escalation_due(cal, case.resolve_due_at, step.after_hours)


def clocks_sweep(*, now: datetime | None = None, batch_size: int = 1000) -> SweepResult:
    """Handle every case due at `now` (default: the current time)."""
    now = now or clock.now()
    result = SweepResult()
    ladder = list(EscalationStep.objects.order_by("level"))
    cal = calendar()
    while True:
        handled = _sweep_batch(now=now, ladder=ladder, cal=cal, batch_size=batch_size,
                               result=result)
        if handled < batch_size:
            return result


@transaction.atomic
def _sweep_batch(*, now, ladder, cal, batch_size, result: SweepResult) -> int:
    due = Case.objects.filter(next_check_at__lte=now).order_by("next_check_at")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    cases = list(due.only(*SWEEP_FIELDS)[:batch_size])
    if not cases:
        return 0
    events: list[dict] = []
    fired_by_case: list[tuple[Case, list[_Fired]]] = []
    for case in cases:
        fired = case_checks(case, now, ladder, cal)
        fired_by_case.append((case, fired))
        for f in fired:
            result.fired[f.kind] += 1
            events.append({"case_id": case.pk, "kind": f.kind, "at": f.at, "public": f.public,
                           "details": f.details})
    bulk_update_columns(Case, cases, CHANGED_FIELDS)
    cases_swept.send(sender=Case, fired=[(c, fired) for c, fired in fired_by_case if fired])
    # Plain rows, not model instances: thousands per batch (COPY on PostgreSQL).
    bulk_insert(CaseEvent, events)
    swept = [m for _r, answer in case_events_swept.send(sender=Case, events=events)
             for m in answer or ()]
    bulk_insert(OutboxMessage, (
        {f.attname: getattr(message, f.attname) for f in OutboxMessage._meta.concrete_fields}
        for message in [*_messages(fired_by_case, now), *swept]
    ))
    result.cases += len(cases)
    return len(cases)


def _messages(fired_by_case, now: datetime) -> list[OutboxMessage]:
    """An apology to each consenting citizen whose case went overdue, and one
    digest per staff member listing what fired for them in this batch."""
    office_ids = {c.office_id for c, fired in fired_by_case if fired and c.office_id}
    supervisors: dict[int, list[str]] = defaultdict(list)
    for office_id, email in Staff.objects.filter(
        office_id__in=office_ids, role=Role.SUPERVISOR, active=True
    ).exclude(user__email="").values_list("office_id", "user__email"):
        supervisors[office_id].append(email)
    officer_emails = dict(
        Staff.objects.filter(
            pk__in={c.assignee_id for c, fired in fired_by_case if fired and c.assignee_id}
        ).values_list("pk", "user__email")
    )
    heads = dict(
        Department.objects.filter(head__isnull=False).values_list("pk", "head__user__email")
    )
    office_department = dict(
        Office.objects.filter(pk__in=office_ids).values_list("pk", "department_id")
    )
    war_room = getattr(settings, "WAR_ROOM_EMAIL", "")
    institution = institution_get()
    messages: list[OutboxMessage] = []
    digests: dict[str, list[tuple[Case, _Fired]]] = defaultdict(list)
    for case, fired in fired_by_case:
        for f in fired:
            if f.notify == "citizen":
                messages.extend(_apologies(case, f))
                recipients = supervisors.get(case.office_id, [])
            elif f.notify == "officer":
                email = officer_emails.get(case.assignee_id)
                recipients = [email] if email else supervisors.get(case.office_id, [])
            elif f.notify == "supervisor":
                recipients = supervisors.get(case.office_id, [])
            elif f.notify == "head_of_department":
                head = heads.get(office_department.get(case.office_id))
                recipients = [head] if head else []
            else:
                recipients = [war_room] if war_room else []
            for email in recipients:
                digests[email].append((case, f))
    service_names = dict(Service.objects.filter(
        pk__in={case.service_id for items in digests.values() for case, _ in items[:DIGEST_LIMIT]}
    ).values_list("pk", "name"))
    for email, items in digests.items():
        shown = [(case, f, service_names.get(case.service_id, ""), staff_case_link(case.reference))
                 for case, f in items[:DIGEST_LIMIT]]
        messages.append(message_build(
            channel=MessageChannel.EMAIL, recipient=email, template="case_staff_digest",
            context={"items": shown, "more": max(len(items) - DIGEST_LIMIT, 0),
                     "count": len(items), "institution": institution, "now": now},
        ))
    return messages


DIGEST_LIMIT = 50


def _apologies(case: Case, fired: _Fired) -> list[OutboxMessage]:
    """Apologies are rendered when sent (cases.messages), keeping the sweep short."""
    if not case.contact_consent:
        return []
    key = f"{case.pk}:{fired.kind}:{fired.at.isoformat()}"
    channels = [(MessageChannel.EMAIL, case.citizen_email), (MessageChannel.SMS, case.citizen_phone)]
    return [
        message_build(channel=channel, recipient=recipient, template="case_overdue",
                      deferred_context={}, case=case, language=case.language or None,
                      dedupe_key=f"{key}:{channel}")
        for channel, recipient in channels
        if recipient
    ]
