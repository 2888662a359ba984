"""cases.rules: intake's phone check, the import's fast one, gives phonenumbers' answer."""

import random

import phonenumbers
import pytest

from imbizo.cases import rules
from imbizo.cases.intake import phone_normalise
from imbizo.core.errors import DomainError


def _library(raw: str) -> str | None:
    """What intake answered before it took the compiled check: phonenumbers' own path."""
    try:
        number = phonenumbers.parse(raw, "ZA")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _intake(raw: str) -> str | None:
    try:
        return phone_normalise(raw, region="ZA")
    except DomainError:
        return None


@pytest.mark.parametrize("code", sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE))
def test_intake_answers_as_the_library_for_numbers_in_international_form(code):
    rng = random.Random(code)
    region = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code][0]
    numbers = [str(rng.randint(0, 9)) + "".join(rng.choices("0123456789", k=length - 1))
               for length in range(1, 16) for _ in range(4)]
    for kind in phonenumbers.PhoneNumberType.values():
        example = (phonenumbers.example_number_for_type(region, kind)
                   if region != phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY else None)
        if example is not None:
            nsn = str(example.national_number)
            numbers += [nsn, nsn[:-1], nsn + "1", "0" + nsn]
            numbers += [nsn[:i] + d + nsn[i + 1:] for i in range(len(nsn)) for d in "09"]
    for nsn in numbers:
        raw = f"+{code}{nsn}"
        assert _intake(raw) == _library(raw), raw


@pytest.mark.parametrize("raw", ["082 123 4567", "0821234567", "+27 82 123 4567", "27821234567",
                                 "(021) 400 1234", "12", "call me", "", "+", "+0", "+27",
                                 "+271", "+99912345", "+1 201 555 0123"])
def test_intake_answers_as_the_library_for_numbers_as_people_write_them(raw):
    assert _intake(raw) == _library(raw)


@pytest.mark.django_db  # a number without a country code is read in the institution's
def test_intake_keeps_its_two_messages():
    with pytest.raises(DomainError, match="This is not a phone number."):
        phone_normalise("call me")
    with pytest.raises(DomainError, match="This phone number is not valid"):
        phone_normalise("+278212345678")


def test_a_rule_says_how_a_value_is_wrong_and_the_caller_words_it():
    with pytest.raises(rules.Broken) as caught:
        rules.DESCRIPTION.check("x" * 4001)
    assert (caught.value.reason, caught.value.figures) == (rules.Reason.TOO_LONG,
                                                           {"n": 4001, "max": 4000})
    with pytest.raises(rules.Broken) as caught:
        rules.point(12.0, None)
    assert (caught.value.reason, caught.value.field) == (rules.Reason.HALF_POINT, "lon")
    assert rules.CHANNEL.check("web") == "web"
    with pytest.raises(rules.Broken):
        rules.CHANNEL.check(["web"])  # a list from JSON is not a choice
