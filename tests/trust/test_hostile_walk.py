"""Every URL of the project, with hostile values in every place a value goes:
no answer is a server error, on either database.

The URLs come from the expectation table (tests/trust/url_table.py), which the
authorisation matrix keeps complete. Each entry is requested by someone it
lets in (anonymously, as an administrator, with an API key) with hostile path
arguments, hostile query parameters and, for forms and API writes, hostile
bodies: NUL and other control characters, bytes that are not UTF-8, dates at
the edges of the calendar, numbers past a database integer, very long
values. At most `EXAMPLES_PER_ENTRY` requests an entry keep `make test` quick;
`make bench-fuzz` runs more.
"""

import itertools
import json
import os
import random
import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from imbizo.org.models import Role
from tests.trust.test_authorisation_matrix import url_patterns
from tests.trust.url_table import API, ENTRIES, PUBLIC, STAFF, Entry

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ENTRY = int(os.environ.get("FUZZ_EXAMPLES", "20"))

# Raw, already percent-encoded: they go on the wire as they are.
TEXTS = ("%00", "a%00b", "%FF%FE", "%C0%AF", "%1B%5B31m", "%E2%80%8B%E2%80%8B", "x" * 3000,
         "%27%22%3C%3E", "..%2F..%2Fetc", "%F0%9F%92%A7")
DATES = ("0001-01-05T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01", "9999-12-31",
         "2026-02-30T25:61:00+99:00", "-1", "1e400")
NUMBERS = ("99999999999999999999", "-99999999999999999999", "0", "-1", "nan", "inf", "1e400")
# Every query parameter a page, Open311 or the API reads (a superset is harmless).
PARAMETERS = ("q", "page", "page_size", "status", "service", "service_code", "ward", "office",
              "kind", "priority", "period", "months", "group", "start_date", "end_date",
              "updated_after", "updated_before", "opened_after", "opened_before", "since",
              "until", "service_request_id", "lat", "long", "phone", "email", "reference",
              "next", "cursor", "limit", "mine", "new", "case", "cycle", "office",
              "focus_group", "format", "export", "by", "jurisdiction_id", "sort")
DATE_PARAMETERS = tuple(p for p in PARAMETERS if p.endswith(("_date", "_after", "_before"))
                        or p in ("since", "until"))
NUMBER_PARAMETERS = ("page", "page_size", "lat", "long", "months", "limit", "case", "cycle")


def _random_queries(seed: str):
    """Endless query strings mixing hostile values over a few parameters at a time."""
    rng = random.Random(seed)
    values = TEXTS + DATES + NUMBERS
    while True:
        names = rng.sample(PARAMETERS, rng.randint(1, 4))
        yield "&".join(f"{name}={rng.choice(values)}" for name in names)


def _queries():
    """Query strings, each putting one kind of hostile value in every parameter."""
    for value in TEXTS[:6]:
        yield "&".join(f"{name}={value}" for name in PARAMETERS)
    for value in DATES:
        yield "&".join(f"{name}={value}" for name in DATE_PARAMETERS)
    for value in NUMBERS:
        yield "&".join(f"{name}={value}" for name in NUMBER_PARAMETERS)
    yield "&".join(f"{name}={v}" for name in PARAMETERS for v in ("a", "b"))  # repeated
    yield "%00=1&%FF=2"  # hostile names


_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>")


def _converters(entry: Entry) -> dict[str, str]:
    """The converter of each path argument of `entry` ('str', 'int', 'slug', 're')."""
    found = {}
    for name, route in url_patterns():
        if name == entry.name:
            for match in _CONVERTER.finditer(route):
                if match["group"]:
                    found[match["group"]] = "re"
                else:
                    found[match["name"]] = match["converter"] or "str"
    return found


def _paths(entry: Entry, seed):
    """The entry's own path, then the path with each argument made hostile."""
    kwargs = entry.kwargs(seed)
    yield reverse(entry.name, kwargs=kwargs)
    converters = _converters(entry)
    for name in kwargs:
        converter = converters.get(name, "str")
        if name == "fmt":
            continue  # xml|json: anything else does not resolve
        if converter == "int":
            hostile, marker = NUMBERS[:2], 424242
        elif converter == "uuid":  # only a UUID resolves: one of no object, and the largest
            hostile = ("00000000-0000-4000-8000-000000000000",
                       "ffffffff-ffff-ffff-ffff-ffffffffffff")
            marker = "00000000-0000-4000-8000-0000000000aa"
        elif converter == "slug":
            hostile, marker = ("zz-no-such-thing", "-" * 300), "zzmarkerzz"
        else:
            hostile, marker = TEXTS, "zzmarkerzz"
        path = reverse(entry.name, kwargs={**kwargs, name: marker})
        for raw in hostile:
            yield path.replace(str(marker), raw.lstrip("-") if converter == "int" and
                               raw.startswith("-") else raw, 1)


