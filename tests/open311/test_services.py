"""Discovery, services lists and service definitions, in XML and JSON."""

import json

import pytest

from imbizo.catalogue.models import Service
from tests.open311.schemas import assert_valid, xml_records, xml_strict

pytestmark = pytest.mark.django_db

DATATYPES = ["number", "datetime", "string", "text", "singlevaluelist", "multivaluelist"]


def test_discovery_names_this_endpoint_and_both_formats(client, world, settings):
    settings.SITE_URL = "https://services.example.gov.za"  # behind a proxy: not the Host
    document = client.get("/open311/v2/discovery.json").json()

    endpoint = document["endpoints"][0]
    assert endpoint["url"] == "https://services.example.gov.za/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml_strict(client.get("/open311/v2/discovery.xml").content)
    assert [f.text for f in root.iterfind("endpoints/endpoint/formats/format")] == [
        "text/xml", "application/json"]


def test_the_services_list_validates_against_the_schema(client, questions):
    response = client.get("/open311/v2/services.json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert_valid(response.json(), "services.json")
    assert response.json() == [{
        "service_code": "water-leak", "service_name": questions.service.name,
        "description": "A service used in tests.", "metadata": True, "type": "realtime",
        "keywords": None, "group": "Water"}]


def test_the_services_list_in_xml_has_the_same_records(client, questions):
    response = client.get("/open311/v2/services.xml")

    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = xml_strict(response.content)
    assert root.tag == "services"
    assert xml_records(root) == [{
        "service_code": "water-leak", "service_name": questions.service.name,
        "description": "A service used in tests.", "metadata": "true", "type": "realtime",
        "keywords": None, "group": "Water"}]


def test_a_format_less_path_answers_in_xml(client, world):
    assert xml_strict(client.get("/open311/v2/services").content).tag == "services"


def test_inactive_services_are_not_offered(client, world):
    Service.objects.filter(code="water-leak").update(active=False)

    assert client.get("/open311/v2/services.json").json() == []
    assert client.get("/open311/v2/services/water-leak.json").status_code == 404


def test_a_definition_gives_every_datatype_with_order_required_and_values(client, questions):
    document = client.get("/open311/v2/services/water-leak.json").json()

    assert_valid(document, "service-definition.json")
    assert [a["datatype"] for a in document["attributes"]] == DATATYPES
    depth, _seen, _landmark, _details, hazard, affected = document["attributes"]
    assert depth == {"variable": True, "code": "depth", "datatype": "number", "required": True,
                     "datatype_description": "centimetres", "order": 1,
                     "description": "How deep is the hole (cm)?", "values": []}
    assert hazard["values"] == [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}]
    assert [v["key"] for v in affected["values"]] == ["cars", "people", "houses"]


def test_a_definition_in_xml_nests_values(client, questions):
    root = xml_strict(client.get("/open311/v2/services/water-leak.xml").content)

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "water-leak"
    hazard = root.find("attributes/attribute[code='hazard']")
    assert [v.findtext("key") for v in hazard.iterfind("values/value")] == ["yes", "no"]
    assert hazard.findtext("required") == "true"
    assert hazard.findtext("order") == "5"


def test_an_unknown_service_is_a_404_naming_it(client, world):
    response = client.get("/open311/v2/services/no-such.json")

    assert response.status_code == 404
    assert json.loads(response.content) == [{
        "code": 404, "description": "There is no service with the code 'no-such'.",
        "field": "service_code", "reason": "unknown_service"}]


def test_non_ascii_names_are_utf8_in_both_formats(client, world):
    Service.objects.filter(code="water-leak").update(name="Straßenschäden – Gießen")

    assert client.get("/open311/v2/services.json").json()[0]["service_name"] == (
        "Straßenschäden – Gießen")
    root = xml_strict(client.get("/open311/v2/services.xml").content)
    assert root.findtext("service/service_name") == "Straßenschäden – Gießen"


def test_another_jurisdiction_is_refused(client, world):
    response = client.get("/open311/v2/services.xml?jurisdiction_id=elsewhere.example.org")

    assert response.status_code == 404
    root = xml_strict(response.content)
    assert root.findtext("error/code") == "404"
    assert "elsewhere.example.org" in root.findtext("error/description")


def test_our_own_jurisdiction_is_accepted(client, world):
    assert client.get("/open311/v2/services.xml?jurisdiction_id=127.0.0.1").status_code == 200


def test_an_unknown_resource_is_a_404_document(client, world):
    response = client.get("/open311/v2/reports.json")

    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_posting_to_a_read_only_resource_is_refused(client, world):
    response = client.post("/open311/v2/services.json")

    assert response.status_code == 405
    assert response.json()[0]["reason"] == "method_not_allowed"
