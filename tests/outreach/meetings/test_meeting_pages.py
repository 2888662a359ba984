"""Meetings and commitments through the doors people use: the clerk's forms,
the officer's report-back, the public ward page, list and calendar feed."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.org.models import Role
from imbizo.outreach import meetings
from imbizo.outreach.meeting_models import Commitment, Meeting, MeetingIssue
from tests.factories import StaffFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _plan_post(world, **changes):
    starts = NOW + datetime.timedelta(days=5)
    data = {"title": "Ward 1 imbizo", "ward": world.ward.code, "region": "",
            "starts_at": starts.strftime("%Y-%m-%dT18:00"),
            "ends_at": starts.strftime("%Y-%m-%dT20:00"), "place": "Community hall",
            "leaders": "Executive Mayor\nWard councillor", "lat": "", "lon": ""}
    data.update(changes)
    return data


def _record_post(*, issues=(), commitments=(), total="85", extra_rows=0):
    data = {"attendance_total": total, "attendance_women": "40", "attendance_youth": "20",
            "summary": "Water and lights were raised.", "save": "1",
            "issues-TOTAL_FORMS": str(len(issues) + extra_rows), "issues-INITIAL_FORMS": "0",
            "commitments-TOTAL_FORMS": str(len(commitments) + extra_rows),
            "commitments-INITIAL_FORMS": "0"}
    for i, row in enumerate(issues):
        data.update({f"issues-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(commitments):
        data.update({f"commitments-{i}-{k}": v for k, v in row.items()})
    return data


def test_a_clerk_plans_a_meeting_and_the_public_sees_it_on_the_ward_page(client, world, clerk):
    client.force_login(clerk.user)
    response = client.post(reverse("backoffice:meeting_plan"), _plan_post(world))
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("backoffice:meeting", kwargs={"uid": meeting.uid})
    client.logout()
    page = client.get(reverse("insights:ward", kwargs={"code": world.ward.code})).content.decode()
    assert "Ward 1 imbizo" in page and "Community hall" in page


def test_a_meeting_in_the_past_is_refused_on_the_form(client, world, clerk):
    client.force_login(clerk.user)
    response = client.post(reverse("backoffice:meeting_plan"), _plan_post(
        world, starts_at="2026-03-01T18:00", ends_at="2026-03-01T20:00"))
    assert response.status_code == 200
    assert "A planned meeting must start in the future." in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_officer_may_not_plan_meetings(client, world):
    client.force_login(StaffFactory(office=world.office, role=Role.OFFICER).user)
    assert client.get(reverse("backoffice:meeting_plan")).status_code == 403


def test_the_clerk_records_issues_as_cases_and_commitments_on_one_screen(
        client, plan, clerk, roads, world):
    meeting = plan(days=1)
    client.force_login(clerk.user)
    url = reverse("backoffice:meeting", kwargs={"uid": meeting.uid})
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=2), tick=False):
        response = client.post(url, _record_post(issues=[
            {"service": "water-leak", "description": "Leak by the school", "address": "1 School St"},
            {"service": "water-leak", "description": "Leak by the clinic", "address": ""},
        ], commitments=[{"text": "Fix both leaks", "made_by": "Executive Mayor",
                         "owner_department": roads.code, "due_on": "2026-04-30"}],
            extra_rows=2))
    assert response.status_code == 302
    cases = Case.objects.filter(channel="outreach")
    assert cases.count() == 2
    assert MeetingIssue.objects.filter(meeting=meeting).count() == 2
    commitment = Commitment.objects.get()
    assert (commitment.owner_department, commitment.due_on.isoformat()) == (roads, "2026-04-30")


def test_a_commitment_without_an_owner_is_named_on_its_row_and_nothing_is_saved(
        client, plan, clerk, world):
    meeting = plan(days=1)
    client.force_login(clerk.user)
    url = reverse("backoffice:meeting", kwargs={"uid": meeting.uid})
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=2), tick=False):
        response = client.post(url, _record_post(
            issues=[{"service": "water-leak", "description": "Leak", "address": ""}],
            commitments=[{"text": "Fix it", "due_on": "2026-04-30"}]))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Say who owns this promise" in page
    assert 'id="id_commitments-0-owner_department_error"' in page
    assert not Case.objects.exists() and not Commitment.objects.exists()


def test_more_rows_without_javascript_keeps_what_was_typed(client, plan, clerk):
    meeting = plan(days=1)
    client.force_login(clerk.user)
    url = reverse("backoffice:meeting", kwargs={"uid": meeting.uid})
    data = _record_post(issues=[{"service": "water-leak", "description": "Typed already",
                                 "address": ""}])
    data.pop("save")
    data["more_issues"] = "1"
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=2), tick=False):
        response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="issues-TOTAL_FORMS" value="6"' in page
    assert "Typed already" in page
    assert not Case.objects.exists()


def test_the_owner_reports_back_and_the_public_list_shows_it(client, held, clerk, roads):
    meeting = held()
    commitment = meetings.commitment_make(meeting=meeting, actor=clerk, entry=meetings.CommitmentEntry(
        text="Grade the gravel road", due_on=NOW.date() + datetime.timedelta(days=20),
        owner_department=roads))
    officer = StaffFactory(role=Role.OFFICER, office__department=roads)
    client.force_login(officer.user)
    response = client.post(reverse("backoffice:commitment_update", kwargs={"pk": commitment.pk}),
                           {"status": "done", "note": "Graded on Monday."})
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("insights:commitments")).content.decode()
    assert "Grade the gravel road" in page and "Graded on Monday." in page
    assert 'data-shown="done"' in page


def test_an_officer_of_another_department_is_refused(client, held, clerk, roads):
    commitment = meetings.commitment_make(meeting=held(), actor=clerk, entry=meetings.CommitmentEntry(
        text="Grade the road", due_on=NOW.date() + datetime.timedelta(days=20),
        owner_department=roads))
    client.force_login(StaffFactory(role=Role.OFFICER).user)
    response = client.post(reverse("backoffice:commitment_update", kwargs={"pk": commitment.pk}),
                           {"note": "Done"})
    assert response.status_code == 403


def test_a_late_commitment_shows_plainly_on_the_ward_page(client, held, clerk, roads, world):
    meetings.commitment_make(meeting=held(), actor=clerk, entry=meetings.CommitmentEntry(
        text="Replace the burst main", due_on=NOW.date() + datetime.timedelta(days=3),
        owner_department=roads))
    ward_url = reverse("insights:ward", kwargs={"code": world.ward.code})
    with time_machine.travel(NOW + datetime.timedelta(days=5), tick=False):
        page = client.get(ward_url).content.decode()
        listing = client.get(reverse("insights:ward_commitments",
                                     kwargs={"code": world.ward.code})).content.decode()
    assert '<dd data-figure="late" class="text-danger fw-bold">1</dd>' in page
    assert 'data-shown="late"' in listing and "overdue by 2 days" in listing


def test_the_public_never_reads_a_staff_owners_name(client, held, clerk, world):
    owner = StaffFactory(role=Role.OFFICER, office=world.office, job_title="Roads foreman",
                         user__first_name="Sipho", user__last_name="Mokoena")
    meetings.commitment_make(meeting=held(), actor=clerk, entry=meetings.CommitmentEntry(
        text="Fill the potholes", due_on=NOW.date() + datetime.timedelta(days=3),
        owner_staff=owner))
    page = client.get(reverse("insights:commitments")).content.decode()
    assert "Roads foreman" in page and "Mokoena" not in page


def test_the_calendar_feed_is_rfc_5545(client, plan, world):
    meeting = plan(days=4, title="Imbizo on water, lights, roads, housing and everything else "
                                  "that matters to residents of the ward")
    response = client.get(reverse("insights:ward_meetings_ics", kwargs={"code": world.ward.code}))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    lines = body.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and body.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in lines)
    unfolded = body.replace(b"\r\n ", b"").decode()
    assert f"UID:{meeting.uid}@meetings.imbizo" in unfolded
    assert "DTSTAMP:20260303T070000Z" in unfolded
    assert "water\\, lights\\, roads" in unfolded
    assert "SEQUENCE:0" in unfolded


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(client, plan, clerk):
    meeting = plan(days=4)
    meetings.meeting_cancel(meeting=meeting, actor=clerk, reason="Hall flooded")
    unfolded = client.get(reverse("insights:meetings_ics")).content.replace(b"\r\n ", b"").decode()
    assert "STATUS:CANCELLED" in unfolded and "SEQUENCE:1" in unfolded


def test_the_public_commitment_list_costs_the_same_for_many_rows(
        client, held, clerk, roads, django_assert_max_num_queries):
    meeting = held()
    for n in range(30):
        meetings.commitment_make(meeting=meeting, actor=clerk, entry=meetings.CommitmentEntry(
            text=f"Promise {n}", due_on=NOW.date() + datetime.timedelta(days=n + 1),
            owner_department=roads))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("insights:commitments"))
    assert response.content.decode().count('py-2" data-shown="open"') == 30


def test_the_ward_page_adds_a_fixed_number_of_queries(client, held, clerk, roads, world,
                                                       django_assert_max_num_queries):
    meeting = held()
    for n in range(10):
        meetings.commitment_make(meeting=meeting, actor=clerk, entry=meetings.CommitmentEntry(
            text=f"Promise {n}", due_on=NOW.date() + datetime.timedelta(days=n + 1),
            owner_department=roads))
    with django_assert_max_num_queries(20):
        client.get(reverse("insights:ward", kwargs={"code": world.ward.code}))


def test_the_warroom_lists_promises_falling_due_and_late(client, held, clerk, roads):
    meeting = held()
    for text, days in (("Soon", 5), ("Later", 40), ("Overdue", 2)):
        meetings.commitment_make(meeting=meeting, actor=clerk, entry=meetings.CommitmentEntry(
            text=f"{text} promise", due_on=NOW.date() + datetime.timedelta(days=days),
            owner_department=roads))
    client.force_login(StaffFactory(role=Role.SUPERVISOR).user)
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        page = client.get(reverse("insights:warroom")).content.decode()
    due = page.split('id="promises-due"')[1].split("</table>")[0]
    late = page.split('id="promises-late"')[1].split("</table>")[0]
    assert "Soon promise" in due and "Later promise" not in due
    assert "Overdue promise" in late and "Soon promise" not in late


def test_the_public_list_pages_by_a_hundred_and_the_download_has_all(client, held, clerk, roads):
    meeting = held()
    for n in range(105):
        meetings.commitment_make(meeting=meeting, actor=clerk, entry=meetings.CommitmentEntry(
            text=f"Promise {n}", due_on=NOW.date() + datetime.timedelta(days=30),
            owner_department=roads))
    first = client.get(reverse("insights:commitments")).content.decode()
    second = client.get(reverse("insights:commitments") + "?page=2").content.decode()
    assert first.count('py-2" data-shown="open"') == 100
    assert second.count('py-2" data-shown="open"') == 5 and "Page 2 of 2" in second
    download = client.get(reverse("insights:commitments") + "?export=commitments&format=csv")
    assert download.content.decode().count("Roads and Stormwater") == 105


def test_the_ward_open_data_has_its_promise_counts(client, held, clerk, roads, world):
    meetings.commitment_make(meeting=held(), actor=clerk, entry=meetings.CommitmentEntry(
        text="Fix it", due_on=NOW.date() + datetime.timedelta(days=3), owner_department=roads))
    url = reverse("insights:ward", kwargs={"code": world.ward.code}) + "?format=json"
    with time_machine.travel(NOW + datetime.timedelta(days=5), tick=False):
        data = client.get(url).json()
    assert data["promises"] == {"kept": 0, "late": 1, "open": 0, "dropped": 0}


def test_a_case_raised_at_a_meeting_says_so_on_the_staff_case_page(client, plan, clerk, world):
    meeting = plan(days=1)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=1), tick=False):
        meetings.meeting_record(meeting=meeting, actor=clerk, attendance_total=30, issues=[
            meetings.IssueEntry(service_code="water-leak", description="Leak at the hall")])
    case = Case.objects.get()
    client.force_login(StaffFactory(office=world.office, role=Role.OFFICER).user)
    page = client.get(reverse("backoffice:case_detail", kwargs={"reference": case.reference}))
    raised = page.content.decode().split('id="raised-at"')[1].split("</dd>")[0]
    assert "Ward imbizo" in raised
    assert reverse("insights:meeting", kwargs={"uid": meeting.uid}) in raised
