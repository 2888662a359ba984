"""The institution's working calendar closes on the public holidays of its country."""

from datetime import date

import pytest

from imbizo.cases.services import calendar
from imbizo.catalogue.worktime import is_working_date
from imbizo.org.models import Institution
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

MADARAKA_DAY = date(2026, 6, 1)  # Kenya, a Monday
FREEDOM_DAY = date(2026, 4, 27)  # South Africa, a Monday


def test_a_south_african_institution_closes_on_south_african_holidays():
    InstitutionFactory()

    assert not is_working_date(calendar(), FREEDOM_DAY)
    assert is_working_date(calendar(), MADARAKA_DAY)


def test_a_kenyan_institution_closes_on_kenyan_holidays():
    InstitutionFactory(country="KE", time_zone="Africa/Nairobi")

    assert not is_working_date(calendar(), MADARAKA_DAY)
    assert is_working_date(calendar(), FREEDOM_DAY)


def test_the_calendar_follows_a_change_of_country():
    InstitutionFactory()
    assert is_working_date(calendar(), MADARAKA_DAY)

    institution = Institution.objects.get()
    institution.country = "KE"
    institution.save()

    assert not is_working_date(calendar(), MADARAKA_DAY)


def test_a_subdivision_adds_its_holidays():
    # Labour Day in New South Wales (first Monday of October), not in Victoria.
    InstitutionFactory(country="AU", holiday_subdivision="NSW", time_zone="Australia/Sydney")

    assert not is_working_date(calendar(), date(2026, 10, 5))
