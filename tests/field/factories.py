"""Test helpers for the field app: a ward with a known square, photos, answers."""

import io

from PIL import Image

from imbizo.field.services import IncomingFile
from imbizo.geo.services import ward_save
from tests.factories import square


def ward_at(code: str, lon: float, lat: float = -26.2, region=None):
    """A ward whose boundary is the 0.01-degree square with its south-west corner at (lon, lat)."""
    ward = ward_save(code=code, name=f"Ward {code}", boundary=square(lon, lat))
    if region is not None:
        ward.region = region
        ward.save(update_fields=["region"])
    return ward


def png_bytes(colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name: str = "photo-1.png", colour=(200, 30, 30)) -> IncomingFile:
    return IncomingFile(name=name, content_type="image/png", data=png_bytes(colour))


def household(**overrides) -> dict:
    """Answers of the household needs survey at a point inside ward_at(..., 28.0)."""
    answers = {"location": "-26.195 28.005 1400 5", "needs": "water sanitation",
               "urgency": "urgent", "people": "5"}
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}
