"""ODK Collect's whole conversation with the server, request by request:
form list, form download, manifest, HEAD, a POST with a photo, a submission
split over two POSTs, a repeat; and the household in the ward's figures."""

import hashlib
import uuid

import pytest
from defusedxml.ElementTree import fromstring
from django.urls import reverse

from imbizo.field.models import (
    FieldAttachment,
    FieldForm,
    FieldNeedDaily,
    FieldRecord,
    FieldRecordRevision,
    FieldVisitDaily,
)
from tests.field.factories import png_bytes
from tests.openrosa.collect import household_answers, instance_xml, message_of

pytestmark = pytest.mark.django_db

XFORMS = "{http://www.w3.org/2002/xforms}"


def test_collect_lists_downloads_and_sends_a_household_with_a_photo(collect, ward):
    forms = collect.form_list()

    assert [(f["formID"], f["version"], f["name"]) for f in forms] == [
        ("household-needs", "1", "Household needs survey")]
    form = forms[0]
    download = collect.get(form["downloadUrl"])
    assert download.status_code == 200
    assert download["X-OpenRosa-Version"] == "1.0"
    assert form["hash"] == "md5:" + hashlib.md5(download.content).hexdigest()  # noqa: S324
    instance = fromstring(download.content).find(
        f".//{XFORMS}instance/{XFORMS}household-needs")
    assert instance.get("id") == "household-needs" and instance.get("version") == "1"
    manifest = collect.get(form["manifestUrl"])
    assert manifest.status_code == 200 and b"xformsManifest" in manifest.content

    head = collect.head_submission()
    assert head.status_code == 204
    assert int(head["X-OpenRosa-Accept-Content-Length"]) >= 1024 * 1024
    assert head["Location"].endswith("/openrosa/submission")

    instance_id = f"uuid:{uuid.uuid4()}"
    xml = instance_xml(instance_id=instance_id, answers=household_answers(photo="door.png"))
    response = collect.submit(xml, {"door.png": png_bytes()})

    assert response.status_code == 201
    nature, text = message_of(response)
    assert nature == "submit_success" and "Receipt F" in text
    record = FieldRecord.objects.get(instance_id=instance_id)
    assert record.worker.username == "thandi"
    assert record.ward == ward and not record.outside_wards
    assert record.answers["needs"] == ["water", "sanitation"]
    assert record.answers["people"] == 5
    assert record.captured_at.isoformat() == "2026-12-07T08:15:00+00:00"
    assert record.complete
    assert list(record.attachments.values_list("name", flat=True)) == ["door.png"]
    # Collect's very first request had no credentials: it was challenged once.
    assert collect.requests[0] == ("GET", "/openrosa/formList", 200)


def test_the_household_is_on_its_ward_page_once_received(collect, ward):
    xml = instance_xml(answers=household_answers(needs="water electricity"))

    collect.submit(xml)
    collect.submit(xml)  # the phone did not hear the first answer and sends again

    visits = FieldVisitDaily.objects.get(ward=ward)
    assert visits.households == 1
    assert dict(FieldNeedDaily.objects.filter(ward=ward).values_list("need", "households")) == {
        "electricity": 1, "water": 1}
    page = collect.client.get(reverse("insights:ward", args=[ward.code]))
    assert "1 household was visited door to door" in page.content.decode()
    rows = {r["need"]: r["households"] for r in page.context["tables"]["households"].rows}
    assert (rows["Water"], rows["Electricity"], rows["Housing"]) == (1, 1, 0)


def test_a_repeat_is_answered_202_with_the_first_receipt_and_changes_nothing(collect, ward):
    instance_id = f"uuid:{uuid.uuid4()}"
    first = collect.submit(instance_xml(instance_id=instance_id, answers=household_answers()))
    again = collect.submit(instance_xml(instance_id=instance_id,
                                        answers=household_answers(people="9")))

    assert (first.status_code, again.status_code) == (201, 202)
    receipt = message_of(first)[1].rsplit("Receipt ", 1)[1]
    nature, text = message_of(again)
    assert nature == "submit_success" and "Already received" in text and receipt in text
    assert FieldRecord.objects.filter(instance_id=instance_id).count() == 1
    record = FieldRecord.objects.get(instance_id=instance_id)
    assert record.answers["people"] == 5 and record.revision == 1
    assert FieldRecordRevision.objects.filter(record=record).count() == 1


def test_a_submission_split_over_two_posts_is_joined_into_one_complete_record(collect, ward,
                                                                                 survey):
    """Collect splits when the files do not fit X-OpenRosa-Accept-Content-Length:
    every POST carries the XML, each some of the files, all but the last
    *isIncomplete*=yes."""
    definition = survey.definition
    definition["questions"].append({"name": "photo_2", "kind": "image", "required": False,
                                    "label": {"en": "Second photo"}})
    survey.definition = definition
    survey.save()
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = instance_xml(instance_id=instance_id,
                       answers=household_answers(photo="a.png", photo_2="b.png"))

    first = collect.submit(xml, {"a.png": png_bytes((1, 2, 3))}, incomplete=True)
    record = FieldRecord.objects.get(instance_id=instance_id)
    assert first.status_code == 201 and not record.complete
    assert "b.png" in message_of(first)[1]
    last = collect.submit(xml, {"b.png": png_bytes((4, 5, 6))})

    assert last.status_code == 201
    record.refresh_from_db()
    assert record.complete
    assert sorted(FieldAttachment.objects.filter(record=record).values_list("name", flat=True)) \
        == ["a.png", "b.png"]
    assert FieldRecord.objects.filter(instance_id=instance_id).count() == 1


def test_enketo_asks_for_one_form_by_its_id(collect, survey):
    collect.form_list()  # signs in

    response = collect.client.get("/openrosa/formList", {"formID": "no-such-form"},
                                  HTTP_AUTHORIZATION=collect.authorization)

    assert response.status_code == 200 and b"<xform>" not in response.content


def test_a_server_url_typed_with_a_trailing_slash_works(collect):
    collect.form_list()

    response = collect.client.get("/openrosa//formList", HTTP_AUTHORIZATION=collect.authorization)

    assert response.status_code == 200 and b"household-needs" in response.content


def test_the_form_list_costs_a_fixed_number_of_queries(collect, survey,
                                                       django_assert_max_num_queries):
    for n in range(5):
        FieldForm.objects.create(code=f"form-{n}", version="1", title=f"Form {n}",
                                 definition=survey.definition, published_at=survey.published_at)
    assert len(collect.form_list()) == 6

    # the user with their staff record and assignment; the forms
    with django_assert_max_num_queries(2):
        collect.form_list()


def test_a_submission_costs_a_bounded_number_of_queries(collect, ward,
                                                        django_assert_max_num_queries):
    collect.submit(instance_xml(answers=household_answers()))

    with django_assert_max_num_queries(14):
        response = collect.submit(instance_xml(answers=household_answers()))
    assert response.status_code == 201
