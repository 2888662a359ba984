from enum import StrEnum


class GeoError(StrEnum):
    INVALID_GEOMETRY = "invalid_geometry"
    OUTSIDE_WARDS = "outside_wards"
    IMPORT_INVALID = "import_invalid"
