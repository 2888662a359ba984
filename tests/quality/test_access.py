"""Who may do what in the quality programme: the pure rules of quality.access."""

import pytest

from imbizo.org.models import Department, Office, Role, Staff
from imbizo.quality import access
from imbizo.quality.models import Action, Nomination

WATER, ROADS = Department(pk=1), Department(pk=2)
DEPOT = Office(pk=10, department=WATER)
OTHER_DEPOT = Office(pk=11, department=WATER)
ROADS_DEPOT = Office(pk=20, department=ROADS)


def person(role, office=None, department=None, pk=100, active=True):
    department = department or (office.department if office else None)
    return Staff(pk=pk, role=role, office=office, department=department, active=active)


SUPERVISOR = person(Role.SUPERVISOR, DEPOT, pk=1)
MANAGER = person(Role.MANAGER, department=WATER, pk=2)
OFFICER = person(Role.OFFICER, DEPOT, pk=3)
ADMIN = person(Role.ADMINISTRATOR, pk=4)
AUDITOR = person(Role.AUDITOR, pk=5)


@pytest.mark.parametrize("staff, office, expected", [
    (SUPERVISOR, DEPOT, True), (SUPERVISOR, OTHER_DEPOT, False),
    (MANAGER, OTHER_DEPOT, True), (MANAGER, ROADS_DEPOT, False),
    (ADMIN, ROADS_DEPOT, True), (OFFICER, DEPOT, False), (AUDITOR, DEPOT, False),
])
def test_who_runs_visits_for_which_office(staff, office, expected):
    assert access.manages_office(staff, office) is expected


def test_anyone_visits_another_office_as_a_citizen_but_not_their_own():
    assert access.may_visit_as_citizen(OFFICER, ROADS_DEPOT)
    assert not access.may_visit_as_citizen(OFFICER, DEPOT)


def test_an_inactive_staff_member_may_do_nothing():
    gone = person(Role.ADMINISTRATOR, active=False)

    assert not access.can(gone, "learn") and not access.manages_office(gone, DEPOT)


def test_auditors_look_but_do_not_run_the_programme():
    assert access.can(AUDITOR, "view") and not access.can(AUDITOR, "plan")


def test_only_managers_and_administrators_nominate():
    assert [r for r in Role.values if access.can(person(r), "nominate")] == [
        Role.MANAGER, Role.ADMINISTRATOR]


@pytest.mark.parametrize("staff, expected", [
    (SUPERVISOR, True),  # the owner
    (MANAGER, True),  # a manager of the office's department
    (person(Role.MANAGER, department=ROADS, pk=6), False),
    (OFFICER, False), (ADMIN, True),
])
def test_who_closes_an_action(staff, expected):
    action = Action(owner_id=SUPERVISOR.pk, office=DEPOT, office_id=DEPOT.pk)

    assert access.may_close_action(staff, action) is expected


def test_consent_is_the_nominees_or_for_a_team_its_supervisors():
    assert access.may_consent(OFFICER, Nomination(staff_id=OFFICER.pk))
    assert not access.may_consent(MANAGER, Nomination(staff_id=OFFICER.pk))
    assert access.may_consent(SUPERVISOR, Nomination(office_id=DEPOT.pk))
    assert not access.may_consent(OFFICER, Nomination(office_id=DEPOT.pk))
