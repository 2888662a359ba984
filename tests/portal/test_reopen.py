"""The reopen door on the tracking page: the citizen's code, or a refusal."""

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.services import case_open, case_resolve
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.support import inside, sast


@pytest.fixture
def reported(client, world):
    """An anonymous web report (no contact details), and the page it lands on."""
    page = client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "description": "Burst pipe on the corner",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
    }, follow=True)
    return Case.objects.get(), page


def test_the_confirmation_page_shows_the_reopen_code_once(client, reported):
    case, page = reported
    secret = page.redirect_chain[-1][0].split("secret=")[1]

    assert f'<strong class="font-monospace fs-5">{secret}</strong>' in page.content.decode()
    later = client.get(reverse("portal:case_track", args=[case.reference])).content.decode()
    assert secret not in later and 'id="reopen-secret"' not in later


def test_the_citizen_reopens_with_the_code(client, reported):
    case, page = reported
    secret = page.redirect_chain[-1][0].split("secret=")[1]
    case_resolve(case=case, actor=None, outcome="fixed")

    response = client.post(reverse("portal:case_reopen", args=[case.reference]),
                           {"reason": "Still leaking", "secret": secret.lower()}, follow=True)

    case.refresh_from_db()
    assert case.status == "reopened"
    assert "Your report is open again." in response.content.decode()


def test_the_link_in_a_message_fills_in_the_code(client, reported):
    case, _page = reported
    case_resolve(case=case, actor=None, outcome="fixed")

    page = client.get(reverse("portal:case_track", args=[case.reference]) + "?secret=ABCDEFGH23")

    assert 'value="ABCDEFGH23"' in page.content.decode()


@pytest.mark.parametrize("secret", ["", "ABCDEFGH23"])
def test_a_reopen_without_the_code_is_refused_clearly_and_changes_nothing(
        client, reported, secret):
    case, _page = reported
    case_resolve(case=case, actor=None, outcome="fixed")

    response = client.post(reverse("portal:case_reopen", args=[case.reference]),
                           {"reason": "Still leaking", "secret": secret})

    assert response.status_code == 400
    assert "can be reopened only with the reopen code" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.reopen_count) == ("resolved", 0)
    assert not case.events.filter(kind=EventKind.REOPENED).exists()


def test_wrong_codes_are_rate_limited_per_address(client, reported, settings):
    case, page = reported
    secret = page.redirect_chain[-1][0].split("secret=")[1]
    case_resolve(case=case, actor=None, outcome="fixed")
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reopen": "3/h"}
    caches["ratelimit"].clear()
    url = reverse("portal:case_reopen", args=[case.reference])

    with time_machine.travel(sast(2026, 3, 2, 12, 0), tick=False):
        guesses = [client.post(url, {"reason": "x", "secret": f"GUESS{n}"}).status_code
                   for n in range(3)]
        right_but_late = client.post(url, {"reason": "x", "secret": secret})
    caches["ratelimit"].clear()

    assert guesses == [400, 400, 400]
    assert right_but_late.status_code == 429
    case.refresh_from_db()
    assert case.status == "resolved"


def test_staff_reopen_from_the_case_page_with_their_login(client, world):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", **inside(world.ward)))
    case_resolve(case=case, actor=None, outcome="fixed")
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    client.force_login(supervisor.user)

    client.post(reverse("backoffice:case_action", args=[case.reference, "reopen"]),
                {"reason": "The crew says it still leaks"})

    case.refresh_from_db()
    assert case.status == "reopened"
    assert case.events.get(kind=EventKind.REOPENED).actor == supervisor


def test_the_case_page_says_the_citizen_reopened_it_on_the_tracking_page(client, reported):
    case, page = reported
    secret = page.redirect_chain[-1][0].split("secret=")[1]
    case_resolve(case=case, actor=None, outcome="fixed")
    client.post(reverse("portal:case_reopen", args=[case.reference]),
                {"reason": "Still leaking", "secret": secret})
    client.force_login(StaffFactory(office=case.office, role=Role.SUPERVISOR).user)

    body = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert "the citizen, on the tracking page" in body
