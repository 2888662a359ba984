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


# The longest reporting line followed when looking for a cycle.
MAX_REPORTING_DEPTH = 50


def reporting_line_problem(staff, manager) -> str | None:
    """Why `manager` cannot be the person `staff` reports to, or None: no
    one reports to themself, and no line may loop back (A reports to B who
    reports, through others, to A)."""
    from django.utils.translation import gettext as _

    from .models import Staff

    if manager is None:
        return None
    if staff.pk is not None and manager.pk == staff.pk:
        return _("A person cannot report to themself.")
    seen, current = set(), manager.manager_id
    for _step in range(MAX_REPORTING_DEPTH):
        if current is None:
            return None
        if staff.pk is not None and current == staff.pk:
            return _("%(manager)s already reports, directly or through others, to %(person)s: "
                     "the line would go round in a circle.") % {"manager": manager,
                                                                "person": staff}
        if current in seen:
            return None
        seen.add(current)
        current = Staff.objects.filter(pk=current).values_list("manager_id", flat=True).first()
    return None
