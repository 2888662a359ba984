"""Signals other apps listen to, so cases need not know them.

`case_resolved(case=...)`: sent inside the resolving transaction; receivers
may return a dict that is added to the citizen's resolution message context
(engagement returns a survey token, for the "rate us" link).
"""

from django.dispatch import Signal

case_resolved = Signal()

# `case_opened(case=...)`: sent once a compliment is stored (today only
# compliments need it). On PostgreSQL a report without photos is one INSERT
# that commits by itself, so there the receiver runs after that commit, outside
# any transaction; elsewhere inside the opening transaction.
case_opened = Signal()

# `case_opening(case=..., draft=..., rows=[...])`: sent while a case is being
# opened, before anything is written; `draft` is the CaseDraft it comes from.
# Receivers may append unsaved instances of models with a `case` foreign key to
# `rows`; they are inserted together with the case and its events (one
# statement on PostgreSQL), so they exist exactly when the case does. This is
# the intake hot path: receivers do not query the database, except privacy's,
# which looks up the consent wording when consent was given (one indexed read;
# a wording never seen before is stored first, in its own transaction, and is
# kept even if the case insert then fails: a wording is not personal data), and
# outreach's, which asks whether the service is interrupted in the case's ward
# (one indexed read, only for a case with a ward). Receivers may move the
# unsaved case's resolution deadline (cases.services.case_resolve_due_move).
case_opening = Signal()

# `case_changed(case=..., event=..., acknowledged_before=...)`: sent inside the
# transaction of every recorded status change (cases.services.transition),
# after the event is saved and before the case is. `case` holds its new state;
# `acknowledged_before` is its `acknowledged_at` before the change.
case_changed = Signal()

# `case_moving(case=..., office_to=..., service_to=...)`: sent inside the
# transaction, before a case changes office or has its service corrected
# (`case.office_id` and `case.service_id` are still the old ones).
case_moving = Signal()

# `cases_swept(fired=[(case, [fired, ...]), ...])`: sent inside each clock-sweep
# batch transaction; each `fired` has `kind`, `at` and `details`. Cases carry
# the fields in cases.sweep.SWEEP_FIELDS.
cases_swept = Signal()

# `case_events_recorded(case=..., events=[CaseEvent, ...])`: sent in the writing
# transaction for the events of one case (opening, status changes, updates).
# Receivers return unsaved OutboxMessage rows (notify.models), which
# cases inserts with the events: webhooks leave by the outbox, after commit.
case_events_recorded = Signal()

# `case_events_swept(events=[{"case_id", "kind", "at", "public", "details"}, ...])`:
# the same for the clock sweep's bulk events (warnings, breaches, escalations).
case_events_swept = Signal()

# `case_message_building(case=..., message=..., context={...})`: sent by the
# outbox worker while it renders a message to a citizen about `case` (after
# commit, outside the request). Receivers may add entries to `context` (what
# the templates show), reading what they need: it is off the hot path.
case_message_building = Signal()
