"""Bad input in bulk: the portal's forms answer any input with a page, a
redirect or a clear refusal, never a server error (Hypothesis; bounded so
the suite stays fast)."""

import os

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imbizo.cases.models import Case
from imbizo.engagement.services import counter_token

# The database grows across examples; each test is one transaction, rolled back.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Text that breaks naive code: control characters (NUL), right-to-left marks,
# emoji, very long runs, and numbers in odd spellings.
nasty_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["", " ", "\x00", "\u202e", "😀" * 50, "a" * 5000, "NaN", "inf", "-inf",
                     "1e308", "-1e309", "0x10", "١٢٣", "<script>alert(1)</script>",
                     "' OR 1=1 --", "%00", "../../etc/passwd", "\r\n\r\nX: y"]),
)
number_text = st.one_of(
    nasty_text,
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
ALLOWED = {200, 302, 400, 404, 409, 410}


@pytest.fixture
def browser():
    return Client(raise_request_exception=True)  # a 500 fails the test with its traceback


@FUZZ
@given(form=st.fixed_dictionaries({}, optional={
    "kind": st.one_of(st.sampled_from(["request", "complaint", "compliment", "enquiry",
                                       "suggestion"]), nasty_text),
    "service": st.one_of(st.just("water-leak"), nasty_text),
    "description": nasty_text,
    "address": nasty_text,
    "lat": number_text,
    "lon": number_text,
    "anonymous": st.sampled_from(["on", "", "off", "\x00"]),
    "citizen_name": nasty_text,
    "citizen_phone": st.one_of(nasty_text, st.from_regex(r"\+?[0-9 ()-]{0,40}", fullmatch=True)),
    "citizen_email": st.one_of(nasty_text, st.emails().map(str)),
    "contact_consent": st.sampled_from(["on", "", "true"]),
    "idempotency_key": nasty_text,
}))
def test_the_report_form_never_fails_with_a_server_error(browser, world, form):
    response = browser.post(reverse("portal:report"), form)

    assert response.status_code in ALLOWED
    if response.status_code == 302:
        assert response["Location"].startswith("/track/")


@FUZZ
@given(form=st.fixed_dictionaries({
    "kind": st.just("request"), "service": st.just("water-leak"),
    "description": st.text(min_size=1, max_size=200).filter(str.strip),
    "lat": st.floats(min_value=-90, max_value=90).map(repr),
    "lon": st.floats(min_value=-180, max_value=180).map(repr),
}))
def test_a_report_anywhere_is_stored_or_refused_by_name(browser, world, form):
    before = Case.objects.count()

    response = browser.post(reverse("portal:report"), form)

    if response.status_code == 302:
        assert Case.objects.count() == before + 1
    else:
        assert response.status_code == 200
        assert response.context["form"].errors  # says what is wrong
        assert Case.objects.count() == before


@FUZZ
@given(reference=nasty_text)
def test_the_tracking_lookup_never_fails(browser, world, reference):
    response = browser.get(reverse("portal:track_lookup"), {"reference": reference})

    assert response.status_code in ALLOWED


@FUZZ
@given(reference=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#"),
                         min_size=1, max_size=40))
def test_a_tracking_page_for_any_reference_never_fails(browser, world, reference):
    from urllib.parse import quote

    response = browser.get(f"/track/{quote(reference, safe='')}/")

    assert response.status_code in ALLOWED | {301}


@FUZZ
@given(reason=nasty_text, reference=st.sampled_from(["", "ABCD-EFGH", "0000-0000"]))
def test_the_reopen_form_never_fails(browser, world, reason, reference):
    path = f"/track/{reference}/reopen/" if reference else "/track/x/reopen/"

    response = browser.post(path, {"reason": reason})

    assert response.status_code in ALLOWED


@pytest.fixture
def counter(world):
    token = counter_token(world.office)
    from imbizo.engagement.services import invitation_get

    codes = [q.code for q in invitation_get(token).instrument.questions.all()]
    return token, codes


@FUZZ
@given(data=st.data())
def test_the_survey_form_never_fails(browser, counter, data):
    token, codes = counter
    answers = data.draw(st.dictionaries(
        st.one_of(st.sampled_from(codes), nasty_text),
        st.one_of(st.integers(-5, 15).map(str), nasty_text), max_size=len(codes) + 2))

    response = browser.post(f"/survey/{token}/", answers)

    assert response.status_code in ALLOWED


@FUZZ
@given(token=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#"),
                     min_size=1, max_size=120))
def test_a_survey_link_with_any_token_never_fails(browser, world, token):
    from urllib.parse import quote

    response = browser.get(f"/survey/{quote(token, safe='')}/")

    assert response.status_code in ALLOWED
