"""Staff ward alert pages: a notice with its recipients and segments shown
before sending, and a caller signed up on their behalf."""

import re

import pytest

from imbizo.notify.models import MessagePriority, OutboxMessage
from imbizo.org.models import Role
from imbizo.outreach.alert_models import Subscription, SubscriptionStatus
from tests.factories import StaffFactory, WardFactory, square
from tests.outreach.factories import subscription_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(institution):
    return [WardFactory(code=f"WEST{i}", name=f"West {i}", boundary=square(28.0 + i * 0.01, -26.2))
            for i in range(2)]


@pytest.fixture
def supervisor(client):
    staff = StaffFactory(role=Role.SUPERVISOR)
    client.force_login(staff.user)
    return staff


@pytest.fixture
def agent(client):
    staff = StaffFactory(role=Role.AGENT, office=None, department=None)
    client.force_login(staff.user)
    return staff


def test_the_notice_form_shows_recipients_and_segments_before_sending(client, wards, supervisor):
    for n in range(3):
        subscription_make(address=f"+2782000000{n}", ward_ids=[wards[0].pk])
    subscription_make(address="+27829999999", ward_ids=[wards[1].pk])
    data = {"wards": [str(wards[0].pk)], "service": "", "text": "Water off until 18:00."}

    preview = client.post("/staff/alerts/", {**data, "action": "preview"})

    page = preview.content.decode()
    assert re.search(r'data-figure="recipients">3 recipients<', page)
    assert re.search(r'data-figure="segments">1 SMS segment<', page)
    assert not OutboxMessage.objects.exists()

    previewed = re.search(r'name="previewed" value="(\w+)"', page).group(1)
    sent = client.post("/staff/alerts/", {**data, "action": "send", "previewed": previewed})

    assert sent.status_code == 302
    assert OutboxMessage.objects.filter(priority=MessagePriority.BULK).count() == 3
    assert "Notice sent to 3 subscribers" in client.get("/staff/alerts/").content.decode()


def test_a_long_notice_shows_its_segments_and_the_advice_to_shorten(client, wards, supervisor):
    page = client.post("/staff/alerts/", {"wards": [str(wards[0].pk)], "service": "",
                                          "text": "Water’s off " * 10, "action": "preview"})

    text = page.content.decode()
    assert re.search(r'data-figure="segments">3 SMS segments<', text)
    assert "UCS-2" in text and "Shorten it" in text


def test_a_notice_without_wards_or_text_is_refused(client, wards, supervisor):
    page = client.post("/staff/alerts/", {"service": "", "text": "", "action": "send"})

    assert page.status_code == 400
    assert not OutboxMessage.objects.exists()


def test_an_agent_may_not_send_notices(client, wards, agent):
    assert client.get("/staff/alerts/").status_code == 403


def test_an_agent_signs_a_caller_up_by_sms_with_the_code_read_out(client, wards, agent):
    response = client.post("/staff/alerts/subscribe/", {
        "channel": "sms", "address": "082 123 4567", "ward": "WEST1", "consent": "on"})

    subscription = Subscription.objects.get()
    assert subscription.created_by_id == agent.pk
    assert response["Location"] == f"/staff/alerts/subscribe/{subscription.confirm_token}/"
    code = re.search(r"\b(\d{6})\b", OutboxMessage.objects.get().body).group(1)

    done = client.post(response["Location"], {"code": code})

    assert done.status_code == 302
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED


def test_staff_sign_up_with_a_bad_number_says_so(client, wards, agent):
    page = client.post("/staff/alerts/subscribe/", {
        "channel": "sms", "address": "0800", "ward": "WEST1", "consent": "on"})

    assert page.status_code == 400
    assert "not valid" in page.content.decode()
    assert not Subscription.objects.exists()


def test_the_menu_offers_ward_alerts(client, wards, supervisor):
    page = client.get("/staff/").content.decode()

    assert 'href="/staff/alerts/"' in page


def test_a_notice_changed_after_its_check_is_checked_again_not_sent(client, wards, supervisor):
    subscription_make(address="+27820000001", ward_ids=[wards[0].pk])
    data = {"wards": [str(wards[0].pk)], "service": "", "text": "Water off."}
    page = client.post("/staff/alerts/", {**data, "action": "preview"}).content.decode()
    previewed = re.search(r'name="previewed" value="(\w+)"', page).group(1)

    again = client.post("/staff/alerts/", {**data, "text": "Water off until Friday.",
                                           "action": "send", "previewed": previewed})

    assert not OutboxMessage.objects.exists()
    text = again.content.decode()
    assert "changed since you checked" in text
    assert 'data-figure="recipients">1 recipient<' in text
