"""Random parameters and bodies on every Open311 endpoint: never a server error,
always a well-formed document in the format asked for."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.open311.schemas import xml_strict

pytestmark = pytest.mark.django_db

PATHS = ["discovery", "services", "services/water-leak", "services/%00", "requests",
         "requests/AAAA-AAAA", "tokens/o311-x", "servicerequestupdates", "nothing/here"]
NAMES = ["service_code", "service_request_id", "start_date", "end_date", "updated_after",
         "updated_before", "status", "page", "page_size", "extensions", "jurisdiction_id",
         "api_key", "lat", "long", "address_string", "address_id", "description", "email",
         "phone", "first_name", "media_url", "attribute[depth]", "attribute[hazard][]",
         "attribute[", "update_id", "anonymous"]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "water-leak", "open", "closed,open", "true", "-1", "0", "1e308",
                     "NaN", "2026-03-01T00:00:00Z", "2026-13-45T99:00:00+02:00",
                     "-26.195", "28.005", "https://example.org/p.jpg", "REOPEN"]),
    st.integers().map(str), st.floats(allow_nan=True).map(str),
)
PARAMS = st.dictionaries(st.one_of(st.sampled_from(NAMES), st.text(max_size=12)),
                         st.lists(VALUES, min_size=1, max_size=3), max_size=8)
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def assert_a_document(response, fmt: str):
    assert response.status_code < 500, response.content[:300]
    if fmt == "json":
        json.loads(response.content)
    else:
        xml_strict(response.content)


@FUZZ
@given(path=st.sampled_from(PATHS), fmt=st.sampled_from(["xml", "json"]), params=PARAMS)
def test_random_queries_never_fail_the_server(client, questions, path, fmt, params):
    response = client.get(f"/open311/v2/{path}.{fmt}", params)

    assert_a_document(response, fmt)


@FUZZ
@given(path=st.sampled_from(["requests", "servicerequestupdates"]),
       fmt=st.sampled_from(["xml", "json"]), params=PARAMS, keyed=st.booleans())
def test_random_forms_never_fail_the_server(client, questions, api_key, path, fmt, params,
                                            keyed):
    if keyed:
        params = {**params, "api_key": [api_key]}

    response = client.post(f"/open311/v2/{path}.{fmt}", params)

    assert_a_document(response, fmt)


@FUZZ
@given(fmt=st.sampled_from(["xml", "json"]), body=st.binary(max_size=300),
       content_type=st.sampled_from([
           "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
           "multipart/form-data", "application/json", "text/xml", "", "text/plain; charset=zz"]))
def test_random_bodies_never_fail_the_server(client, questions, fmt, body, content_type):
    response = client.generic("POST", f"/open311/v2/requests.{fmt}", body,
                              content_type=content_type)

    assert_a_document(response, fmt)
