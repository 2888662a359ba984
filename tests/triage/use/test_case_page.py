"""Possible duplicates on an open case's page, with a merge in one click."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.triage.use.conftest import MONDAY_10, north_of, report

LEAK = "Burst pipe on Vilakazi Street, water pouring down the road"


def at(when):
    return time_machine.travel(when, tick=False)


@pytest.fixture
def pair(world, services, here):
    with at(MONDAY_10):
        older = report(services.leak, LEAK, point=here)
    with at(MONDAY_10 + timedelta(minutes=2)):
        newer = report(services.leak, "pipe burst vilakazi, water on the road",
                       point=north_of(here, 8))
    return older, newer


def page_of(client, case):
    with at(MONDAY_10 + timedelta(minutes=5)):
        return client.get(reverse("backoffice:case_detail", args=[case.reference]))


def test_the_newer_report_offers_to_merge_itself_into_the_older(client, world, pair,
                                                                supervisor):
    older, newer = pair
    client.force_login(supervisor.user)

    response = page_of(client, newer)

    [dup] = response.context["possible_duplicates"]
    assert dup.reference == older.reference
    page = response.content.decode()
    merge = reverse("backoffice:case_action", args=[newer.reference, "merge"])
    assert f'action="{merge}"' in page and f'name="into" value="{older.reference}"' in page


def test_the_older_report_offers_to_merge_the_newer_into_it(client, world, pair, supervisor):
    older, newer = pair
    client.force_login(supervisor.user)

    page = page_of(client, older).content.decode()

    merge = reverse("backoffice:case_action", args=[newer.reference, "merge"])
    assert f'action="{merge}"' in page and f'name="into" value="{older.reference}"' in page


def test_the_merge_button_merges(client, world, pair, supervisor):
    older, newer = pair
    client.force_login(supervisor.user)

    with at(MONDAY_10 + timedelta(minutes=5)):
        client.post(reverse("backoffice:case_action", args=[newer.reference, "merge"]),
                    {"into": older.reference})

    newer.refresh_from_db()
    assert newer.parent == older
    assert page_of(client, older).context["possible_duplicates"] == []


def test_a_role_that_may_not_merge_sees_the_duplicates_without_the_button(client, world, pair):
    older, newer = pair
    client.force_login(StaffFactory(office=world.office, role=Role.OFFICER).user)

    response = page_of(client, newer)

    assert [d.reference for d in response.context["possible_duplicates"]] == [older.reference]
    assert 'name="into"' not in response.content.decode().split("possible-duplicates")[1].split(
        "</section>")[0]


def test_more_duplicates_cost_no_more_queries(client, world, services, here, pair, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(supervisor.user)
    page_of(client, pair[1])
    with CaptureQueriesContext(connection) as one:
        assert len(page_of(client, pair[1]).context["possible_duplicates"]) == 1
    with at(MONDAY_10 + timedelta(minutes=1)):
        for metres in (2, 4, 6, 10):
            report(services.leak, LEAK, point=north_of(here, metres))
    with CaptureQueriesContext(connection) as five:
        assert len(page_of(client, pair[1]).context["possible_duplicates"]) == 5
    assert len(five) == len(one)
