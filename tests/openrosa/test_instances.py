"""Reading submitted instances as different clients write them."""

import datetime

import pytest

from imbizo.field.definitions import household_needs_v1
from imbizo.openrosa.instances import InstanceProblem, instance_read


def test_an_instance_in_the_xforms_namespace_is_read_like_one_without():
    """Enketo and older clients put the instance in the form's default namespace."""
    xml = (b'<?xml version="1.0"?><household-needs xmlns="http://www.w3.org/2002/xforms" '
           b'xmlns:orx="http://openrosa.org/xforms" id="household-needs" version="1">'
           b"<end>2026-12-07T10:15:00.000+02:00</end><people>4</people><needs>water</needs>"
           b"<notes/><orx:meta><orx:instanceID>uuid:abc</orx:instanceID></orx:meta>"
           b"</household-needs>")

    instance = instance_read(xml)

    assert (instance.form_code, instance.form_version, instance.instance_id) == (
        "household-needs", "1", "uuid:abc")
    assert instance.captured_at == datetime.datetime(2026, 12, 7, 8, 15, tzinfo=datetime.UTC)
    assert instance.answers(household_needs_v1()) == {"people": "4", "needs": "water"}


def test_a_question_named_like_a_meta_field_cannot_replace_the_instance_id():
    xml = (b'<f id="f" version="1"><instanceID>uuid:forged</instanceID>'
           b"<meta><instanceID>uuid:real</instanceID></meta></f>")

    assert instance_read(xml).instance_id == "uuid:real"


def test_a_phone_clock_without_an_offset_is_not_believed():
    xml = (b'<f id="f" version="1"><end>2026-12-07T10:15:00</end>'
           b"<meta><instanceID>uuid:1</instanceID></meta></f>")

    assert instance_read(xml).captured_at is None


@pytest.mark.parametrize(("xml", "problem"), [
    (b'<f version="1"><meta><instanceID>uuid:1</instanceID></meta></f>', "no id attribute"),
    (b'<f id="f"><meta><instanceID>uuid:1 2</instanceID></meta></f>', "not a usable"),
    (b'<f id="f"><meta/></f>', "no meta/instanceID"),
    (b"\xff\xfe<f/>", "not well-formed"),
])
def test_unusable_instances_are_refused_naming_the_problem(xml, problem):
    with pytest.raises(InstanceProblem, match=problem):
        instance_read(xml)
