from datetime import timedelta

import pytest
from django.urls import reverse

from imbizo.core import clock
from imbizo.engagement.models import Answer, Invitation
from imbizo.engagement.selectors import SCORED_DRIVERS, scores_by
from imbizo.engagement.services import invitation_create, invitation_get, response_submit
from imbizo.org.models import Role
from tests.factories import OfficeFactory, StaffFactory

pytestmark = pytest.mark.django_db


def rate(office, staff, concern, friendliness, civility, overall, keep=""):
    token = invitation_create(instrument_code="after-contact", source=Invitation.Source.COUNTER,
                              office=office, staff=staff)
    return response_submit(invitation=invitation_get(token), answers={
        "concern": str(concern), "friendliness": str(friendliness), "civility": str(civility),
        "overall": str(overall), "keep": keep})


@pytest.fixture
def ratings(world):
    other = OfficeFactory(name="Zeta Office")
    alice = StaffFactory(office=world.office, role=Role.OFFICER)
    bob = StaffFactory(office=other, role=Role.OFFICER)
    rate(world.office, alice, 5, 4, 5, 4, keep="Friendly staff")
    rate(world.office, alice, 3, 3, 2, 2)
    rate(other, bob, 1, 2, 1, 1)
    return world.office, other, alice, bob


def independent_averages(office):
    """Recomputed from the raw answers, in Python, without the selector's query."""
    values = {}
    for answer in Answer.objects.filter(response__office=office, number__isnull=False):
        values.setdefault(answer.driver, []).append(answer.number)
    return {d: round(sum(v) / len(v), 2) for d, v in values.items()}


def test_scores_by_office_equal_an_independent_computation(ratings):
    office, other, _alice, _bob = ratings
    now = clock.now()

    rows = {row.key: row for row in scores_by(dimension="office", since=now - timedelta(days=1),
                                              until=now + timedelta(seconds=1))}

    for place in (office, other):
        expected = independent_averages(place)
        assert {d: v for d, v in rows[place.pk].averages.items() if v is not None} == expected
    assert rows[office.pk].responses == 2 and rows[other.pk].responses == 1
    assert rows[office.pk].averages["concern"] == 4.0


def test_an_officer_sees_only_their_own_ratings(client, ratings):
    _office, _other, alice, _bob = ratings
    client.force_login(alice.user)

    page = client.get(reverse("backoffice:feedback"), {"by": "staff"}).content.decode()

    assert str(alice) .split()[-1] in page
    assert "Zeta Office" not in page
    assert "Friendly staff" in page


def test_an_analyst_sees_every_office_with_a_bounded_number_of_queries(
    client, ratings, django_assert_max_num_queries
):
    analyst = StaffFactory(office=None, role=Role.ANALYST)
    client.force_login(analyst.user)

    with django_assert_max_num_queries(10):
        page = client.get(reverse("backoffice:feedback"), {"by": "office"}).content.decode()

    assert "Zeta Office" in page and "Office" in page
    assert set(SCORED_DRIVERS) >= {"concern", "friendliness", "civility", "overall"}


def test_a_staff_member_sees_their_own_contacts_with_their_ratings(client, world):
    from imbizo.engagement.services import contact_record

    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    contact = contact_record(channel="walk_in", office=world.office, staff=officer)
    token = invitation_create(instrument_code="after-contact", source=Invitation.Source.SMS,
                              contact=contact, staff=officer, office=world.office)
    response_submit(invitation=invitation_get(token), answers={
        "concern": "4", "friendliness": "4", "civility": "4", "overall": "3"})
    client.force_login(officer.user)

    page = client.get(reverse("backoffice:feedback")).content.decode()

    assert 'id="my-contacts"' in page
    assert "<td>3</td>" in page
