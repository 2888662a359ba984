"""record_receive: exactly once by instance id, edits by revision, files joined."""

import datetime

import pytest
import time_machine

from imbizo.field.errors import AttachmentRefused, MalformedRecord, UnknownForm, UnknownRecord
from imbizo.field.models import (
    FieldAttachment,
    FieldConflict,
    FieldRecord,
    FieldRecordRevision,
)
from imbizo.field.services import attachment_receive, record_receive
from tests.field.factories import household, photo, ward_at

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def receive(instance="uuid:aaaa-1", answers=None, **kwargs):
    kwargs.setdefault("form_code", "household-needs")
    kwargs.setdefault("form_version", "1")
    return record_receive(instance_id=instance, answers=answers or household(), **kwargs)


def test_a_new_instance_is_created_in_its_ward_with_history(survey, ward):
    receipt = receive()

    record = FieldRecord.objects.get()
    assert receipt.status == "created"
    assert (receipt.record_id, receipt.revision) == (record.pk, 1)
    assert receipt.receipt == f"F{record.pk}-1"
    assert record.ward == ward and not record.outside_wards
    assert record.answers["people"] == 5
    assert record.needs == ["sanitation", "water"]
    assert record.household and record.complete
    assert FieldRecordRevision.objects.filter(record=record, revision=1).count() == 1


def test_a_repeat_changes_nothing_and_returns_the_first_receipt(survey, ward):
    with time_machine.travel(NOW, tick=False):
        first = receive()
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        again = receive(answers=household(people="9"))

    assert again.status == "repeat"
    assert (again.receipt, again.received_at) == (first.receipt, first.received_at)
    assert FieldRecord.objects.count() == 1
    assert FieldRecord.objects.get().answers["people"] == 5
    assert FieldRecordRevision.objects.count() == 1


def test_an_edit_on_the_current_revision_updates_and_keeps_history(survey, ward):
    receive()

    receipt = receive(answers=household(needs="housing", people="6"), base_revision=1)

    record = FieldRecord.objects.get()
    assert receipt.status == "updated" and receipt.revision == 2
    assert record.revision == 2 and record.needs == ["housing"]
    history = list(record.revisions.values_list("revision", "base_revision", "answers__people"))
    assert history == [(1, None, 5), (2, 1, 6)]


def test_the_same_edit_sent_twice_is_a_repeat_not_a_conflict(survey, ward):
    receive()
    first = receive(answers=household(people="6"), base_revision=1)

    again = receive(answers=household(people="6"), base_revision=1)

    assert again.status == "repeat" and again.receipt == first.receipt
    assert FieldRecord.objects.get().revision == 2
    assert not FieldConflict.objects.exists()


def test_an_edit_on_a_stale_revision_is_a_conflict_and_changes_nothing(survey, ward):
    receive()
    receive(answers=household(people="6"), base_revision=1)

    receipt = receive(answers=household(people="7"), base_revision=1)
    receive(answers=household(people="7"), base_revision=1)  # the phone resends it

    record = FieldRecord.objects.get()
    conflict = FieldConflict.objects.get()
    assert receipt.status == "conflict"
    assert receipt.receipt == f"F{record.pk}-C{conflict.pk}"
    assert record.revision == 2 and record.answers["people"] == 6
    assert (conflict.base_revision, conflict.current_revision) == (1, 2)
    assert conflict.answers["people"] == 7 and conflict.resolved_at is None


def test_a_split_submission_joins_its_files_and_becomes_complete(survey, ward, media):
    answers = household(photo="photo-1.png")

    first = receive(answers=answers, expected_attachments=["photo-1.png", "photo-2.png"])
    second = receive(answers=answers, attachments=[photo("photo-1.png"), photo("photo-2.png", (0, 0, 200))])
    third = receive(answers=answers, attachments=[photo("photo-1.png")])

    record = FieldRecord.objects.get()
    assert first.status == "created" and not first.complete
    assert first.missing_attachments == ("photo-1.png", "photo-2.png")
    assert second.status == "attached" and second.complete
    assert third.status == "repeat"
    assert record.complete
    assert sorted(record.attachments.values_list("name", flat=True)) == ["photo-1.png", "photo-2.png"]
    stored = record.attachments.get(name="photo-1.png")
    assert stored.content_type == "image/png" and len(stored.sha256) == 64
    assert (media / stored.file.name).exists()


