from enum import StrEnum


class IntegrationError(StrEnum):
    KEY_MISSING = "key_missing"
    KEY_INVALID = "key_invalid"
    KEY_REVOKED = "key_revoked"
    SCOPE_MISSING = "scope_missing"
    UNKNOWN_SCOPE = "unknown_scope"
    INVALID_NAME = "invalid_name"
    UNKNOWN_DEPARTMENT = "unknown_department"
