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


def at_once(work, count: int = 2) -> tuple[list, list]:
    """Run `work()` on `count` threads started together (each with its own
    database connection, closed after); return its results and the exceptions
    raised, for a test to assert on."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # surfaced to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
