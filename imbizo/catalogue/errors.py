from enum import StrEnum


class CatalogueError(StrEnum):
    UNKNOWN_FIELD = "unknown_field"
    STANDARD_INCOMPLETE = "standard_incomplete"
    UNKNOWN_SERVICE = "unknown_service"
    NO_STANDARD = "no_standard"
    IMPORT_INVALID = "import_invalid"
