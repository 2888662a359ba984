"""The institution's country: read once per process, checked when it is set."""

import pytest
from django.core.exceptions import ValidationError

from imbizo.org.models import Institution
from imbizo.org.selectors import Country, institution_country
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_the_country_and_its_calling_code_come_from_the_institution():
    InstitutionFactory(country="KE", holiday_subdivision="")

    assert institution_country() == Country(code="KE", calling_code=254, holiday_subdivision="")


def test_an_institution_not_yet_set_up_is_south_african():
    assert institution_country() == Country(code="ZA", calling_code=27, holiday_subdivision="")


def test_a_change_to_the_institution_is_read_at_once():
    institution = InstitutionFactory()
    assert institution_country().code == "ZA"

    institution.country = "AU"
    institution.holiday_subdivision = "NSW"
    institution.save()

    assert institution_country() == Country(code="AU", calling_code=61, holiday_subdivision="NSW")


@pytest.mark.parametrize(("changes", "field"), [
    ({"country": "XX"}, "country"),
    ({"country": "za"}, "country"),
    ({"country": "AU", "holiday_subdivision": "Gotham"}, "holiday_subdivision"),
    ({"country": "ZA", "holiday_subdivision": "NSW"}, "holiday_subdivision"),
])
def test_a_country_or_subdivision_without_known_holidays_is_refused(changes, field):
    institution = Institution(name="Test Municipality", **changes)

    with pytest.raises(ValidationError) as caught:
        institution.full_clean()

    assert list(caught.value.message_dict) == [field]


@pytest.mark.parametrize("changes", [{"country": "KE"}, {"country": "AU", "holiday_subdivision": "VIC"}])
def test_a_country_with_known_holidays_is_accepted(changes):
    Institution(name="Test Municipality", **changes).full_clean()
