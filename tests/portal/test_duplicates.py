"""A report sent twice (a double click, a browser's retry after a lost answer)
is stored once: the form carries an idempotency key of its own."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from tests.support import at_once, inside


@pytest.fixture
def form(world):
    return {
        "kind": "request", "service": "water-leak", "description": "Burst pipe on the corner",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
        "citizen_email": "lerato@example.org", "contact_consent": "on",
    }


def key_in(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


def test_each_report_form_carries_a_key_of_its_own(client, world):
    first = key_in(client.get(reverse("portal:report")).content.decode())
    second = key_in(client.get(reverse("portal:report")).content.decode())

    assert first != second
    assert len(first) >= 32


def test_a_resubmitted_report_lands_on_the_same_case(client, form):
    form["idempotency_key"] = key_in(client.get(reverse("portal:report")).content.decode())

    first = client.post(reverse("portal:report"), form)
    again = client.post(reverse("portal:report"), {**form, "description": "Sent twice"})

    assert first.status_code == again.status_code == 302
    # The same case; the reopen code is shown with the first answer only.
    assert first["Location"].startswith(again["Location"] + "&secret=")
    assert list(Case.objects.values_list("description", flat=True)) == [
        "Burst pipe on the corner"]


def test_reports_with_different_keys_are_different_cases(client, form):
    client.post(reverse("portal:report"), {**form, "idempotency_key": "a" * 32})
    client.post(reverse("portal:report"), {**form, "idempotency_key": "b" * 32})

    assert Case.objects.count() == 2


def test_a_report_form_re_shown_with_an_error_keeps_its_key(client, form):
    response = client.post(reverse("portal:report"),
                           {**form, "description": "", "idempotency_key": "c" * 32})

    assert key_in(response.content.decode()) == "c" * 32


def test_a_key_from_the_form_never_reaches_a_case_of_another_channel(client, world, form):
    other = case_open(draft=CaseDraft(service_code="water-leak", description="By phone",
                                      channel="hotline", **inside(world.ward)),
                      idempotency_key="loop-1")

    response = client.post(reverse("portal:report"), {**form, "idempotency_key": "loop-1"})

    assert other.reference not in response["Location"]
    assert Case.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_the_same_moment_make_one_case(world, form):
    form["idempotency_key"] = "d" * 32
    locations, errors = at_once(
        lambda: Client().post(reverse("portal:report"), form)["Location"])

    assert errors == []
    assert Case.objects.count() == 1
    paths = sorted(location.split("&secret=")[0] for location in locations)
    assert len(paths) == 2 and paths[0] == paths[1]
