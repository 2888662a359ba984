"""Real cities' documents round-trip: their services, imported with the catalogue
importer, are served back with the same fields and values, and our requests,
receipts, errors and discovery have the shape theirs have."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - trusted test fixtures

import pytest
import time_machine

from imbizo.catalogue.importers import services_import
from tests.open311.factories import open_case
from tests.open311.schemas import FIXTURES, assert_valid, xml_strict
from tests.support import sast

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group")


def _xml_services(name: str) -> list[dict]:
    root = ET.parse(FIXTURES / name).getroot()  # noqa: S314
    return [{child.tag: (child.text or "").strip() for child in service} for service in root]


def _normalised(record: dict) -> dict:
    """A service as plain text, whatever the format: empty and null alike, booleans in
    lower case, keywords as their non-empty words (the importer drops empty ones, as
    in DC's "(License,, Registration")."""
    def text(key: str) -> str:
        value = record.get(key)
        value = "" if value is None else str(value).strip()
        if key == "metadata":
            return value.lower()
        if key == "keywords":
            return ", ".join(w.strip() for w in value.split(",") if w.strip())
        return value

    return {key: text(key) for key in SERVICE_FIELDS}


@pytest.mark.parametrize("name", ["dc-services.xml", "giessen-services.xml"])
def test_an_xml_services_list_is_served_back_as_it_came(client, world, name):
    services_import([FIXTURES / name])
    theirs = {s["service_code"]: _normalised(s) for s in _xml_services(name)}

    ours_xml = {s["service_code"]: _normalised(s)
                for s in _xml_as_dicts(client.get("/open311/v2/services.xml").content)}
    ours_json = client.get("/open311/v2/services.json").json()

    assert_valid(ours_json, "services.json")
    assert {code: ours_xml[code] for code in theirs} == theirs
    assert {s["service_code"]: _normalised(s) for s in ours_json if s["service_code"] in theirs} == (
        theirs)


def _xml_as_dicts(body: bytes) -> list[dict]:
    return [{child.tag: child.text for child in item} for item in xml_strict(body)]


def test_a_json_services_list_is_served_back_as_it_came(client, world):
    path = FIXTURES / "bloomington_services.json"
    services_import([path])
    theirs = {s["service_code"]: _normalised(s) for s in json.loads(path.read_text())}

    ours = {s["service_code"]: _normalised(s) for s in client.get("/open311/v2/services.json").json()}

    assert {code: ours[code] for code in theirs} == theirs


def test_a_service_definition_is_served_back_as_it_came(client, world):
    services_import([FIXTURES / "dc-services.xml", FIXTURES / "dc-services-S0301.xml"])
    theirs = ET.parse(FIXTURES / "dc-services-S0301.xml").getroot()  # noqa: S314

    ours_json = client.get("/open311/v2/services/S0301.json").json()
    ours_xml = xml_strict(client.get("/open311/v2/services/S0301.xml").content)

    assert_valid(ours_json, "service-definition.json")

    def attributes(root) -> dict:
        return {a.findtext("code"): {
            "fields": {c.tag: (c.text or "").strip() for c in a if c.tag != "values"},
            "values": [(v.findtext("key"), v.findtext("name")) for v in a.iterfind("values/value")],
        } for a in root.iterfind("attributes/attribute")}

    assert attributes(ours_xml) == attributes(theirs)
    assert ours_xml.findtext("service_code") == theirs.findtext("service_code")
    by_code = {a["code"]: a for a in ours_json["attributes"]}
    assert by_code["WHISPOLO"]["required"] is True and by_code["WHISPOLO"]["order"] == 1
    assert [v["key"] for v in by_code["WHMAISAL"]["values"]] == [
        "ASPHALT", "BRICK", "COBBLEST", "CONCRETE", "OTHER015", "UNKNO001"]


@time_machine.travel(sast(2026, 3, 2, 10, 0), tick=False)
def test_our_requests_have_torontos_fields(client, world):
    open_case(world)
    theirs = ET.parse(FIXTURES / "toronto-requests-single.xml").getroot()  # noqa: S314

    ours = xml_strict(client.get("/open311/v2/requests.xml").content)

    assert ours.tag == theirs.tag and ours[0].tag == theirs[0].tag
    # The same fields; Toronto sends long before lat, we keep the specification's order.
    assert sorted(c.tag for c in ours[0]) == sorted(c.tag for c in theirs[0])


@time_machine.travel(sast(2026, 3, 2, 10, 0), tick=False)
@pytest.mark.parametrize("name", ["chicago-requests.json", "bloomington_requests.json"])
def test_our_json_requests_have_every_field_other_cities_send(client, world, name):
    open_case(world)
    theirs = json.loads((FIXTURES / name).read_text())
    assert_valid(theirs, "requests.json")  # the schemas accept what real cities send

    ours = client.get("/open311/v2/requests.json").json()[0]

    assert set().union(*theirs) <= set(ours)
    for record in theirs:
        for key in ("lat", "long"):
            assert isinstance(record.get(key), int | float | None) and type(ours[key]) is float


def test_our_discovery_has_the_fields_of_dc_and_boston(client, world):
    boston = json.loads((FIXTURES / "discovery-boston.json").read_text())
    dc = ET.parse(FIXTURES / "discovery-dc.xml").getroot()  # noqa: S314

    ours_json = client.get("/open311/v2/discovery.json").json()
    ours_xml = xml_strict(client.get("/open311/v2/discovery.xml").content)

    assert set(ours_json) == set(boston)
    assert set(ours_json["endpoints"][0]) == set(boston["endpoints"][0])
    assert [c.tag for c in ours_xml] == [c.tag for c in dc]
    assert [c.tag for c in ours_xml.find("endpoints/endpoint")] == [
        c.tag for c in dc.find("endpoints/endpoint")]


def test_our_receipt_and_errors_have_bostons_shape(client, world, api_key):
    token = ET.parse(FIXTURES / "boston-submitrequest-token.xml").getroot()  # noqa: S314
    error = ET.parse(FIXTURES / "boston-err-submitrequest-base_is_duplicate.xml").getroot()  # noqa: S314

    receipt = xml_strict(client.post("/open311/v2/requests.xml", {
        "api_key": api_key, "service_code": "water-leak", "description": "x",
        "lat": world.ward.centroid_lat, "long": world.ward.centroid_lon}).content)
    refusal = xml_strict(client.post("/open311/v2/requests.xml", {
        "api_key": api_key, "service_code": "water-leak"}).content)

    assert receipt.tag == token.tag and receipt[0].tag == token[0].tag
    assert {c.tag for c in token[0]} <= {c.tag for c in receipt[0]}
    assert refusal.tag == error.tag and refusal[0].tag == error[0].tag
    assert {c.tag for c in error[0]} <= {c.tag for c in refusal[0]}
    assert refusal[0].findtext("code") == error[0].findtext("code") == "400"
