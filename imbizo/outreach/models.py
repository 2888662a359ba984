"""The outreach app's models, each part in a module of its own."""

# Ward alerts (outreach.alerts).
from .alert_models import (  # noqa: F401 - registered with Django here
    Subscription,
    SubscriptionService,
    SubscriptionWard,
)

# Service interruptions (outreach.interruptions).
from .interruption_models import (  # noqa: F401
    Interruption,
    InterruptionCase,
    InterruptionLeadTime,
    InterruptionUpdate,
    InterruptionWardMonth,
)

# Meetings and commitments (outreach.meetings).
from .meeting_models import (  # noqa: F401
    Commitment,
    CommitmentUpdate,
    CommitmentWard,
    Meeting,
    MeetingIssue,
)