def _bodies(entry: Entry, seed):
    data = entry.data(seed) or {"description": "x"}
    for value in ("a\x00b", "\x1b[31m", "\u200b", "x" * 5000):
        yield dict.fromkeys(data, value)


def _requests(entry: Entry, seed):
    """(method, url, body) for `entry`, at most EXAMPLES_PER_ENTRY of them."""
    paths = list(_paths(entry, seed))
    queries = list(_queries())
    plan = [("GET" if entry.method == "GET" else entry.method, path, None) for path in paths]
    if entry.method == "GET":
        plan += [("GET", f"{paths[0]}?{query}", None) for query in queries]
    else:
        plan += [(entry.method, paths[0], body) for body in _bodies(entry, seed)]
        plan += [(entry.method, f"{paths[0]}?{query}", entry.data(seed)) for query in queries]
    # The entry's own path and every hostile path first, then queries in turn;
    # past those (make bench-fuzz), random mixtures.
    more = ((plan[0][0], f"{paths[0]}?{query}", entry.data(seed) if entry.method != "GET"
             else None) for query in _random_queries(entry.id))
    return list(itertools.islice(itertools.chain(plan, more), EXAMPLES_PER_ENTRY))


def _server_errors(client: Client, entry: Entry, seed, **headers) -> list[str]:
    errors = []
    for method, url, body in _requests(entry, seed):
        if method == "GET":
            response = client.get(url, **headers)
        elif entry.area == API and entry.name.startswith("api-v1:"):
            response = client.post(url, json.dumps(body), content_type="application/json",
                                   **headers)
        else:
            response = client.post(url, body, **headers)
        if response.status_code >= 500 and response.status_code not in entry.ok:
            errors.append(f"{response.status_code} {method} {url[:160]}")
    return errors


def _who(entry: Entry) -> Role:
    if not entry.allow:  # a page only its own person opens (a feedback request): any staff
        return Role.OFFICER
    return Role.ADMINISTRATOR if Role.ADMINISTRATOR in entry.allow else sorted(entry.allow)[0]


@pytest.fixture
def hostile_client():
    return Client(raise_request_exception=False)


def test_no_public_page_answers_a_hostile_request_with_a_server_error(hostile_client, seed):
    errors = [error for entry in ENTRIES if entry.area == PUBLIC
              for error in _server_errors(hostile_client, entry, seed)]

    assert errors == []


def test_no_staff_page_answers_a_hostile_request_with_a_server_error(hostile_client, seed):
    errors = []
    for entry in (e for e in ENTRIES if e.area == STAFF):
        hostile_client.force_login(seed.staff[_who(entry)].user)
        errors += _server_errors(hostile_client, entry, seed)

    assert errors == []


def test_no_api_or_open311_call_answers_a_hostile_request_with_a_server_error(
        hostile_client, seed):
    errors = []
    for entry in (e for e in ENTRIES if e.area == API):
        errors += _server_errors(hostile_client, entry, seed)
        errors += _server_errors(hostile_client, entry, seed, HTTP_X_API_KEY=seed.api_key)

    assert errors == []


def test_no_admin_list_answers_a_hostile_search_with_a_server_error(hostile_client, seed):
    hostile_client.force_login(seed.staff[Role.ADMINISTRATOR].user)
    errors = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for query in ("q=%00", "q=%FF", "q=" + "x" * 3000, "o=99999999999999999999",
                      "p=99999999999999999999"):
            response = hostile_client.get(f"{url}?{query}")
            if response.status_code >= 500:
                errors.append(f"{response.status_code} GET {url}?{query[:40]}")

    assert errors == []


def test_a_nul_in_a_query_is_refused_naming_the_parameter(client, seed):
    page = client.get("/services/?q=a%00b")
    api = client.get("/api/v1/cases?ward=%00", HTTP_X_API_KEY=seed.api_key)
    open311 = client.get("/open311/v2/requests.json?status=%00")

    assert page.status_code == 400 and b"&#x27;q&#x27;" in page.content
    assert api.status_code == 400
    assert api.json()["errors"][0] == {"code": "control_character", "field": "ward",
                                      "message": api.json()["errors"][0]["message"]}
    assert open311.status_code == 400 and open311.json()[0]["field"] == "status"


def test_bytes_that_are_not_utf8_in_a_form_are_refused_on_the_form(client, seed):
    response = client.post("/report/", b"service=water-leak&description=caf%E9",
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert b"could not be read" in response.content


def test_a_nul_in_a_json_body_is_refused_naming_the_field(client, seed):
    response = client.post("/api/v1/cases", json.dumps({"service_code": "water-leak",
                                                        "description": "a\x00b"}),
                           content_type="application/json", HTTP_X_API_KEY=seed.api_key)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "description"


def test_a_body_declared_too_large_is_refused_before_it_is_read(client, seed, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1024

    response = client.generic("POST", "/report/", b"x" * 10, CONTENT_TYPE="text/plain",
                              CONTENT_LENGTH="2048")

    assert response.status_code == 413
