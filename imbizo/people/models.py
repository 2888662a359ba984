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
