"""Bad submissions each get the OpenRosa status and a message naming the
problem, and leave nothing stored; a point outside every ward is kept."""

import uuid

import pytest

from imbizo.field.models import FieldAttachment, FieldRecord
from imbizo.ops.outage import unavailable_response
from tests.field.factories import png_bytes
from tests.openrosa.collect import household_answers, instance_xml, message_of

pytestmark = pytest.mark.django_db


def refused(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.content
    assert response["X-OpenRosa-Version"] == "1.0"
    nature, text = message_of(response)
    assert nature == "error"
    for word in words:
        assert word in text, text
    assert not FieldRecord.objects.exists()


def test_an_unknown_form_is_404_naming_it(collect):
    response = collect.submit(instance_xml(form="water-audit", answers={"x": "1"}))

    refused(response, 404, "water-audit")


def test_an_unknown_version_of_a_known_form_is_400_naming_the_versions_held(collect):
    response = collect.submit(instance_xml(version="7", answers=household_answers()))

    refused(response, 400, "version 7", "household-needs", "1")


def test_xml_that_is_not_well_formed_is_400(collect):
    response = collect.submit(b"<household-needs id='household-needs'><people>5</household-needs>")

    refused(response, 400, "not well-formed")


def test_entities_are_refused_unexpanded(collect):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<household-needs id="household-needs" version="1"><notes>&b;</notes>'
            b"<meta><instanceID>uuid:1</instanceID></meta></household-needs>")

    refused(collect.submit(bomb), 400, "DTD")


def test_an_instance_without_an_instance_id_is_400(collect):
    xml = instance_xml(answers=household_answers()).replace(b"<instanceID>", b"<other>").replace(
        b"</instanceID>", b"</other>")

    refused(collect.submit(xml), 400, "instanceID")


def test_a_post_without_the_xml_part_is_400(collect):
    collect.form_list()

    response = collect.client.post("/openrosa/submission", {"photo.png": b"x"},
                                   HTTP_AUTHORIZATION=collect.authorization)

    refused(response, 400, "xml_submission_file")


def test_answers_that_do_not_fit_the_form_are_400_naming_the_question(collect):
    response = collect.submit(instance_xml(answers=household_answers(people="many")))

    refused(response, 400, "people")


def test_a_photo_over_the_limit_is_413_and_the_record_is_not_half_stored(collect, settings):
    settings.FIELD_ATTACHMENT_MAX_BYTES = 100
    xml = instance_xml(answers=household_answers(photo="big.png"))

    response = collect.submit(xml, {"big.png": png_bytes() + b"\0" * 200})

    refused(response, 413, "big.png")
    assert not FieldAttachment.objects.exists()


def test_a_file_that_is_not_an_image_is_400(collect):
    xml = instance_xml(answers=household_answers(photo="x.png"))

    response = collect.submit(xml, {"x.png": b"MZ\x90\x00 not a picture"})

    refused(response, 400, "x.png")


def test_a_point_outside_every_ward_is_kept_and_flagged(collect, ward):
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = instance_xml(instance_id=instance_id,
                       answers=household_answers(location="-33.9 18.4 0 10"))

    response = collect.submit(xml)

    assert response.status_code == 201
    record = FieldRecord.objects.get(instance_id=instance_id)
    assert record.outside_wards and record.ward is None


def test_get_on_the_submission_door_is_405(collect):
    collect.form_list()

    response = collect.client.get("/openrosa/submission", HTTP_AUTHORIZATION=collect.authorization)

    assert response.status_code == 405 and response["Allow"] == "HEAD, POST"


def test_a_body_over_the_site_limit_is_refused_unread_in_openrosa_words(client, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1000

    response = client.generic("POST", "/openrosa/submission", b"x" * 2000,
                              content_type="multipart/form-data; boundary=x")

    assert response.status_code == 413
    assert response["X-OpenRosa-Version"] == "1.0"
    assert message_of(response)[0] == "error"


def test_too_many_requests_from_one_address_is_429_with_retry_after(collect, settings):
    collect.form_list()
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "openrosa": "2/10m"}

    statuses = [collect.client.get("/openrosa/formList", HTTP_AUTHORIZATION=collect.authorization,
                                   REMOTE_ADDR="203.0.113.9").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_database_outage_is_503_in_openrosa_words(rf):
    response = unavailable_response(rf.post("/openrosa/submission"))

    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert response["X-OpenRosa-Version"] == "1.0"
    assert message_of(response)[0] == "error"


def test_an_edit_of_a_sent_record_is_400_and_counts_no_second_household(collect, ward):
    first = instance_xml(instance_id="uuid:first", answers=household_answers())
    assert collect.submit(first).status_code == 201
    edit = instance_xml(instance_id="uuid:edited", answers=household_answers(people="7")).replace(
        b"</meta>", b"<deprecatedID>uuid:first</deprecatedID></meta>")

    response = collect.submit(edit)

    assert response.status_code == 400 and "deprecatedID" in message_of(response)[1]
    assert list(FieldRecord.objects.values_list("instance_id", flat=True)) == ["uuid:first"]
