"""The outreach app's models, each part in a module of its own."""

# Meetings and commitments (outreach.meetings).
from .meeting_models import (  # noqa: F401
    Commitment,
    CommitmentUpdate,
    CommitmentWard,
    Meeting,
    MeetingIssue,
)
