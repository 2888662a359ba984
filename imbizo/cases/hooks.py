"""Signals other apps listen to, so cases need not know them.

`case_resolved(case=...)`: sent inside the resolving transaction; receivers
may return a dict that is added to the citizen's resolution message context
(engagement returns a survey token, for the "rate us" link).
"""

from django.dispatch import Signal

case_resolved = Signal()

# `case_opened(case=...)`: sent inside the opening transaction.
case_opened = Signal()
