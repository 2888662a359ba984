from enum import StrEnum


class IntegrationError(StrEnum):
    KEY_MISSING = "key_missing"
    KEY_INVALID = "key_invalid"
    KEY_REVOKED = "key_revoked"
    SCOPE_MISSING = "scope_missing"
    UNKNOWN_SCOPE = "unknown_scope"
    INVALID_NAME = "invalid_name"
    UNKNOWN_DEPARTMENT = "unknown_department"
    OUTSIDE_DEPARTMENT = "outside_department"
    INVALID_URL = "invalid_url"
    UNKNOWN_EVENT = "unknown_event"
    NOT_A_WEBHOOK = "not_a_webhook"
