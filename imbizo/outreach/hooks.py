"""Signals outreach sends, so the parts built on it (alerts) need not be called by name.

`interruption_changed(interruption=..., change=..., update=...)`: sent inside
the transaction that stores a change to a service interruption; `change` is
one of "announced", "started", "updated", "restored", "cancelled"; `update`
is the update record when the change came with one (else None). Receivers
write what they must (the alerts fan-out enqueues its messages) in that
transaction.
"""

from django.dispatch import Signal

interruption_changed = Signal()
