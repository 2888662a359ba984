from enum import StrEnum


class PeopleError(StrEnum):
    NO_FRAMEWORK = "no_framework"
    NOT_IN_FRAMEWORK = "not_in_framework"
    LEVEL_OUTSIDE_FRAMEWORK = "level_outside_framework"
    MISSING_LEVEL = "missing_level"
    NOT_ALLOWED = "not_allowed"
    SELF_AS_PEER = "self_as_peer"
    INVALID_DATE = "invalid_date"
    INVALID_EVIDENCE = "invalid_evidence"
    UNKNOWN_ACTIVITY = "unknown_activity"
    DUE_IN_PAST = "due_in_past"
    DUPLICATE_ACTIVITY = "duplicate_activity"
    PLAN_CLOSED = "plan_closed"
    NO_MANAGER = "no_manager"
    EMPTY_PLAN = "empty_plan"
    PUBLISHED = "published"
