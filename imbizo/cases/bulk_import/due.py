"""The clocks of imported cases: the due instants the standard in force when each case
opened promised (cases.clocks through the memo of cases.due_memo, ADR 0012), and the
clock state the live services would have left by the case's status. Deadlines already
missed are recorded as missed when they fell due, so the sweep does not fire for them
(nothing is sent for history); open cases keep running clocks for what lies ahead."""

from datetime import datetime

from imbizo.cases import clocks
from imbizo.cases.due_memo import DueMemo
from imbizo.cases.models import EscalationStep, Priority
from imbizo.cases.services import promise_of
from imbizo.cases.transitions import OPEN_STATUSES, WAITING_STATUSES
from imbizo.catalogue.snapshot import catalogue_snapshot


class HistoryClocks:
    """Fills in the clock fields of checked case rows; promises, due instants and
    escalation steps are remembered across rows."""

    def __init__(self, *, now: datetime):
        self.now = now
        self.snapshot = catalogue_snapshot()
        self.cal = self.snapshot.calendar
        self.memo = DueMemo(self.cal)
        self.promises: dict[tuple[int, str], clocks.Promise] = {}
        self.ladder = list(EscalationStep.objects.order_by("level"))
        self.escalations: dict[tuple[datetime, int], datetime] = {}

    def fill(self, case: dict) -> None:
        """The due instants and clock state the live services would have left."""
        service = case.pop("service")
        opened = case["opened_at"]
        standard = self.snapshot.standard_in_force(service.pk, opened.astimezone(self.cal.tz).date())
        case["standard_id"] = standard.pk if standard else None
        status = case["status"]
        if standard is None:
            return
        key = (standard.pk, case.get("priority") or Priority.NORMAL)
        promise = self.promises.get(key)
        if promise is None:
            promise = self.promises[key] = promise_of(standard, key[1])
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

    def _escalation_due(self, resolve_due: datetime, after_hours: int) -> datetime:
        key = (resolve_due, after_hours)
        due = self.escalations.get(key)
        if due is None:
            if len(self.escalations) > 100_000:
                self.escalations.clear()
            due = self.escalations[key] = clocks.escalation_due(self.cal, resolve_due, after_hours)
        return due
