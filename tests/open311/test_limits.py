"""What one Open311 call may ask: at most 50 references, at most 100 requests a
page without an API key (1,000 with one), each limit named in the error; and
request tokens that nobody without the server's secret can compute."""

import hashlib

import pytest
import time_machine

from imbizo.cases.models import Case
from imbizo.integrations.models import ApiKey
from imbizo.open311 import limits
from tests.open311.factories import open_case
from tests.support import sast

pytestmark = pytest.mark.django_db

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def references(n: int) -> str:
    return ",".join(f"AAAA-{i:04d}" for i in range(n))


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_look_up_of_more_than_50_references_is_refused_naming_the_limit(client, world, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}",
                          {"service_request_id": references(51)})

    assert response.status_code == 400
    assert b"at most 50 service_request_id" in response.content
    assert b"not 51" in response.content


def test_a_look_up_of_50_references_is_answered(client, world):
    response = client.get("/open311/v2/requests.json", {"service_request_id": references(50)})

    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("path", ["requests.json", "servicerequestupdates.json"])
def test_an_anonymous_page_of_more_than_100_is_refused_naming_the_limit(client, world, path):
    response = client.get(f"/open311/v2/{path}", {"page_size": "101"})

    assert response.status_code == 400
    [error] = response.json()
    assert error["field"] == "page_size"
    assert "at most 100 requests a page" in error["description"]
    assert "API key" in error["description"]


def test_a_caller_with_an_open311_key_may_ask_for_pages_of_1000(client, world, api_key):
    allowed = client.get("/open311/v2/requests.json", {"page_size": "1000", "api_key": api_key})
    beyond = client.get("/open311/v2/requests.json", {"page_size": "1001", "api_key": api_key})

    assert allowed.status_code == 200
    assert beyond.status_code == 400 and "1000" in beyond.json()[0]["description"]


def test_a_key_without_the_open311_scope_lists_as_anonymous(client, world, read_only_key):
    response = client.get("/open311/v2/requests.json",
                          {"page_size": "500", "api_key": read_only_key})

    assert response.status_code == 400


def test_without_page_size_an_anonymous_page_holds_the_anonymous_limit(
        client, world, api_key, monkeypatch):
    monkeypatch.setattr(limits, "ANONYMOUS_PAGE_SIZE", 2)
    with time_machine.travel(MONDAY_10, tick=True):
        for _ in range(3):
            open_case(world)
        anonymous = client.get("/open311/v2/requests.json").json()
        keyed = client.get("/open311/v2/requests.json", {"api_key": api_key}).json()

    assert (len(anonymous), len(keyed)) == (2, 3)


def test_the_limits_are_as_documented():
    assert (limits.MAX_REFERENCES, limits.ANONYMOUS_PAGE_SIZE, limits.KEYED_PAGE_SIZE) == (
        50, 100, 1000)


@time_machine.travel(MONDAY_10, tick=False)
def test_a_request_token_is_keyed_with_the_secret(client, world, api_key, settings):
    data = {"api_key": api_key, "service_code": "water-leak", "description": "Burst pipe",
            "lat": str(world.ward.centroid_lat), "long": str(world.ward.centroid_lon)}
    token = client.post("/open311/v2/requests.json", data,
                        HTTP_IDEMPOTENCY_KEY="fms-report-1").json()[0]["token"]
    stored = Case.objects.get().idempotency_key
    unkeyed = hashlib.sha256(f"{ApiKey.objects.get().pk}:fms-report-1".encode()).hexdigest()

    settings.SECRET_KEY = "another secret of at least fifty characters, for this test"
    other = client.post("/open311/v2/requests.json", data,
                        HTTP_IDEMPOTENCY_KEY="fms-report-1").json()[0]["token"]

    assert token.startswith("o311-") and token == stored
    assert token != f"o311-{unkeyed[:40]}"  # not the unkeyed hash anyone could compute
    assert other != token  # another secret, another token: it cannot be computed outside
