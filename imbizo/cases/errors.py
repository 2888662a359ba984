from enum import StrEnum


class CaseError(StrEnum):
    UNKNOWN_SERVICE = "unknown_service"
    INVALID_DESCRIPTION = "invalid_description"
    INVALID_LOCATION = "invalid_location"
    OUTSIDE_WARDS = "outside_wards"
    UNKNOWN_WARD = "unknown_ward"
    PLACE_NEEDED = "place_needed"  # a service that needs a place, and no ward
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_ATTRIBUTE = "invalid_attribute"
    INVALID_CHOICE = "invalid_choice"
    INVALID_TEXT = "invalid_text"  # a name or address too long, or a name on several lines
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    MISSING_OUTCOME = "missing_outcome"
    MERGE_NOT_ALLOWED = "merge_not_allowed"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    REOPEN_SECRET_WRONG = "reopen_secret_wrong"  # noqa: S105 - an error code
    INVALID_UPLOAD = "invalid_upload"
    IMPORT_REJECTED = "import_rejected"
