"""The import's own check of numbers already in international form agrees with
phonenumbers.is_valid_number, for every country calling code it handles."""

import random

import phonenumbers
import pytest

from imbizo.cases.bulk_import.check import _phone
from imbizo.cases.rules import _national_check

# Codes that several regions share (+1, +7, ...) and non-geographic ones (+800, ...)
# go to the library itself.
CODES = [code for code, regions in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items())
         if len(regions) == 1 and regions[0] != phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY]


def _library(code: int, nsn: str) -> bool:
    return phonenumbers.is_valid_number(
        phonenumbers.PhoneNumber(country_code=code, national_number=int(nsn)))


@pytest.mark.parametrize("code", CODES)
def test_the_compiled_check_agrees_with_the_library(code):
    check = _national_check(code)
    assert check is not None
    rng = random.Random(code)
    # Random digits of every length, and numbers that are valid for the library with a
    # digit changed (close to the patterns' edges).
    numbers = [str(rng.randint(1, 9)) + "".join(rng.choices("0123456789", k=length - 1))
               for length in range(1, 16) for _ in range(40)]
    for kind in phonenumbers.PhoneNumberType.values():
        example = phonenumbers.example_number_for_type(
            phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code][0], kind)
        if example is not None:
            nsn = str(example.national_number)
            numbers += [nsn, nsn[:-1], nsn + "1"]
            numbers += [nsn[:i] + d + nsn[i + 1:] for i in range(len(nsn)) for d in "09"]
    # The import sends a national 0 after the country code to the library (intake's rule).
    for nsn in (n for n in numbers if n and n[0] != "0"):
        assert check(nsn) == _library(code, nsn), (code, nsn)


def test_south_african_numbers_take_the_compiled_check():
    assert _national_check(27) is not None
    assert _phone("+27821234567", "ZA") == "+27821234567"
    assert _phone("+278212345678", "ZA") is None  # a digit too many
    assert _phone("+27021234567", "ZA") is None  # a national 0 after the country code


def test_codes_with_several_regions_go_to_the_library():
    assert _national_check(1) is None
    assert _national_check(800) is None
    assert _phone("+12015550123", "ZA") == "+12015550123"
