"""The staff workspace: the menu each role sees, the home page's counts, the
queues' filters, search, order and pages, and bulk assignment."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.selectors import Due, due_filter
from imbizo.cases.services import case_open
from imbizo.org.models import Role
from imbizo.web.staff_nav import MENU
from tests.factories import OfficeFactory, StaffFactory, UserFactory
from tests.support import inside, sast

MONDAY_10 = sast(2026, 3, 2, 10, 0)
LINK = re.compile(rb'data-staff-link="([a-z_]+)"')
HREF = re.compile(rb'<a href="([^"]+)" data-staff-link="([a-z_]+)"')


def signed_in(client, staff):
    client.force_login(staff.user)
    return client


def staff_of_role(world, role: str):
    office = world.office if role in (Role.OFFICER, Role.SUPERVISOR, Role.AGENT) else None
    user = UserFactory(username=f"the-{role}", is_staff=role == Role.ADMINISTRATOR)
    return StaffFactory(role=role, office=office, department=world.office.department, user=user)


def opened(world, description="Pipe burst", **fields) -> Case:
    draft = {k: v for k, v in fields.items() if k in ("priority", "address")}
    with time_machine.travel(MONDAY_10, tick=False):
        case = case_open(draft=CaseDraft(service_code="water-leak", description=description,
                                         channel="web", **draft, **inside(world.ward)))
    rest = {k: v for k, v in fields.items() if k not in draft}
    if rest:  # a state reached over weeks of work, set directly
        Case.objects.filter(pk=case.pk).update(**rest)
    return case


def rows(response) -> list[str]:
    return re.findall(r'<tr data-reference="([^"]+)"', response.content.decode())


# --- the menu ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_link_a_role_sees_opens_and_every_other_is_refused(client, world, role):
    staff = staff_of_role(world, role)
    signed_in(client, staff)

    home = client.get(reverse("backoffice:home"))
    shown = {key.decode(): href.decode() for href, key in HREF.findall(home.content)}

    assert home.status_code == 200
    assert "home" in shown
    for key, href in shown.items():
        assert client.get(href).status_code == 200, f"{role} sees {key} but cannot open {href}"
    for link in MENU:
        if link.key in shown:
            continue
        name, kwargs = link.targets[0]
        refused = client.get(reverse(name, kwargs=dict(kwargs)))
        assert refused.status_code in (302, 403), f"{role} is not shown {link.key} but opens it"
        if refused.status_code == 302:
            assert "login" in refused["Location"]


def test_the_menu_follows_the_roles(client, world):
    analyst = staff_of_role(world, Role.ANALYST)
    officer = staff_of_role(world, Role.OFFICER)

    seen_by_analyst = set(LINK.findall(signed_in(client, analyst).get("/staff/").content))
    seen_by_officer = set(LINK.findall(signed_in(client, officer).get("/staff/").content))

    assert {b"warroom", b"scorecards", b"drivers", b"needs"} <= seen_by_analyst
    assert not {b"queues", b"intake", b"admin", b"privacy"} & seen_by_analyst
    assert {b"queues", b"intake", b"ratings", b"quality"} <= seen_by_officer
    assert not {b"warroom", b"drivers", b"admin", b"access_log"} & seen_by_officer


def test_the_menu_is_shown_on_the_war_room_and_marks_where_you_are(client, world):
    signed_in(client, staff_of_role(world, Role.ANALYST))

    page = client.get(reverse("insights:warroom")).content.decode()

    assert 'data-staff-link="warroom" aria-current="page"' in page


def test_visitors_and_citizens_see_no_staff_menu(client, world):
    page = client.get(reverse("portal:home"))

    assert b"data-staff-nav" not in page.content


def test_the_menu_waits_for_the_second_factor(client, world, settings):
    settings.OTP_REQUIRED_ROLES = ["administrator"]
    signed_in(client, staff_of_role(world, Role.ADMINISTRATOR))

    page = client.get(reverse("portal:home"))

    assert b"data-staff-nav" not in page.content


# --- the home page -------------------------------------------------------------------------


def test_every_count_on_the_home_page_links_to_a_queue_of_that_many_cases(client, world):
    supervisor = staff_of_role(world, Role.SUPERVISOR)
    opened(world, priority="urgent")
    opened(world, priority="high", resolve_breached_at=MONDAY_10, escalation_level=1)
    opened(world, assignee=supervisor)
    signed_in(client, supervisor)

    with time_machine.travel(MONDAY_10 + timedelta(hours=1), tick=False):
        home = client.get(reverse("backoffice:home")).content.decode()
        counts = re.findall(r'<a [^>]*href="([^"]+)" data-count-link="([^"]+)">\s*<div[^>]*>'
                            r'<h3[^>]*>[^<]*</h3>\s*<p[^>]*>(\d+)</p>', home)
        assert len(counts) == 8  # six queues, urgent and high
        for href, key, count in counts:
            listed = client.get(href.replace("&amp;", "&"))
            assert listed.status_code == 200
            assert len(rows(listed)) == int(count), key
    assert {key: int(n) for _h, key, n in counts} == {
        "mine": 1, "office": 3, "unacknowledged": 3, "due_soon": 0, "overdue": 1,
        "escalated": 1, "priority-urgent": 1, "priority-high": 1}


def test_the_analysts_home_leads_to_the_war_room_scorecards_and_drivers(client, world):
    signed_in(client, staff_of_role(world, Role.ANALYST))

    home = client.get(reverse("backoffice:home")).content.decode()

    for key, name in (("warroom", "insights:warroom"), ("scorecards", "insights:scorecard_offices"),
                      ("drivers", "insights:drivers")):
        assert f'href="{reverse(name)}" data-home-link="{key}"' in home
    assert "data-count-link" not in home  # no case counts: the analyst reads no cases


# --- filters, search, order, pages ---------------------------------------------------------


@pytest.fixture
def officer(world):
    return staff_of_role(world, Role.OFFICER)


def queue(client, query: str = "", view: str = "office"):
    with time_machine.travel(MONDAY_10 + timedelta(hours=1), tick=False):
        return client.get(reverse("backoffice:queue", args=[view]) + query)


def test_the_queue_filters_by_priority_escalation_and_status(client, world, officer):
    urgent = opened(world, priority="urgent")
    escalated = opened(world, escalation_level=2)
    waiting = opened(world, status="waiting_citizen")
    signed_in(client, officer)

    assert rows(queue(client, "?priority=urgent")) == [urgent.reference]
    assert rows(queue(client, "?escalation=2")) == [escalated.reference]
    assert rows(queue(client, "?escalation=3")) == []
    assert rows(queue(client, "?status=waiting_citizen")) == [waiting.reference]


def test_the_queue_filters_by_service_ward_and_office(client, world, officer):
    case = opened(world)
    signed_in(client, officer)

    matching = f"?service=water-leak&ward={world.ward.code}&office={world.office.code}"
    assert rows(queue(client, matching)) == [case.reference]
    assert rows(queue(client, "?office=elsewhere")) == [case.reference]  # refused, not applied
    assert b"Select a valid choice" in queue(client, "?office=elsewhere").content


def test_the_queue_filters_by_due_date(client, world, officer):
    today = opened(world, resolve_due_at=sast(2026, 3, 2, 16, 0))
    this_week = opened(world, resolve_due_at=sast(2026, 3, 6, 12, 0))
    next_week = opened(world, resolve_due_at=sast(2026, 3, 10, 12, 0))
    late = opened(world, resolve_due_at=sast(2026, 3, 2, 9, 0), resolve_breached_at=MONDAY_10)
    signed_in(client, officer)

    assert rows(queue(client, "?due=today")) == [today.reference]
    assert rows(queue(client, "?due=week")) == [today.reference, this_week.reference]
    assert rows(queue(client, "?due=overdue")) == [late.reference]
    assert next_week.reference in rows(queue(client))


def test_a_week_ends_on_sunday_night_in_the_institutions_time():
    friday_evening = sast(2026, 3, 6, 20, 0)

    week = due_filter(Due.WEEK, now=friday_evening, time_zone="Africa/Johannesburg")

    assert week["resolve_due"].end == sast(2026, 3, 9, 0, 0)
    assert week["overdue"] is False


def test_the_queue_finds_a_case_by_reference_or_by_words(client, world, officer):
    pipe = opened(world, description="Water gushing from a pipe")
    meter = opened(world, description="Broken meter", address="12 Baobab Street")
    signed_in(client, officer)

    assert rows(queue(client, f"?q={pipe.reference.lower()}")) == [pipe.reference]
    assert rows(queue(client, "?q=gushing")) == [pipe.reference]
    assert rows(queue(client, "?q=baobab")) == [meter.reference]
    assert b"No case matches these filters." in queue(client, "?q=nothing-like-it").content


def test_an_auditor_finds_by_reference_only(client, world):
    case = opened(world, description="Call Mrs Khumalo on 082 555 0101")
    signed_in(client, staff_of_role(world, Role.AUDITOR))

    assert rows(queue(client, "?q=Khumalo")) == []
    assert rows(queue(client, f"?q={case.reference}")) == [case.reference]


def test_the_queue_sorts_by_priority_due_opened_and_status(client, world, officer):
    low = opened(world, priority="low", resolve_due_at=sast(2026, 3, 3, 9, 0))
    urgent = opened(world, priority="urgent", resolve_due_at=sast(2026, 3, 5, 9, 0))
    high = opened(world, priority="high", resolve_due_at=sast(2026, 3, 4, 9, 0),
                  status="in_progress", opened_at=sast(2026, 3, 2, 11, 0))
    signed_in(client, officer)

    assert rows(queue(client, "?sort=priority")) == [urgent.reference, high.reference,
                                                     low.reference]
    assert rows(queue(client, "?sort=due")) == [low.reference, high.reference, urgent.reference]
    assert rows(queue(client, "?sort=opened"))[0] == high.reference
    assert rows(queue(client, "?sort=status"))[-1] == high.reference


def test_the_queue_pages_keep_the_filters(client, world, officer):
    for _ in range(27):
        opened(world, priority="high")
    opened(world, priority="low")
    signed_in(client, officer)

    first = queue(client, "?priority=high&per_page=25")
    second = queue(client, "?priority=high&per_page=25&page=2")

    assert len(rows(first)) == 25 and len(rows(second)) == 2
    assert b"?priority=high&amp;per_page=25&amp;page=2" in first.content
    assert not set(rows(first)) & set(rows(second))


def test_the_number_of_queries_does_not_grow_with_the_page_size(client, world):
    supervisor = staff_of_role(world, Role.SUPERVISOR)
    for n in range(30):
        opened(world, assignee=supervisor if n % 2 else None, priority="high")
    signed_in(client, supervisor)
    queue(client, "?per_page=25")  # warm the per-process caches

    with CaptureQueriesContext(connection) as small:
        assert len(rows(queue(client, "?per_page=25&page=2&sort=priority"))) == 5
    with CaptureQueriesContext(connection) as large:
        assert len(rows(queue(client, "?per_page=25&sort=priority"))) == 25

    assert len(large.captured_queries) == len(small.captured_queries)


# --- bulk assignment -----------------------------------------------------------------------


def test_a_supervisor_assigns_selected_cases_to_an_officer_of_the_office(client, world, officer):
    supervisor = staff_of_role(world, Role.SUPERVISOR)
    first, second, untouched = opened(world), opened(world), opened(world)
    signed_in(client, supervisor)
    back = reverse("backoffice:queue", args=["office"]) + "?sort=priority"

    response = client.post(reverse("backoffice:queue_assign"), {
        "case": [first.reference, second.reference], "assignee": officer.pk, "next": back})

    assert response.status_code == 302 and response["Location"] == back
    for case in (first, second):
        case.refresh_from_db()
        assert case.assignee_id == officer.pk and case.status == "assigned"
        assert case.events.filter(kind=EventKind.ASSIGNED, actor=supervisor).count() == 1
    untouched.refresh_from_db()
    assert untouched.assignee_id is None


def test_a_case_of_another_office_is_named_and_not_assigned(client, world, officer):
    supervisor = staff_of_role(world, Role.SUPERVISOR)
    mine = opened(world)
    stranger = StaffFactory(role=Role.OFFICER, office=OfficeFactory(
        department=world.office.department))
    admin = staff_of_role(world, Role.ADMINISTRATOR)
    signed_in(client, admin)

    response = client.post(reverse("backoffice:queue_assign"), {
        "case": [mine.reference], "assignee": stranger.pk}, follow=True)

    mine.refresh_from_db()
    assert mine.assignee_id is None
    assert b"does not work in the office that handles this case" in response.content
    del supervisor


def test_a_supervisor_cannot_assign_to_an_officer_outside_their_offices(client, world):
    supervisor = staff_of_role(world, Role.SUPERVISOR)
    case = opened(world)
    stranger = StaffFactory(role=Role.OFFICER, office=OfficeFactory())
    signed_in(client, supervisor)

    response = client.post(reverse("backoffice:queue_assign"), {
        "case": [case.reference], "assignee": stranger.pk}, follow=True)

    case.refresh_from_db()
    assert case.assignee_id is None
    assert b"Choose the officer" in response.content


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AGENT, Role.ANALYST, Role.AUDITOR])
def test_bulk_assignment_is_refused_to_roles_that_may_not_assign(client, world, role):
    case = opened(world)
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    signed_in(client, staff_of_role(world, role))

    response = client.post(reverse("backoffice:queue_assign"), {
        "case": [case.reference], "assignee": officer.pk})

    case.refresh_from_db()
    assert response.status_code == 403
    assert case.assignee_id is None


def test_only_those_who_may_assign_see_the_checkboxes(client, world, officer):
    opened(world)

    as_officer = queue(signed_in(client, officer))
    as_supervisor = queue(signed_in(client, staff_of_role(world, Role.SUPERVISOR)))

    assert b'name="case"' not in as_officer.content
    assert b'name="case"' in as_supervisor.content
    assert f'<option value="{officer.pk}">'.encode() in as_supervisor.content


@pytest.mark.parametrize("back", ["not-a-path", "https://elsewhere.example/", "//elsewhere"])
def test_bulk_assignment_goes_back_only_to_a_page_of_this_site(client, world, back):
    signed_in(client, staff_of_role(world, Role.SUPERVISOR))

    response = client.post(reverse("backoffice:queue_assign"), {"next": back})

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:queue", args=["office"])