def test_a_photo_retried_alone_joins_once(survey, ward, media):
    receive(answers=household(photo="p.png"))

    first = attachment_receive(instance_id="uuid:aaaa-1", file=photo("p.png"))
    again = attachment_receive(instance_id="uuid:aaaa-1", file=photo("p.png"))

    assert (first.status, again.status) == ("attached", "repeat")
    assert FieldAttachment.objects.count() == 1
    assert FieldRecord.objects.get().complete


def test_a_photo_for_a_record_not_yet_received_is_refused(survey):
    with pytest.raises(UnknownRecord):
        attachment_receive(instance_id="uuid:nothing", file=photo("p.png"))


def test_a_point_outside_every_ward_is_stored_and_flagged(survey, ward):
    receipt = receive(answers=household(location="-33.9 18.4"))

    record = FieldRecord.objects.get()
    assert receipt.status == "created"
    assert record.outside_wards and record.ward is None
    assert (record.latitude, record.longitude) == (-33.9, 18.4)


def test_without_a_point_the_typed_ward_number_places_the_household(survey, ward):
    receive(answers=household(location=None, ward="W1"))

    record = FieldRecord.objects.get()
    assert record.ward == ward and not record.outside_wards


def test_an_unknown_form_or_version_is_refused(survey):
    with pytest.raises(UnknownForm):
        receive(form_version="99")
    with pytest.raises(UnknownForm):
        receive(form_code="no-such-form")
    assert not FieldRecord.objects.exists()


@pytest.mark.parametrize(("answers", "named"), [
    (household(people="many"), "people"),
    (household(needs="water gold"), "needs"),
    (household(urgency=None), "urgency"),
    (household(location="north of the river"), "location"),
    (household(colour="blue"), "colour"),
    (household(contact_phone="0821234567"), "consent"),
])
def test_answers_that_do_not_fit_the_form_are_refused_naming_the_question(survey, ward, answers,
                                                                          named):
    with pytest.raises(MalformedRecord) as refused:
        receive(answers=answers)

    assert any(problem.startswith(named) for problem in refused.value.problems)
    assert not FieldRecord.objects.exists()


def test_a_record_without_an_instance_id_is_refused(survey):
    with pytest.raises(MalformedRecord):
        receive(instance="")


def test_a_phone_number_is_kept_only_with_consent(survey, ward):
    receive("uuid:yes", household(contact_phone="0821234567", consent="yes"))
    receive("uuid:no", household(contact_phone="0821234567", consent="no"))

    assert FieldRecord.objects.get(instance_id="uuid:yes").answers["contact_phone"] == "+27821234567"
    assert "contact_phone" not in FieldRecord.objects.get(instance_id="uuid:no").answers


def test_an_attachment_over_the_limit_stores_nothing(survey, ward, media, settings):
    settings.FIELD_ATTACHMENT_MAX_BYTES = 10

    with pytest.raises(AttachmentRefused) as refused:
        receive(answers=household(photo="p.png"), attachments=[photo("p.png")])

    assert refused.value.too_large and refused.value.name == "p.png"
    assert not FieldRecord.objects.exists()
    assert not list(media.rglob("*.png"))


def test_a_file_that_is_not_an_image_is_refused(survey, ward):
    fake = photo("p.png").__class__(name="p.png", content_type="image/png", data=b"<html>x</html>")

    with pytest.raises(AttachmentRefused):
        receive(answers=household(photo="p.png"), attachments=[fake])
    assert not FieldRecord.objects.exists()


def test_a_file_the_record_does_not_refer_to_is_refused(survey, ward):
    with pytest.raises(AttachmentRefused):
        receive(attachments=[photo("other.png")])


def test_the_phone_clock_and_the_server_clock_are_both_kept(survey, ward):
    wrong = datetime.datetime(1980, 1, 1, tzinfo=UTC)
    with time_machine.travel(NOW, tick=False):
        receive(captured_at=wrong)

    record = FieldRecord.objects.get()
    assert record.captured_at == wrong and record.received_at == NOW
    assert record.visited_on == datetime.date(2026, 12, 7)  # the wrong clock is not believed


def test_two_wards_each_get_their_households(survey):
    west = ward_at("W1", 28.0)
    east = ward_at("W2", 28.01)

    receive("uuid:1", household(location="-26.195 28.005"))
    receive("uuid:2", household(location="-26.195 28.015"))

    assert FieldRecord.objects.get(instance_id="uuid:1").ward == west
    assert FieldRecord.objects.get(instance_id="uuid:2").ward == east
