"""The people app's models, each part in a module of its own."""

# Feedback asked of colleagues (people.feedback), learning from contacts
# (people.reflection) and the service time log (people.timelog).
from .feedback_models import FeedbackRequest  # noqa: F401 - registered with Django here
from .reflection_models import ContactReflection, ExtraStep  # noqa: F401
from .timelog_models import TimeLogEntry, TimeLogWeek  # noqa: F401
