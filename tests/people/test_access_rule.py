"""Who sees a person's development record: the person and their manager only
(ADR 0035), through the pages, for every role."""

import pytest
from django.urls import reverse

from imbizo.org.models import Role
from imbizo.people import access
from imbizo.people.models import RecordView
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_person_and_their_manager_may_see_the_record(line):
    boss, person = line
    assert access.can_view(person, person)
    assert access.can_view(boss, person)
    assert not access.can_view(person, boss)


@pytest.mark.parametrize("role", list(Role))
def test_every_other_role_gets_403_on_someone_elses_record(client, line, role):
    _boss, person = line
    other = StaffFactory(role=role)
    client.force_login(other.user)
    response = client.get(reverse("backoffice:people_person", args=[person.pk]))
    assert response.status_code == 403
    assert not RecordView.objects.exists()


def test_the_managers_view_is_logged_and_the_own_view_is_not(client, line):
    boss, person = line
    client.force_login(boss.user)
    assert client.get(reverse("backoffice:people_person", args=[person.pk])).status_code == 200
    view = RecordView.objects.get()
    assert (view.viewer, view.subject) == (boss, person)
    client.force_login(person.user)
    own = client.get(reverse("backoffice:people_person", args=[person.pk]), follow=True)
    assert own.status_code == 200 and own.redirect_chain[-1][0] == reverse("backoffice:people_home")
    assert RecordView.objects.count() == 1


def test_team_of_lists_active_direct_reports_only(line):
    boss, person = line
    StaffFactory(role=Role.OFFICER, manager=boss, active=False)
    StaffFactory(role=Role.OFFICER, manager=person)
    assert list(access.team_of(boss)) == [person]
