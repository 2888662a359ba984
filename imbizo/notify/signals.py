"""`message_sent(message=...)`: a message left us (after it was marked sent)."""

from django.dispatch import Signal

message_sent = Signal()
