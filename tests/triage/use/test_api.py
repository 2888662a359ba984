"""POST /api/v1/triage: the contract in issue 19, through the API's own door."""

from datetime import datetime, timedelta

import pytest
import time_machine

from tests.api.conftest import key_for
from tests.triage.use.conftest import MONDAY_10, north_of, report

LEAK = "Burst pipe on Vilakazi Street, water pouring down the road"


def at(when):
    return time_machine.travel(when, tick=False)


def test_the_answer_has_every_field_of_the_contract_with_its_type(world, services, here,
                                                                   reader, trained):
    with at(MONDAY_10):
        first = report(services.leak, LEAK, point=here)
    with at(MONDAY_10 + timedelta(minutes=2)):
        response = reader.post("/triage", {"description": "burst pipe, water all over",
                                           "lat": north_of(here, 10)[0], "long": here[1]})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"services", "urgency", "principles", "language", "duplicates",
                         "model", "reason"}
    assert body["services"] == [
        {"code": "water-leak", "name": "Water leak or burst pipe", "confidence": 0.812},
        {"code": "no-water", "name": "No water supply", "confidence": 0.1},
        {"code": "pothole", "name": "Pothole", "confidence": 0.05}]
    assert (body["urgency"], body["principles"], body["language"], body["model"],
            body["reason"]) == ("high", ["redress"], "en", "7", "")
    [duplicate] = body["duplicates"]
    assert set(duplicate) == {"reference", "score", "distance_m", "opened_at"}
    assert duplicate["reference"] == first.reference
    assert 9 < duplicate["distance_m"] < 11 and 0.5 <= duplicate["score"] <= 1
    assert datetime.fromisoformat(duplicate["opened_at"]) == first.opened_at
    assert trained[0]["lon"] == here[1]  # "long" in, lon to triage


def test_duplicates_are_looked_for_in_the_service_given_rather_than_the_guess(
        world, services, here, reader, trained):
    with at(MONDAY_10):
        pothole = report(services.pothole, "Pothole by the school", point=here)
        response = reader.post("/triage", {"description": "pothole by the school",
                                           "lat": here[0], "long": here[1],
                                           "service_code": "pothole"})
    assert [d["reference"] for d in response.json()["duplicates"]] == [pothole.reference]
    assert trained[0]["service_code"] == "pothole"


def test_without_a_trained_model_the_answer_is_200_with_no_suggestions_and_why(
        world, services, reader):
    response = reader.post("/triage", {"description": "no water since Friday in ext 5"})

    assert response.status_code == 200
    body = response.json()
    assert body["services"] == [] and body["duplicates"] == []
    assert body["model"] == ""
    assert body["reason"]  # says why, in words


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"description": ""}, "empty_description", "description"),
    ({"description": "   \n "}, "empty_description", "description"),
    ({"description": "x" * 4001}, "description_too_long", "description"),
    ({"description": "pipe", "lat": 10.0, "long": 10.0}, "outside_wards", "lat"),
    ({"description": "pipe", "lat": -26.195}, "point_incomplete", "long"),
    ({"description": "pipe", "service_code": "no-such-thing"}, "unknown_service",
     "service_code"),
])
def test_bad_input_is_400_naming_what_is_wrong(world, services, reader, body, code, field):
    response = reader.post("/triage", body)

    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]


def test_a_missing_description_is_a_validation_error(world, reader):
    response = reader.post("/triage", {"lat": -26.195, "long": 28.005})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "description"


def test_an_api_key_is_required(world, anonymous):
    assert anonymous.post("/triage", {"description": "pipe"}).status_code == 401


def test_a_key_of_another_department_is_offered_no_duplicates_outside_it(
        world, services, here, client, trained):
    from tests.api.conftest import Api
    from tests.factories import DepartmentFactory

    roads_only = Api(client, key_for("read", department=DepartmentFactory(code="roads")))
    with at(MONDAY_10):
        report(services.leak, LEAK, point=here)
        response = roads_only.post("/triage", {"description": LEAK, "lat": here[0],
                                               "long": here[1]})
    assert response.status_code == 200
    assert response.json()["duplicates"] == []


def test_the_answer_takes_a_bounded_number_of_queries(world, services, here, reader, trained,
                                                       django_assert_max_num_queries):
    with at(MONDAY_10):
        for metres in range(0, 30, 3):
            report(services.leak, LEAK, point=north_of(here, metres))
        reader.post("/triage", {"description": LEAK, "lat": here[0], "long": here[1]})
        with django_assert_max_num_queries(8):
            response = reader.post("/triage", {"description": LEAK, "lat": here[0],
                                               "long": here[1]})
    assert len(response.json()["duplicates"]) == 5
