from enum import StrEnum


class EngagementError(StrEnum):
    INVITATION_UNKNOWN = "invitation_unknown"
    INVITATION_EXPIRED = "invitation_expired"
    INVITATION_USED = "invitation_used"
    ANSWER_INVALID = "answer_invalid"
    TOO_MANY = "too_many"
