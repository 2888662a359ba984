"""The outbox admin finds a case's messages by the reference a citizen reads out."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imbizo.cases.reference import reference_new, reference_parse
from imbizo.notify.admin import reference_shaped
from tests.notify.factories import open_case


@given(seed=st.integers(min_value=0), lower=st.booleans(), spaced=st.booleans(),
       letter_o=st.booleans())
def test_a_reference_as_typed_takes_the_form_cases_gives_it(seed, lower, spaced, letter_o):
    reference = reference_new(random.Random(seed))
    typed = reference.replace("-", " " if spaced else "")
    typed = typed.replace("0", "O") if letter_o else typed
    typed = typed.lower() if lower else typed

    assert reference_shaped(typed) == reference_parse(typed) == reference


@pytest.mark.parametrize("text", ["", "4F7K", "4F7K-2M9X-1", "4F7K-2M9É", "thandi@example.org"])
def test_text_that_cannot_be_a_reference_has_no_form(text):
    assert reference_shaped(text) is None


@pytest.mark.django_db
def test_staff_find_the_messages_of_a_case_by_its_reference_as_typed(world, admin_client):
    case = open_case(world, citizen_email="thandi@example.org")
    other = open_case(world, citizen_email="sipho@example.org")
    typed = case.reference.replace("-", " ").lower()

    page = admin_client.get("/admin/notify/outboxmessage/", {"q": typed}).content.decode()

    assert case.reference in page and other.reference not in page
