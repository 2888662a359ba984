"""The errors triage raises for bad input; interfaces map them to 400 or form errors."""

from enum import StrEnum

from imbizo.core.errors import DomainError


class TriageError(StrEnum):
    EMPTY_DESCRIPTION = "empty_description"
    DESCRIPTION_TOO_LONG = "description_too_long"
    TOO_FEW_CASES = "too_few_cases"
    UNKNOWN_SERVICE = "unknown_service"


class TriageInputError(DomainError):
    """The text given to triage (to suggest or to train) cannot be used."""
