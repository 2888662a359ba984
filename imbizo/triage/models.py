"""The triage app's models, each part in a module of its own."""

from imbizo.triage.model_models import *  # noqa: F401,F403

# Duplicates (triage.duplicates): the window per service.
from .duplicates_models import DuplicateWindow  # noqa: F401 - registered with Django here

# Triage in use (triage.usage): what was suggested, chosen and corrected.
from .usage_models import SuggestionRecord  # noqa: F401
