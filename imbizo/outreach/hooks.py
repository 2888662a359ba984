"""Signals the outreach app sends, so apps above it need not be called from here.

`interruption_changed(interruption=..., change=..., update=...)`: sent inside
the writing transaction (outreach.interruptions) when an interruption is
announced ("announced", planned ones at their service's lead time), starts
("started"), is changed ("updated"), is restored ("restored") or cancelled
("cancelled"). `update` is the InterruptionUpdate written with the change, or
None. Receivers write what they need (alert messages through the outbox) in
the same transaction: a rollback leaves nothing behind.
"""

from django.dispatch import Signal

interruption_changed = Signal()
