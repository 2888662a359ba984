"""Signals other apps listen to, so cases need not know them.

`case_resolved(case=...)`: sent inside the resolving transaction; receivers
may return a dict that is added to the citizen's resolution message context
(engagement returns a survey token, for the "rate us" link).
"""

from django.dispatch import Signal

case_resolved = Signal()

# `case_opened(case=...)`: sent inside the opening transaction.
case_opened = Signal()

# `case_events_recorded(case=..., events=[CaseEvent, ...])`: sent in the writing
# transaction for the events of one case (opening, status changes, updates).
# Receivers return unsaved outbox messages (notify.services.message_build), which
# cases inserts with the events: webhooks leave by the outbox, after commit.
case_events_recorded = Signal()

# `case_events_swept(events=[{"case_id", "kind", "at", "public", "details"}, ...])`:
# the same for the clock sweep's bulk events (warnings, breaches, escalations).
case_events_swept = Signal()
