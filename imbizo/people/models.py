"""The people app's models, each part in a module of its own."""

# The service time log (people.timelog).
# Feedback asked of colleagues (people.feedback).
from .feedback_models import FeedbackRequest  # noqa: F401, I001

# Learning from contacts (people.reflection).
from .reflection_models import ContactReflection, ExtraStep  # noqa: F401, I001
from .timelog_models import TimeLogEntry, TimeLogWeek  # noqa: F401 - registered with Django here
