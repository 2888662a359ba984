from enum import StrEnum


class TextsError(StrEnum):
    NOT_TRANSLATABLE = "not_translatable"
    LANGUAGE_NOT_ENABLED = "language_not_enabled"
    PLACEHOLDERS = "placeholders"
    NOT_GSM7 = "not_gsm7"
