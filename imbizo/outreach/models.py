"""The outreach app's models, one module per part; each part adds its import line."""

from .alert_models import (  # noqa: F401 - registered with Django here
    Subscription,
    SubscriptionService,
    SubscriptionWard,
)
