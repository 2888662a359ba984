from .interruption_models import (  # noqa: F401
    Interruption,
    InterruptionCase,
    InterruptionLeadTime,
    InterruptionUpdate,
    InterruptionWardMonth,
)
