from enum import StrEnum


class PrivacyError(StrEnum):
    NOTHING_TO_FIND_BY = "nothing_to_find_by"
    NOT_FOUND = "not_found"
    REASON_REQUIRED = "reason_required"
