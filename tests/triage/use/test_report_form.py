"""The public report form: "did you mean …?" and "this may already be
reported: follow it instead", from a rate-limited endpoint that offers only
public reports and no personal data."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.triage.usage_models import SuggestionRecord
from tests.triage.use.conftest import MONDAY_10, north_of, report

LEAK = "Burst pipe on Vilakazi Street, water pouring down the road"
URL = "/report/similar/"


def at(when):
    return time_machine.travel(when, tick=False)


def typed(point, **changes) -> dict:
    return {"description": "the pipe burst on vilakazi street, water everywhere",
            "service": "water-leak", "lat": str(point[0]), "lon": str(point[1]), **changes}


def form(point, **changes) -> dict:
    return {"kind": "request", "citizen_email": "sipho@example.org", "contact_consent": "on",
            "address": "Vilakazi Street", "idempotency_key": "abc", **typed(point), **changes}


def test_the_url_is_the_report_forms_own():
    assert reverse("portal:report_similar") == URL


def test_a_public_report_nearby_is_offered_to_follow_with_its_public_reference(
        client, services, here):
    with at(MONDAY_10):
        public = report(services.leak, LEAK + ", phone me on 082 555 1234", point=here,
                        citizen_name="Thandi Mokoena")
    with at(MONDAY_10 + timedelta(minutes=3)):
        response = client.post(URL, typed(north_of(here, 10)))

    page = response.content.decode()
    assert response.status_code == 200
    assert "This may already be reported: follow it instead" in page
    assert reverse("portal:case_track", args=[public.reference]) in page
    for personal in ("Thandi", "Mokoena", "082 555 1234", "thandi@example.org"):
        assert personal not in page
    assert "[removed]" in page


def test_a_report_kept_private_or_anonymous_is_never_offered(client, services, here):
    with at(MONDAY_10):
        kept = report(services.leak, LEAK, point=here, kept_private=True)
        anonymous = report(services.leak, LEAK, point=here, anonymous=True,
                           citizen_email="", contact_consent=False)
        response = client.post(URL, typed(here))

    page = response.content.decode()
    assert kept.reference not in page and anonymous.reference not in page
    assert "already be reported" not in page


def test_did_you_mean_offers_the_other_suggested_services(client, services, here, trained):
    response = client.post(URL, typed(here, service="pothole"))

    page = response.content.decode()
    assert "Did you mean another service?" in page
    assert 'value="water-leak"' in page and 'value="no-water"' in page
    assert 'name="pick_service" value="pothole"' not in page  # the one chosen


@pytest.mark.parametrize("junk", [
    {"description": "x" * 50_000, "lat": "nan", "lon": "inf"},
    {"description": "pipe " * 3, "lat": "north", "lon": "", "ward": "NOPE" * 40},
    {"description": "", "service": "<script>"},
    {},
])
def test_junk_never_breaks_it(client, services, junk):
    response = client.post(URL, junk)
    assert response.status_code == 200


def test_only_post(client, world):
    assert client.get(URL, {"description": LEAK}).status_code == 405


def test_it_is_rate_limited_per_address(client, services, here, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "triage_public": "3/h"}
    caches["ratelimit"].clear()
    try:
        answers = [client.post(URL, typed(here), REMOTE_ADDR="10.1.2.3").status_code
                   for _ in range(4)]
        other = client.post(URL, typed(here), REMOTE_ADDR="10.1.2.4").status_code
    finally:
        caches["ratelimit"].clear()

    assert answers == [200, 200, 200, 429]
    assert other == 200


def test_without_javascript_checking_shows_the_panel_and_keeps_the_form(client, services, here):
    with at(MONDAY_10):
        public = report(services.leak, LEAK, point=here)
        response = client.post("/report/", form(here, step="questions"))

    assert response.status_code == 200
    assert response.context["triage"].duplicates[0].reference == public.reference
    assert 'value="Vilakazi Street"' in response.content.decode()
    assert Case.objects.count() == 1


def test_without_javascript_did_you_mean_sets_the_service(client, services, here, trained):
    response = client.post("/report/", form(here, service="pothole", pick_service="water-leak"))

    assert response.status_code == 200
    assert response.context["form"]["service"].value() == "water-leak"
    assert not Case.objects.exists()


def test_a_report_sent_records_what_was_suggested(client, services, here, trained):
    response = client.post("/report/", form(here, service="water-leak"))

    assert response.status_code == 302
    record = SuggestionRecord.objects.get()
    assert (record.door, record.chosen.code, record.chosen_rank) == ("report", "water-leak", 1)


def test_a_report_sent_twice_keeps_one_record_of_what_was_suggested(client, services, here,
                                                                   trained):
    first = client.post("/report/", form(here, service="water-leak"))
    again = client.post("/report/", form(here, service="water-leak"))  # the same key

    assert first.status_code == again.status_code == 302
    assert Case.objects.count() == SuggestionRecord.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="a report is one statement only on PostgreSQL (data-modifying CTEs)")
def test_a_report_and_its_record_of_suggestions_are_written_in_one_statement(
        client, services, here, trained):
    client.post("/report/", form(here, service="water-leak"))  # stores the consent's wording
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/report/", form(here, service="water-leak", idempotency_key="2"))

    assert response.status_code == 302
    # The test's own transaction adds a savepoint around it; a server's report has none.
    writes = [q["sql"] for q in captured.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "WITH"))]
    assert len(writes) == 1, writes
    assert '"triage_suggestionrecord"' in writes[0]
    assert SuggestionRecord.objects.latest("pk").case.reference in response["Location"]


def test_the_panel_takes_a_bounded_number_of_queries(client, services, here,
                                                      django_assert_max_num_queries):
    with at(MONDAY_10):
        for metres in range(0, 40, 4):
            report(services.leak, LEAK, point=north_of(here, metres))
        client.post(URL, typed(here))
        with django_assert_max_num_queries(6):
            response = client.post(URL, typed(here))
    assert len(response.context["triage"].duplicates) == 3
