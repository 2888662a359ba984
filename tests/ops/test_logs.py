import json
import logging

import pytest

from imbizo.ops.logs import JsonFormatter, RequestIdFilter, request_id, safe_path


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_valid_incoming_one_is_kept(client):
    fresh = client.get("/healthz")
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="abc123-from-the-proxy")
    refused = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")

    assert len(fresh["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "abc123-from-the-proxy"
    assert refused["X-Request-ID"] != "<script>"


def test_survey_tokens_are_masked_in_logged_paths():
    assert safe_path("/survey/s3cr3t-token/") == "/survey/…/"
    assert safe_path("/track/4F7K-2M9X/") == "/track/4F7K-2M9X/"


def test_json_lines_carry_the_request_id():
    record = logging.LogRecord("imbizo.cases", logging.INFO, __file__, 1, "case %s opened",
                               ("4F7K-2M9X",), None)
    token = request_id.set("rid-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)

    line = json.loads(JsonFormatter().format(record))

    assert line["request_id"] == "rid-42"
    assert line["message"] == "case 4F7K-2M9X opened"


@pytest.mark.django_db
def test_nothing_personal_is_logged_when_a_report_is_made(client, world, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post("/report/", {
            "kind": "request", "service": "water-leak", "description": "Leak",
            "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
            "citizen_name": "Ayanda Mahlangu", "citizen_phone": "082 444 5555",
            "citizen_email": "ayanda@example.org", "contact_consent": "on",
        })

    logged = caplog.text
    assert "/report/" in logged  # the access line is there
    for private in ("Ayanda", "Mahlangu", "444 5555", "+27824445555", "ayanda@example.org"):
        assert private not in logged
