from enum import StrEnum


class QualityError(StrEnum):
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    OWN_OFFICE = "own_office"
    STEP_NOT_ALLOWED = "step_not_allowed"
    INCOMPLETE_VISIT = "incomplete_visit"
    VISIT_SUBMITTED = "visit_submitted"
    INVALID_SCORE = "invalid_score"
    INVALID_UPLOAD = "invalid_upload"
    PLAN_EMPTY = "plan_empty"
    INVALID_ACTION = "invalid_action"
    ACTION_CLOSED = "action_closed"
    TOO_EARLY = "too_early"
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence"
    INVALID_FOCUS_GROUP = "invalid_focus_group"
    INVALID_NOMINATION = "invalid_nomination"
    CASE_NOT_CLOSED = "case_not_closed"
    STORY_EXISTS = "story_exists"
    INVALID_STORY = "invalid_story"
    ALREADY_ANSWERED = "already_answered"
    INVALID_ANSWER = "invalid_answer"
