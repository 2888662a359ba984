"""Small helpers shared by test packages."""

import datetime
from zoneinfo import ZoneInfo

SAST = ZoneInfo("Africa/Johannesburg")


def sast(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SAST)


def inside(ward) -> dict:
    """lat/lon keyword arguments for a point inside `ward`."""
    return {"lat": ward.centroid_lat, "lon": ward.centroid_lon}
