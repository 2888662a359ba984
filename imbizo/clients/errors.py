from enum import StrEnum

from imbizo.core.errors import DomainError


class ClientErrorCode(StrEnum):
    GROUP_INACTIVE = "group_inactive"
    GROUP_TYPE_MISMATCH = "group_type_mismatch"
    KEY_CLIENT_INACTIVE = "key_client_inactive"
    DUPLICATE_DEFAULT = "duplicate_default"
    UNKNOWN_FIGURE = "unknown_figure"
    INVALID_MEASURE = "invalid_measure"
    INVALID_QUARTER = "invalid_quarter"
    REVIEW_HELD = "review_held"
    TOO_MANY_CHOSEN = "too_many_chosen"
    INVALID_SUGGESTION = "invalid_suggestion"
    INVALID_ACTION = "invalid_action"
    INVALID_BENEFIT = "invalid_benefit"


class ClientError(DomainError, ValueError):
    """A clients rule broken by the caller's input; `message` names what is wrong.

    A ValueError as well, so form code that catches ValueError shows it too.
    """
