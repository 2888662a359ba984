"""Public pages never show personal data: every public URL of the project
(from the expectation table, so new public pages are covered as they land)
is requested on a seeded instance and scanned for the citizen's name,
numbers, email, address and exact location."""

import logging

import pytest
from django.urls import reverse

from tests.trust.conftest import CITIZEN, PERSONAL
from tests.trust.url_table import API, ENTRIES, PUBLIC

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [e for e in ENTRIES if e.area == PUBLIC and e.method == "GET"]
# Public API answers, and those given to an integration's key without the
# "personal" scope.
API_READS = [e for e in ENTRIES if e.area == API and e.method == "GET" and e.scan]


# Who the citizen is, as opposed to where the problem is.
IDENTIFYING = [v for v in PERSONAL if v != CITIZEN["address"]]


def _leaks(body: str, case) -> list[str]:
    exact = [f"{case.lat:.4f}", f"{case.lon:.4f}"] if case.lat is not None else []
    return [value for value in (*PERSONAL, *exact) if value in body]


@pytest.mark.parametrize("entry", PUBLIC_PAGES, ids=lambda e: e.id)
def test_no_public_page_shows_the_citizens_personal_data(client, resolved_seed, entry):
    url = reverse(entry.name, kwargs=entry.kwargs(resolved_seed)) + entry.query

    response = client.get(url)

    assert response.status_code in entry.ok, url
    assert _leaks(response.content.decode(), resolved_seed.case) == [], url


def test_live_search_fragments_show_no_personal_data(client, resolved_seed):
    response = client.get(reverse("portal:service_list") + "?q=leak", HTTP_HX_REQUEST="true")

    assert _leaks(response.content.decode(), resolved_seed.case) == []


def test_no_log_line_carries_personal_data(client, resolved_seed, caplog):
    with caplog.at_level(logging.DEBUG):
        for entry in PUBLIC_PAGES:
            client.get(reverse(entry.name, kwargs=entry.kwargs(resolved_seed)) + entry.query)
        client.get(reverse("portal:track_lookup"), {"reference": "0829990001"})

    lines = "\n".join(record.getMessage() for record in caplog.records)
    assert [value for value in PERSONAL if value in lines] == []


@pytest.mark.parametrize("private", [True, False], ids=["private case", "public request"])
@pytest.mark.parametrize("entry", API_READS, ids=lambda e: e.id)
def test_no_api_answer_without_the_personal_scope_carries_personal_data(
        client, resolved_seed, entry, private):
    """Open data may show where a public request is (the pothole's place, as
    FixMyStreet does; cases.disclosure, ADR 0011), never who reported it; a
    private case (here: a complaint) shows neither."""
    from imbizo.cases.models import Case

    case = resolved_seed.case
    if private:
        Case.objects.filter(pk=case.pk).update(kind="complaint")
    url = reverse(entry.name, kwargs=entry.kwargs(resolved_seed)) + entry.query

    anonymous = client.get(url)
    keyed = client.get(url, HTTP_X_API_KEY=resolved_seed.api_key)

    for response in (anonymous, keyed):
        leaks = _leaks(response.content.decode(), case)
        if not private:
            leaks = [v for v in leaks if v in IDENTIFYING]
        assert leaks == [], url
