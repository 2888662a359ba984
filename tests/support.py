"""Small helpers shared by test packages."""

import datetime
from zoneinfo import ZoneInfo

SAST = ZoneInfo("Africa/Johannesburg")


def sast(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SAST)


def inside(ward) -> dict:
    """lat/lon keyword arguments for a point inside `ward`."""
    return {"lat": ward.centroid_lat, "lon": ward.centroid_lon}


def _png() -> bytes:
    """A real 1x1 PNG, made by Pillow, so that uploads pass a full decode."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
