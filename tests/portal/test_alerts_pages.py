"""The ward alert pages, through the door a citizen uses: form posts and links."""

import re

import pytest
from django.test import Client

from imbizo.notify.models import OutboxMessage
from imbizo.outreach.alert_models import Subscription, SubscriptionStatus
from tests.factories import WardFactory, square
from tests.outreach.factories import subscription_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(institution):
    return WardFactory(code="WEST1", name="West 1", boundary=square(28.0, -26.2))


def _sign_up(client, **fields):
    return client.post("/alerts/", {"channel": "sms", "address": "082 123 4567",
                                    "ward": "WEST1", "consent": "on", **fields})


def test_the_form_page_opens_with_the_ward_chosen(client, ward):
    page = client.get("/alerts/?ward=WEST1")

    assert page.status_code == 200
    assert re.search(r'<option value="WEST1" selected>', page.content.decode())


def test_sms_sign_up_then_the_code_typed_on_the_page(client, ward):
    response = _sign_up(client)

    subscription = Subscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/alerts/confirm/{subscription.confirm_token}/"
    code = re.search(r"\b(\d{6})\b", OutboxMessage.objects.get().body).group(1)
    page = client.get(response["Location"])
    assert "6-digit code" in page.content.decode()

    wrong = client.post(response["Location"], {"code": "999999" if code != "999999" else "1"})
    assert wrong.status_code == 400
    assert "not the code we sent" in wrong.content.decode()

    done = client.post(response["Location"], {"code": code})
    assert 'id="confirmed"' in done.content.decode()
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED
    again = client.post(response["Location"], {"code": code})
    assert again.status_code == 200 and 'id="confirmed"' in again.content.decode()


def test_email_sign_up_needs_the_button_behind_the_link(client, ward):
    response = _sign_up(client, channel="email", address="Thandi@Example.org")

    assert response["Location"] == "/alerts/sent/"
    link = re.search(r"http\S+/alerts/confirm/\S+/", OutboxMessage.objects.get().body).group(0)
    path = link[link.index("/alerts/"):]
    client.get(path)  # a mail scanner opening the link confirms nothing
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING

    client.post(path)

    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED


@pytest.mark.parametrize(("fields", "message"), [
    ({"address": "12345"}, "not valid"),
    ({"address": "hello"}, "This is not a phone number"),
    ({"channel": "email", "address": "thandi@"}, "not an email address"),
    ({"ward": ""}, "Choose at least one ward"),
    ({"consent": ""}, "Tick the box"),
])
def test_bad_input_gets_a_clear_error_and_stores_nothing(client, ward, fields, message):
    page = _sign_up(client, **fields)

    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Subscription.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_unknown_confirmation_link_is_a_plain_404(client, ward):
    page = client.get("/alerts/confirm/nope/")

    assert page.status_code == 404
    assert "not known" in page.content.decode()


def test_unsubscribe_asks_then_stops_and_a_second_time_is_harmless(client, ward):
    subscription = subscription_make(address="+27821234567", ward_ids=[ward.pk])
    path = f"/alerts/u/{subscription.unsubscribe_token}/"

    assert "Stop my alerts" in client.get(path).content.decode()
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED
    first = client.post(path)
    second = client.post(path)

    assert first.status_code == second.status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.ENDED
    assert 'id="stopped"' in client.get(path).content.decode()


def test_one_click_unsubscribe_from_a_mail_program_needs_no_cookie(ward):
    subscription = subscription_make(address="a@example.org", channel="email",
                                     ward_ids=[ward.pk])

    # A client that enforces CSRF as browsers do, with no cookie at all.
    response = Client(enforce_csrf_checks=True).post(
        f"/alerts/u/{subscription.unsubscribe_token}/", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.ENDED


def test_an_unknown_unsubscribe_link_says_nothing_is_sent(client, ward):
    page = client.get("/alerts/u/unknown/")

    assert page.status_code == 200
    assert 'id="stopped"' in page.content.decode()


def test_the_ward_page_has_the_sign_up_form(client, ward):
    page = client.get("/wards/WEST1/").content.decode()

    assert 'id="ward-alerts"' in page
    assert 'name="ward" value="WEST1"' in page


def test_the_sign_up_page_reads_a_fixed_number_of_rows(client, ward,
                                                       django_assert_max_num_queries):
    for n in range(30):
        WardFactory(code=f"X{n:02d}", boundary=square(29.0 + n * 0.01, -26.2))

    # Wards and services for the choices (and the session's and site's own reads).
    with django_assert_max_num_queries(6):
        assert client.get("/alerts/").status_code == 200


def test_the_home_page_leads_to_the_sign_up(client, ward):
    assert 'href="/alerts/"' in client.get("/").content.decode()
