"""Signals other apps listen to, so engagement need not know them.

`response_submitted(response=..., answers=[(question, number, text), ...])`:
sent inside the submitting transaction, after the answers are stored.
"""

from django.dispatch import Signal

response_submitted = Signal()
