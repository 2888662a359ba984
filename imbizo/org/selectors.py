"""Reads about the institution and its people."""

from dataclasses import dataclass

import phonenumbers

from imbizo.core.snapshots import ProcessSnapshot

from .models import Institution

DEFAULT_INSTITUTION_NAME = "Imbizo"
# Read on every report (phone numbers) and export; changed once, at setup.
COUNTRY_TTL = 30.0


@dataclass(frozen=True)
class Country:
    """Where the institution is, as the reading of phone numbers and the
    public holidays of the working calendar need it."""

    code: str  # ISO 3166 alpha-2, e.g. "ZA": how a number without "+" is read
    calling_code: int  # e.g. 27: what "+" numbers of this country start with
    holiday_subdivision: str = ""  # a `holidays` subdivision; "" for national holidays


def institution_get() -> Institution:
    """The institution row, or an unsaved default before setup."""
    return Institution.objects.filter(pk=1).first() or Institution(
        pk=1, name=DEFAULT_INSTITUTION_NAME
    )


def institution_tz_name() -> str:
    return institution_get().time_zone


def institution_country() -> Country:
    """The institution's country, kept per process for COUNTRY_TTL seconds
    (dropped at once when the institution changes in this process; ADR 0004)."""
    return _country.get()


def institution_country_reset() -> None:
    _country.reset()


def country_of(institution: Institution) -> Country:
    """The country `institution` is set to, its calling code from phonenumbers."""
    return Country(
        code=institution.country,
        calling_code=phonenumbers.country_code_for_region(institution.country),
        holiday_subdivision=institution.holiday_subdivision,
    )


_country = ProcessSnapshot(lambda: country_of(institution_get()), ttl=COUNTRY_TTL)
