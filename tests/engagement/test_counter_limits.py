"""The counter survey (a standing QR link) rests on a server-side record as well
as the device cookie: one answer per device per hour, a few per address per
office per hour, and a capped number of follow-up cases per office per hour,
the excess flagged to the supervisor instead of opened."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.engagement.counter import Visitor
from imbizo.engagement.models import CounterVisit, LoopRule, Response
from imbizo.engagement.services import counter_token, invitation_get, response_submit
from imbizo.org.models import Role
from tests.factories import OfficeFactory, ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import sast

pytestmark = pytest.mark.django_db

NOON = sast(2026, 3, 2, 12, 0)
POOR = {"concern": "1", "friendliness": "1", "civility": "1", "overall": "1"}
GOOD = {"concern": "5", "friendliness": "5", "civility": "5", "overall": "5"}


@pytest.fixture
def loop(world):
    follow_up = ServiceFactory(code="feedback-follow-up", department=world.office.department)
    ServiceStandardFactory(service=follow_up, resolve_amount=2)
    return LoopRule.objects.create(name="Low personal factor", max_score=2,
                                   drivers=["concern", "friendliness", "civility", "overall"],
                                   follow_up_service=follow_up)


@pytest.fixture
def limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    caches["ratelimit"].clear()
    yield settings
    caches["ratelimit"].clear()


def follow_ups() -> int:
    return Case.objects.filter(service__code="feedback-follow-up").count()


def post_without_cookies(client, url: str, answers: dict, **headers) -> int:
    client.cookies.clear()
    return client.post(url, answers, **headers).status_code


def test_poor_ratings_from_one_browser_without_cookies_count_once(client, world, loop):
    url = f"/survey/{counter_token(world.office)}/"

    with time_machine.travel(NOON, tick=False):
        statuses = [post_without_cookies(client, url, POOR) for _ in range(8)]

    assert statuses == [200] + [409] * 7
    assert Response.objects.filter(office=world.office).count() == 1
    assert follow_ups() == 1


def test_poor_ratings_from_one_address_without_cookies_are_cut_at_the_limit(
        client, world, loop, limits_on):
    limits_on.COUNTER_SURVEY_ANSWERS_PER_ADDRESS = 5
    url = f"/survey/{counter_token(world.office)}/"

    with time_machine.travel(NOON, tick=False):
        # A new browser name each time: only the address tells them apart.
        statuses = [post_without_cookies(client, url, POOR, HTTP_USER_AGENT=f"browser {n}")
                    for n in range(8)]

    assert statuses == [200] * 5 + [429] * 3
    assert Response.objects.filter(office=world.office).count() == 5
    assert follow_ups() == 3  # COUNTER_FOLLOW_UPS_PER_HOUR; the other two are flagged
    assert Response.objects.filter(follow_up_held=True).count() == 2


def test_the_address_limit_is_per_office_and_per_hour(client, world, limits_on):
    limits_on.COUNTER_SURVEY_ANSWERS_PER_ADDRESS = 2
    here, there = (f"/survey/{counter_token(office)}/" for office in (world.office,
                                                                      OfficeFactory()))
    with time_machine.travel(NOON, tick=False):
        at_noon = [post_without_cookies(client, url, GOOD, HTTP_USER_AGENT=f"b{n}")
                   for n, url in enumerate((here, here, here, there))]
    with time_machine.travel(NOON + timedelta(hours=1, seconds=1), tick=False):
        an_hour_later = post_without_cookies(client, here, GOOD, HTTP_USER_AGENT="b9")

    assert at_noon == [200, 200, 429, 200]
    assert an_hour_later == 200


def test_phones_with_their_own_cookies_behind_one_address_each_answer(client, world):
    url = f"/survey/{counter_token(world.office)}/"
    statuses = []
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):  # the office's wifi: one address, one browser version
            client.cookies.clear()
            client.get(url)  # each phone gets its device cookie
            statuses.append(client.post(url, GOOD).status_code)

    assert statuses == [200, 200, 200]


def test_the_server_record_holds_no_address_and_lasts_an_hour(client, world):
    url = f"/survey/{counter_token(world.office)}/"
    with time_machine.travel(NOON, tick=False):
        post_without_cookies(client, url, GOOD, REMOTE_ADDR="196.25.1.1")
    rows = list(CounterVisit.objects.values())
    assert len(rows) == 1 and "196.25.1.1" not in str(rows)

    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        post_without_cookies(client, url, GOOD, REMOTE_ADDR="196.25.1.2")

    assert CounterVisit.objects.count() == 1  # the earlier one is gone


def test_follow_ups_past_the_hourly_cap_are_not_opened_but_flagged(world, loop, settings):
    settings.COUNTER_FOLLOW_UPS_PER_HOUR = 2
    invitation = invitation_get(counter_token(world.office))

    with time_machine.travel(NOON, tick=False):
        responses = [response_submit(invitation=invitation, answers=POOR,
                                     visitor=Visitor(device=f"phone-{n}"))
                     for n in range(5)]

    assert follow_ups() == 2
    assert [r.follow_up is not None for r in responses] == [True, True, False, False, False]
    assert [r.follow_up_held for r in responses] == [False, False, True, True, True]


def test_the_cap_starts_again_an_hour_later(world, loop, settings):
    settings.COUNTER_FOLLOW_UPS_PER_HOUR = 1
    invitation = invitation_get(counter_token(world.office))
    for n, at in enumerate((NOON, NOON + timedelta(minutes=30), NOON + timedelta(minutes=61))):
        with time_machine.travel(at, tick=False):
            response_submit(invitation=invitation, answers=POOR,
                            visitor=Visitor(device=f"phone-{n}"))

    assert follow_ups() == 2
    assert Response.objects.filter(follow_up_held=True).count() == 1


def test_the_supervisor_sees_the_flag_on_the_feedback_page(client, world, loop, settings):
    settings.COUNTER_FOLLOW_UPS_PER_HOUR = 1
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    invitation = invitation_get(counter_token(world.office))
    with time_machine.travel(NOON, tick=False):
        for n in range(4):
            response_submit(invitation=invitation, answers=POOR,
                            visitor=Visitor(device=f"phone-{n}"))
    client.force_login(supervisor.user)

    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        page = client.get(reverse("backoffice:feedback")).content.decode()

    flag = page.split('id="follow-ups-held"')[1].split("</section>")[0]
    assert "opens at most 1 follow-up case an hour" in flag
    assert world.office.name in flag
    assert "2 Mar 2026, 12:00" in flag and "<td>3</td>" in flag


def test_no_flag_without_held_ratings(client, world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    client.force_login(supervisor.user)

    page = client.get(reverse("backoffice:feedback")).content.decode()

    assert 'id="follow-ups-held"' not in page
