"""Reads about the institution and its people."""

from .models import Institution

DEFAULT_INSTITUTION_NAME = "Imbizo"


def institution_get() -> Institution:
    """The institution row, or an unsaved default before setup."""
    return Institution.objects.filter(pk=1).first() or Institution(
        pk=1, name=DEFAULT_INSTITUTION_NAME
    )


def institution_tz_name() -> str:
    return institution_get().time_zone
