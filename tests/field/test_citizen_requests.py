"""A household's phone number is found, exported and erased with the
citizen's other data (privacy's data requests reach the field visits)."""

import datetime

import pytest
import time_machine

from imbizo.field.errors import MalformedRecord
from imbizo.field.models import FieldRecord
from imbizo.field.services import record_receive
from imbizo.privacy.selectors import citizen_find
from imbizo.privacy.services import citizen_erase, citizen_export, retention_sweep
from tests.factories import StaffFactory
from tests.field.factories import household

pytestmark = pytest.mark.django_db


def visit(instance, **answers):
    return record_receive(form_code="household-needs", form_version="1", instance_id=instance,
                          answers=household(**answers))


@pytest.fixture
def contacted(survey, ward, institution):
    visit("uuid:dlamini", contact_phone="082 123 4567", consent="yes",
          notes="Ask for Mrs Dlamini at the back room")
    record_receive(form_code="household-needs", form_version="1", instance_id="uuid:dlamini",
                   base_revision=1, answers=household(contact_phone="0821234567", consent="yes",
                                                      notes="Mrs Dlamini, back room", people="6"))
    visit("uuid:other", contact_phone="0831112222", consent="yes", notes="Mr Other")


def test_the_number_is_kept_as_cases_keep_it(contacted):
    record = FieldRecord.objects.get(instance_id="uuid:dlamini")

    assert record.answers["contact_phone"] == "+27821234567"


def test_a_number_that_is_not_one_is_refused(survey, ward, institution):
    with pytest.raises(MalformedRecord) as refused:
        visit("uuid:x", contact_phone="call me", consent="yes")

    assert refused.value.problems[0].startswith("contact_phone:")


def test_the_citizens_export_holds_the_visits_that_gave_their_number(contacted):
    document = citizen_export(staff=StaffFactory(), match=citizen_find(phone="082 123 4567"))

    visits = document["household_visits"]
    assert len(visits) == 1
    assert visits[0]["answers"]["notes"] == "Mrs Dlamini, back room"


def test_erasure_removes_the_number_and_notes_from_the_visit_and_its_history(contacted):
    citizen_erase(staff=StaffFactory(), match=citizen_find(phone="0821234567"), note="letter 7")

    record = FieldRecord.objects.get(instance_id="uuid:dlamini")
    texts = [record.answers, *record.revisions.values_list("answers", flat=True)]
    assert all("contact_phone" not in a and "notes" not in a for a in texts)
    assert record.needs == ["sanitation", "water"]  # the figures stay
    assert round(record.latitude, 2) == record.latitude
    other = FieldRecord.objects.get(instance_id="uuid:other")
    assert other.answers["notes"] == "Mr Other"


def test_past_the_retention_period_a_visit_loses_its_number_and_notes(survey, ward, institution,
                                                                     settings):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    with time_machine.travel(datetime.datetime(2025, 1, 10, 9, 0, tzinfo=datetime.UTC),
                             tick=False):
        visit("uuid:old", contact_phone="0821234567", consent="yes", notes="Mr Old")
    with time_machine.travel(datetime.datetime(2025, 12, 1, 9, 0, tzinfo=datetime.UTC),
                             tick=False):
        visit("uuid:new", contact_phone="0821234568", consent="yes", notes="Mr New")
    with time_machine.travel(datetime.datetime(2026, 1, 20, 9, 0, tzinfo=datetime.UTC),
                             tick=False):
        retention_sweep()

    old = FieldRecord.objects.get(instance_id="uuid:old")
    new = FieldRecord.objects.get(instance_id="uuid:new")
    assert "contact_phone" not in old.answers and "notes" not in old.answers
    assert old.revisions.get().answers.get("notes") is None
    assert new.answers["notes"] == "Mr New"
