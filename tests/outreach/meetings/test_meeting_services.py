"""Meetings and commitments through their services (outreach.meetings)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.core.errors import DomainError
from imbizo.org.models import Role
from imbizo.outreach import meeting_selectors as selectors
from imbizo.outreach import meetings
from imbizo.outreach.meeting_models import (
    CommitmentStatus,
    CommitmentWard,
    Meeting,
    MeetingIssue,
    MeetingStatus,
)
from tests.factories import StaffFactory, WardFactory
from tests.support import PNG, inside

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _promise(department, *, due_in_days=30, text="Fix the streetlights on Main Road", **changes):
    entry = {"text": text, "due_on": NOW.date() + datetime.timedelta(days=due_in_days),
             "owner_department": department, "made_by": "Executive Mayor"}
    entry.update(changes)
    return meetings.CommitmentEntry(**entry)


# --- planning ---------------------------------------------------------------------------


def test_a_meeting_planned_ahead_is_stored_for_its_ward(plan, world):
    meeting = plan(days=7)
    assert (meeting.status, meeting.ward, meeting.leaders) == (
        MeetingStatus.PLANNED, world.ward, "Executive Mayor")
    assert selectors.meeting_list_upcoming(ward=world.ward, now=NOW) == [meeting]


def test_a_meeting_in_the_past_cannot_be_planned(plan):
    with pytest.raises(DomainError) as error:
        plan(days=-1)
    assert (error.value.code, error.value.field) == ("in_the_past", "starts_at")
    assert not Meeting.objects.exists()


def test_a_meeting_that_ends_before_it_starts_is_refused(plan):
    starts = NOW + datetime.timedelta(days=3)
    with pytest.raises(DomainError) as error:
        plan(starts_at=starts, ends_at=starts - datetime.timedelta(minutes=1))
    assert error.value.field == "ends_at"


def test_a_meeting_needs_a_ward_or_a_region_but_not_both(plan, world):
    with pytest.raises(DomainError) as error:
        plan(ward=None)
    assert error.value.code == "no_place"
    with pytest.raises(DomainError):
        plan(region=world.ward.region)


def test_a_regions_meeting_is_shown_to_each_of_its_wards(plan, world):
    neighbour = WardFactory(region=world.ward.region)
    meeting = plan(ward=None, region=world.ward.region)
    assert selectors.meeting_list_upcoming(ward=neighbour, now=NOW) == [meeting]
    assert selectors.meeting_list_upcoming(ward=WardFactory(), now=NOW) == []


# --- the record -----------------------------------------------------------------------


def test_a_meeting_cannot_be_recorded_before_it_starts(plan, clerk):
    meeting = plan(days=2)
    with pytest.raises(DomainError) as error:
        meetings.meeting_record(meeting=meeting, actor=clerk, attendance_total=10)
    assert error.value.code == "not_held_yet"


def test_issues_become_outreach_cases_linked_to_the_meeting(plan, clerk, world):
    meeting = plan(days=1)
    earlier = case_open(draft=CaseDraft(service_code="water-leak", description="Old leak",
                                        channel="web", **inside(world.ward)))
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=1), tick=False):
        meetings.meeting_record(
            meeting=meeting, actor=clerk, attendance_total=120, attendance_women=70,
            attendance_youth=30, issues=[
                meetings.IssueEntry(service_code="water-leak", description="Leak at the school",
                                    address="School Street"),
                meetings.IssueEntry(service_code="water-leak", description="Leak at the clinic"),
                meetings.IssueEntry(reference=earlier.reference)])
    issues = list(MeetingIssue.objects.filter(meeting=meeting).select_related("case")
                  .order_by("position"))
    assert [i.opened_here for i in issues] == [True, True, False]
    new = [i.case for i in issues[:2]]
    assert {c.channel for c in new} == {"outreach"}
    assert {c.ward_id for c in new} == {world.ward.pk}
    assert all(c.reference and c.standard_id for c in new)  # through the intake, not a raw insert
    # Staff typed what was said: nothing of it is published (ADR 0017).
    assert {c.public_description for c in new} == {""}
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance_total, meeting.attendance_women) == (
        MeetingStatus.HELD, 120, 70)


def test_a_bad_issue_row_stores_nothing_of_the_record(plan, clerk):
    meeting = plan(days=1)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=1), tick=False), \
            pytest.raises(meetings.RowError) as error:
            meetings.meeting_record(meeting=meeting, actor=clerk, attendance_total=50, issues=[
                meetings.IssueEntry(service_code="water-leak", description="A good row"),
                meetings.IssueEntry(service_code="no-such-service", description="A bad row")])
    assert (error.value.section, error.value.row, error.value.field) == (
        "issues", 1, "service_code")
    assert not Case.objects.exists()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance_total) == (MeetingStatus.PLANNED, None)


def test_an_unknown_reference_is_named_on_its_row(plan, clerk):
    meeting = plan(days=1)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=1), tick=False), \
            pytest.raises(meetings.RowError) as error:
            meetings.meeting_record(meeting=meeting, actor=clerk, attendance_total=5,
                                    issues=[meetings.IssueEntry(reference="ZZZZ-9999")])
    assert (error.value.row, error.value.field) == (0, "reference")


def test_women_cannot_outnumber_everyone_attending(plan, clerk):
    meeting = plan(days=1)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=1), tick=False), \
            pytest.raises(DomainError) as error:
            meetings.meeting_record(meeting=meeting, actor=clerk, attendance_total=10,
                                    attendance_women=11)
    assert error.value.field == "attendance_women"


# --- commitments ----------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"owner_department": None}, "no_owner", "owner"),
    ({"due_on": None}, "no_due_date", "due_on"),
    ({"text": "  "}, "invalid_text", "text"),
])
def test_a_commitment_needs_an_owner_a_due_date_and_words(held, clerk, roads, changes, code,
                                                          field):
    meeting = held()
    with pytest.raises(DomainError) as error:
        meetings.commitment_make(meeting=meeting, actor=clerk, entry=_promise(roads, **changes))
    assert (error.value.code, error.value.field) == (code, field)


def test_a_commitment_serves_the_meetings_ward_by_default(held, clerk, roads, world):
    commitment = meetings.commitment_make(meeting=held(), actor=clerk, entry=_promise(roads))
    assert list(CommitmentWard.objects.filter(commitment=commitment)
                .values_list("ward_id", "status")) == [(world.ward.pk, "open")]


def test_a_commitment_past_its_due_date_and_not_done_is_late(held, clerk, roads, world):
    commitment = meetings.commitment_make(meeting=held(), actor=clerk,
                                          entry=_promise(roads, due_in_days=10))
    due = commitment.due_on
    assert selectors.commitment_get(pk=commitment.pk, on=due).shown == "open"
    after = due + datetime.timedelta(days=1)
    assert selectors.commitment_get(pk=commitment.pk, on=after).shown == "late"
    assert list(selectors.commitment_list(filters=selectors.CommitmentFilter(status="late"),
                                          on=after)) == [commitment]
    counts = selectors.commitment_counts_by_ward(on=after)[world.ward.pk]
    assert (counts.late, counts.open, counts.kept) == (1, 0, 0)


def test_the_owner_department_reports_it_done_with_a_resolved_case_and_a_photo(
        held, clerk, roads, world):
    officer = StaffFactory(role=Role.OFFICER, office__department=roads)
    commitment = meetings.commitment_make(meeting=held(), actor=clerk, entry=_promise(roads))
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Lights",
                                     channel="web", **inside(world.ward)))
    Case.objects.filter(pk=case.pk).update(status="resolved")
    photo = SimpleUploadedFile("lights.png", PNG, content_type="image/png")
    update = meetings.commitment_update(commitment=commitment, actor=officer, status="done",
                                        note="All twelve lights work.",
                                        case_reference=case.reference, photo=photo)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.done_on) == ("done", NOW.date())
    assert (update.case, update.photo_content_type, update.status_from) == (
        case, "image/png", "open")
    assert "lights.png" not in update.photo.name  # our own name, not the uploader's
    assert set(CommitmentWard.objects.values_list("status", flat=True)) == {"done"}


def test_a_case_not_yet_resolved_is_no_evidence(held, clerk, roads, world):
    officer = StaffFactory(role=Role.OFFICER, office__department=roads)
    commitment = meetings.commitment_make(meeting=held(), actor=clerk, entry=_promise(roads))
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Lights",
                                     channel="web", **inside(world.ward)))
    with pytest.raises(DomainError) as error:
        meetings.commitment_update(commitment=commitment, actor=officer,
                                   case_reference=case.reference)
    assert error.value.code == "case_not_resolved"


def test_a_file_that_is_not_a_photo_is_refused(held, clerk, roads):
    officer = StaffFactory(role=Role.OFFICER, office__department=roads)
    commitment = meetings.commitment_make(meeting=held(), actor=clerk, entry=_promise(roads))
    fake = SimpleUploadedFile("x.png", b"<html>not a photo</html>", content_type="image/png")
    with pytest.raises(DomainError) as error:
        meetings.commitment_update(commitment=commitment, actor=officer, photo=fake)
    assert error.value.field == "photo"


def test_dropping_a_commitment_needs_a_reason(held, clerk, roads):
    officer = StaffFactory(role=Role.OFFICER, office__department=roads)
    commitment = meetings.commitment_make(meeting=held(), actor=clerk, entry=_promise(roads))
    with pytest.raises(DomainError) as error:
        meetings.commitment_update(commitment=commitment, actor=officer, status="dropped")
    assert error.value.field == "dropped_reason"
    meetings.commitment_update(commitment=commitment, actor=officer, status="dropped",
                               dropped_reason="The province took the road over.")
    commitment.refresh_from_db()
    assert (commitment.status, commitment.dropped_reason) == (
        "dropped", "The province took the road over.")


def test_another_departments_officer_may_not_report_on_it(held, clerk, roads):
    commitment = meetings.commitment_make(meeting=held(), actor=clerk, entry=_promise(roads))
    stranger = StaffFactory(role=Role.MANAGER)
    with pytest.raises(DomainError) as error:
        meetings.commitment_update(commitment=commitment, actor=stranger, note="Done!")
    assert error.value.code == "forbidden"


def test_a_done_commitment_cannot_be_dropped(held, clerk, roads):
    officer = StaffFactory(role=Role.OFFICER, office__department=roads)
    commitment = meetings.commitment_make(meeting=held(), actor=clerk, entry=_promise(roads))
    meetings.commitment_update(commitment=commitment, actor=officer, status="done")
    with pytest.raises(DomainError) as error:
        meetings.commitment_update(commitment=commitment, actor=officer, status="dropped",
                                   dropped_reason="Changed our mind")
    assert error.value.code == "transition_not_allowed"


# --- the agenda -----------------------------------------------------------------------


def test_the_next_meeting_in_the_ward_opens_with_the_report_back(held, plan, clerk, roads):
    first = held(days=1)
    late = meetings.commitment_make(meeting=first, actor=clerk,
                                    entry=_promise(roads, due_in_days=5, text="Late one"))
    open_ = meetings.commitment_make(meeting=first, actor=clerk,
                                     entry=_promise(roads, due_in_days=90, text="Open one"))
    kept = meetings.commitment_make(meeting=first, actor=clerk,
                                    entry=_promise(roads, due_in_days=20, text="Kept one"))
    officer = StaffFactory(role=Role.OFFICER, office__department=roads)
    with time_machine.travel(NOW + datetime.timedelta(days=10), tick=False):
        meetings.commitment_update(commitment=kept, actor=officer, status="done")
        second = plan(days=20)
    agenda = selectors.meeting_agenda(meeting=second, on=NOW.date() + datetime.timedelta(days=30))
    assert ([c.pk for c in agenda.late], [c.pk for c in agenda.active],
            [c.pk for c in agenda.done]) == ([late.pk], [open_.pk], [kept.pk])
    assert agenda.since == first.starts_at


def test_counts_by_ward_are_one_query(held, clerk, roads, django_assert_num_queries):
    meeting = held()
    for n in range(5):
        meetings.commitment_make(meeting=meeting, actor=clerk,
                                 entry=_promise(roads, due_in_days=n + 1, text=f"Promise {n}"))
    with django_assert_num_queries(1):
        selectors.commitment_counts_by_ward(on=NOW.date() + datetime.timedelta(days=3))


def test_cancelling_a_meeting_raises_its_calendar_sequence(plan, clerk):
    meeting = plan(days=3)
    meetings.meeting_cancel(meeting=meeting, actor=clerk, reason="Hall flooded")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)


def test_status_values_stored_never_include_late():
    assert "late" not in CommitmentStatus.values
