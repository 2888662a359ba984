"""Reading what a phone sends (pure: no database)."""

import datetime

import pytest

from imbizo.fieldapp.payloads import (
    PayloadFault,
    device_label,
    json_object,
    record_post,
    unsynced_count,
)

RECORD = {"instance_id": "uuid:1", "form": "household-needs", "version": "1", "answers": {}}


def fault_field(call, *args) -> str:
    with pytest.raises(PayloadFault) as caught:
        call(*args)
    assert caught.value.message
    return caught.value.field


def test_a_full_record_is_read_with_its_phone_time_and_problem():
    post = record_post({**RECORD, "captured_at": "2026-12-07T06:15:00Z", "base_revision": 2,
                        "attachments": ["photo-1.jpg"],
                        "problem": {"service": " water-leak ", "description": "Leak."}})

    assert post.captured_at == datetime.datetime(2026, 12, 7, 6, 15, tzinfo=datetime.UTC)
    assert post.base_revision == 2
    assert post.attachments == ("photo-1.jpg",)
    assert (post.problem.service, post.problem.description) == ("water-leak", "Leak.")


def test_what_a_record_may_leave_out_is_read_as_absent():
    post = record_post(RECORD)

    assert (post.captured_at, post.base_revision, post.attachments, post.problem) == (
        None, None, (), None)


@pytest.mark.parametrize(("document", "field"), [
    ({**RECORD, "form": None}, "form"),
    ({**RECORD, "version": 1}, "version"),
    ({**RECORD, "instance_id": "u" * 81}, "instance_id"),
    ({**RECORD, "base_revision": True}, "base_revision"),
    ({**RECORD, "attachments": [""]}, "attachments"),
    ({**RECORD, "attachments": [f"p{i}.jpg" for i in range(11)]}, "attachments"),
    ({**RECORD, "problem": "leak"}, "problem"),
    ({**RECORD, "problem": {"description": "Leak."}}, "problem.service"),
])
def test_each_fault_names_its_field(document, field):
    assert fault_field(record_post, document) == field


@pytest.mark.parametrize("body", [b"[1, 2]", b"\xff\xfe", b"", b"null"])
def test_a_body_that_is_not_a_json_object_is_a_fault_of_the_body(body):
    assert fault_field(json_object, body) == "body"


def test_a_phone_name_and_a_waiting_count_are_checked():
    assert device_label({"label": "  Blue Nokia "}) == "Blue Nokia"
    assert fault_field(device_label, {"label": "x" * 81}) == "label"
    assert unsynced_count({"unsynced": 0}) == 0
    assert fault_field(unsynced_count, {"unsynced": 1_000_001}) == "unsynced"
