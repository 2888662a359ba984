from enum import StrEnum


class AlertError(StrEnum):
    INVALID_CHANNEL = "invalid_channel"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    NO_WARDS = "no_wards"
    UNKNOWN_WARD = "unknown_ward"
    UNKNOWN_SERVICE = "unknown_service"
    OUTSIDE_WARDS = "outside_wards"
    INVALID_RADIUS = "invalid_radius"
    CONSENT_REQUIRED = "consent_required"
    NOT_FOUND = "not_found"
    ENDED = "ended"
    WRONG_CODE = "wrong_code"
    TOO_MANY_TRIES = "too_many_tries"
    NOTICE_EMPTY = "notice_empty"
    NOTICE_TOO_LONG = "notice_too_long"
