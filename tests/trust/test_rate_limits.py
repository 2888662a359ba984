"""Public intake, tracking and survey endpoints are rate-limited per client,
counted in the shared cache (DatabaseCache here: every process sees the same
counts), answering 429 with a plain page."""

import pytest
import time_machine
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse

from imbizo.core.ratelimit import Rate, client_address, hit, rate_parse
from tests.support import sast

pytestmark = pytest.mark.django_db
NOON = sast(2026, 3, 2, 12, 0)


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"report": "2/h", "track": "3/m", "survey": "2/h"}
    caches["ratelimit"].clear()
    yield settings.RATE_LIMITS
    caches["ratelimit"].clear()


def test_the_rate_limits_share_the_database_cache():
    assert caches["ratelimit"].__class__.__name__ == "DatabaseCache"


@pytest.mark.parametrize(("text", "rate"), [("20/h", Rate(20, 3600)), ("60/10m", Rate(60, 600)),
                                            (" 5 / s ", Rate(5, 1)), ("1/d", Rate(1, 86400))])
def test_rates_are_read_as_written(text, rate):
    assert rate_parse(text) == rate


def test_a_malformed_rate_is_named():
    with pytest.raises(ValueError, match="20/h or 60/10m, not '20 per hour'"):
        rate_parse("20 per hour")


def test_reports_past_the_limit_get_429_with_a_plain_page_and_retry_after(client, world, limits):
    with time_machine.travel(NOON, tick=False):
        statuses = [client.post(reverse("portal:report"), {}).status_code for _ in range(3)]
        refused = client.post(reverse("portal:report"), {})

    assert statuses == [200, 200, 429]
    assert refused["Retry-After"] == "3600"
    assert "Too many requests" in refused.content.decode()
    assert "<script>" not in refused.content.decode()


def test_the_report_form_itself_is_not_limited(client, world, limits):
    statuses = {client.get(reverse("portal:report")).status_code for _ in range(5)}

    assert statuses == {200}


def test_tracking_is_limited_across_lookup_and_pages(client, world, limits):
    urls = [reverse("portal:track_lookup"), reverse("portal:case_track", args=["AAAA-AAAA"]),
            reverse("portal:track_lookup")]
    with time_machine.travel(NOON, tick=False):
        for url in urls:
            assert client.get(url).status_code != 429
        assert client.get(reverse("portal:track_lookup")).status_code == 429


def test_the_window_ends_and_requests_are_taken_again(client, world, limits):
    with time_machine.travel(NOON, tick=False):
        for _ in range(4):
            client.get(reverse("portal:track_lookup"))
    with time_machine.travel(sast(2026, 3, 2, 12, 1), tick=False):
        assert client.get(reverse("portal:track_lookup")).status_code == 200


def test_another_client_has_its_own_count(client, world, limits):
    with time_machine.travel(NOON, tick=False):
        for _ in range(4):
            client.get(reverse("portal:track_lookup"))
        other = client.get(reverse("portal:track_lookup"), REMOTE_ADDR="10.0.0.9")

    assert other.status_code == 200


def test_survey_answers_are_limited(client, world, limits):
    url = reverse("portal:survey", args=["no-such-token"])

    statuses = [client.post(url, {}).status_code for _ in range(3)]

    assert statuses[-1] == 429 and 429 not in statuses[:2]


def test_the_count_is_shared_between_processes_through_the_cache(limits):
    rate = Rate(count=2, seconds=60)

    first = [hit(scope="t", client="1.2.3.4", rate=rate, now=1000.0) for _ in range(2)]
    # A second process has its own memory but the same cache table.
    caches._connections.__dict__.pop("ratelimit", None)
    third = hit(scope="t", client="1.2.3.4", rate=rate, now=1001.0)

    assert first == [0, 0] and third == 19  # refused until the minute (960-1020 s) ends


def test_no_client_address_is_stored_in_clear(limits):
    hit(scope="t", client="196.25.1.1", rate=Rate(5, 60), now=1000.0)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM imbizo_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and not [k for k in keys if "196.25.1.1" in k]


def test_behind_trusted_proxies_the_forwarded_address_counts(settings):
    settings.RATE_LIMIT_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 196.25.1.1")

    assert client_address(request) == "196.25.1.1"


def test_without_trusted_proxies_a_forged_header_is_ignored(settings):
    settings.RATE_LIMIT_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="196.25.1.1",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_address(request) == "196.25.1.1"


def test_a_counted_request_costs_a_handful_of_queries(limits, django_assert_max_num_queries):
    rate = Rate(count=5, seconds=60)
    hit(scope="t", client="1.2.3.4", rate=rate, now=1000.0)

    # Read, count for culling, then read and update inside a savepoint.
    with django_assert_max_num_queries(6):
        assert hit(scope="t", client="1.2.3.4", rate=rate, now=1001.0) == 0
