"""Signals other apps listen to, so engagement need not know them.

`response_submitted(response=..., answers=[(question, number, text), ...])`:
sent inside the submitting transaction, after the answers are stored.

`follow_up_assignee_finders`: functions `finder(response=..., case=...) -> Staff | None`
that the closed loop (services.loop_close) asks, in order, who should own the
follow-up `case` opened for a poor `response`, before it falls back to the
office supervisor. The first that answers wins; a finder may record that the
follow-up is its own (clients: the follow-up is the key client's signal) in
the same transaction. Registered once, in an AppConfig.ready.
"""

from django.dispatch import Signal

response_submitted = Signal()

follow_up_assignee_finders: list = []


def follow_up_assignee_register(finder) -> None:
    """Add `finder` to the closed loop's follow-up assignee finders (once)."""
    if finder not in follow_up_assignee_finders:
        follow_up_assignee_finders.append(finder)
