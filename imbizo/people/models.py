"""The people app's models, each part in a module of its own.

A person's development records (assessments, plans, and the logs, feedback
and reflections of the other modules) are theirs and their manager's only:
see people.access. They are kept out of the Django admin on purpose; only
the framework and the activity library are edited there.
"""

# Who looked at whose record (people.access).
from .access_models import RecordView  # noqa: F401 - registered with Django here

# Assessments against the framework (people.assessments).
from .assessment_models import (  # noqa: F401
    Assessment,
    AssessmentEvidence,
    AssessmentRating,
)

# Feedback asked of colleagues (people.feedback).
from .feedback_models import FeedbackRequest  # noqa: F401

# The competency framework and the activity library (people.framework).
from .framework_models import (  # noqa: F401
    Activity,
    Competency,
    FrameworkVersion,
    Indicator,
    Level,
    Meaning,
)

# Development plans (people.plans).
from .plan_models import Plan, PlanItem, PlanItemEvidence  # noqa: F401

# Learning from contacts (people.reflection).
from .reflection_models import ContactReflection, ExtraStep  # noqa: F401

# The service time log (people.timelog).
from .timelog_models import TimeLogEntry, TimeLogWeek  # noqa: F401
