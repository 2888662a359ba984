"""The PyPI client `georeport` against a live server: every call it offers, in
both of its output formats."""

import pytest
import time_machine
from georeport import GeoReport

from tests.open311.factories import open_case
from tests.support import sast

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live(live_server, questions):
    with time_machine.travel(sast(2026, 3, 2, 10, 0), tick=True):
        cases = [open_case(questions, attributes={"depth": 30, "hazard": "no"}) for _ in range(2)]
        yield type("Live", (), {"url": live_server.url + "/open311/v2", "cases": cases,
                                "world": questions})


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_client_lists_services(live, output_format):
    client = GeoReport(live.url, jurisdiction="127.0.0.1", output_format=output_format)

    services = client.get_service_list()

    services = services if isinstance(services, list) else [services]
    assert [s["service_code"] for s in services] == ["water-leak"]


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_client_reads_a_definition(live, output_format):
    client = GeoReport(live.url, output_format=output_format)

    definition = client.get_service_definition("water-leak")

    assert definition["service_code"] == "water-leak"
    attributes = definition["attributes"]
    attributes = attributes["attribute"] if output_format == "xml" else attributes
    assert [a["code"] for a in attributes] == ["depth", "seen_at", "landmark", "details",
                                               "hazard", "affected"]


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_client_lists_requests_with_every_filter(live, output_format):
    client = GeoReport(live.url, output_format=output_format)
    first, second = live.cases

    everything = client.get_service_requests(
        service_code="water-leak", start_date="2026-03-01T00:00:00Z",
        end_date="2026-03-03T00:00:00Z", status="open")
    chosen = client.get_service_requests(service_request_id=first.reference)

    assert {r["service_request_id"] for r in everything} == {first.reference, second.reference}
    chosen = chosen if isinstance(chosen, list) else [chosen]  # xmltodict: one item, one dict
    assert [r["service_request_id"] for r in chosen] == [first.reference]


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_client_reads_one_request(live, output_format):
    client = GeoReport(live.url, output_format=output_format)
    case = live.cases[0]

    request = client.get_service_request(case.reference)

    assert request["service_request_id"] == case.reference
    assert request["status"] == "open"
    assert str(request["lat"]) == str(live.world.ward.centroid_lat)
