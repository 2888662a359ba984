"""Ward alert subscriptions and the fan-out, through the services (real database)."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.notify.delivery import outbox_send_due
from imbizo.notify.models import MessagePriority, MessageStatus, OutboxMessage
from imbizo.notify.segments import sms_segments
from imbizo.notify.texts import message_render
from imbizo.outreach.alert_models import Subscription, SubscriptionStatus
from imbizo.outreach.alerts import (
    NOTICE_TEMPLATE,
    Point,
    alerts_fanout,
    alerts_preview,
    notice_send,
    subscription_confirm,
    subscription_request,
    subscriptions_end,
)
from imbizo.privacy.models import ConsentWording
from imbizo.privacy.services import retention_sweep
from tests.factories import ServiceFactory, WardFactory, square
from tests.outreach.factories import subscription_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(institution):
    return [WardFactory(code=f"WEST{i}", name=f"West {i}", boundary=square(28.0 + i * 0.01, -26.2))
            for i in range(3)]


def _fanout(ward_ids, service_id=None, prefix="notice:1", text="Water off until 18:00."):
    return alerts_fanout(ward_ids=ward_ids, service_id=service_id, change="notice",
                         template=NOTICE_TEMPLATE,
                         deferred_context={"text": text, "ward_ids": list(ward_ids)},
                         dedupe_prefix=prefix)


# --- subscribing ----------------------------------------------------------------------


def test_an_email_subscription_waits_for_its_link_then_counts(wards):
    subscription = subscription_request(channel="email", address=" Thandi@Example.org ",
                                        ward_ids=[wards[0].pk], consent=True)

    assert subscription.status == SubscriptionStatus.PENDING
    assert subscription.address == "thandi@example.org"
    confirm = OutboxMessage.objects.get(template="alert_confirm")
    assert confirm.recipient == "thandi@example.org"
    assert f"/alerts/confirm/{subscription.confirm_token}/" in confirm.body
    assert _fanout([wards[0].pk]) == 0  # not confirmed: nothing sent

    subscription_confirm(token=subscription.confirm_token)

    assert Subscription.objects.get(pk=subscription.pk).status == SubscriptionStatus.CONFIRMED
    assert _fanout([wards[0].pk], prefix="notice:2") == 1


def test_a_second_confirmation_click_is_harmless(wards):
    subscription = subscription_request(channel="email", address="a@example.org",
                                        ward_ids=[wards[0].pk], consent=True)
    first = subscription_confirm(token=subscription.confirm_token)

    again = subscription_confirm(token=subscription.confirm_token)

    assert again.status == SubscriptionStatus.CONFIRMED
    assert again.confirmed_at == first.confirmed_at


def test_an_sms_subscription_is_confirmed_by_the_code_it_was_sent(wards):
    subscription = subscription_request(channel="sms", address="082 123 4567",
                                        ward_ids=[wards[0].pk], consent=True)
    sms = OutboxMessage.objects.get(template="alert_confirm")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)

    assert sms.recipient == "+27821234567"
    assert sms_segments(sms.body) == 1
    subscription_confirm(token=subscription.confirm_token, code=f" {code[:3]} {code[3:]} ")

    assert Subscription.objects.get(pk=subscription.pk).status == SubscriptionStatus.CONFIRMED


def test_wrong_codes_are_counted_and_stop_after_five(wards):
    subscription = subscription_request(channel="sms", address="0821234567",
                                        ward_ids=[wards[0].pk], consent=True)
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError, match=f"{left} tries left"):
            subscription_confirm(token=subscription.confirm_token, code="000000x")
    with pytest.raises(DomainError, match="Too many wrong codes"):
        subscription_confirm(token=subscription.confirm_token, code="000000x")
    code = re.search(r"\b(\d{6})\b", OutboxMessage.objects.get(template="alert_confirm").body)

    with pytest.raises(DomainError, match="Too many wrong codes"):
        subscription_confirm(token=subscription.confirm_token, code=code.group(1))
    assert Subscription.objects.get(pk=subscription.pk).status == SubscriptionStatus.PENDING


@pytest.mark.parametrize(("channel", "address", "code"), [
    ("sms", "12345", "invalid_phone"),
    ("sms", "011 555 1234", "invalid_phone"),  # a landline cannot take an SMS
    ("sms", "call me", "invalid_phone"),
    ("sms", "", "invalid_phone"),
    ("email", "thandi@", "invalid_email"),
    ("email", "not an address", "invalid_email"),
    ("fax", "0821234567", "invalid_channel"),
])
def test_an_invalid_address_gets_a_clear_error_and_stores_nothing(wards, channel, address, code):
    with pytest.raises(DomainError) as raised:
        subscription_request(channel=channel, address=address, ward_ids=[wards[0].pk],
                             consent=True)

    assert raised.value.code == code
    assert raised.value.field in ("address", "channel")
    assert not Subscription.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_no_ward_unknown_ward_or_no_consent_is_refused(wards):
    for kwargs, code in (({"ward_ids": []}, "no_wards"),
                         ({"ward_ids": [999_999]}, "unknown_ward"),
                         ({"ward_ids": [wards[0].pk], "consent": False}, "consent_required"),
                         ({"ward_ids": [wards[0].pk], "service_ids": [999_999]},
                          "unknown_service")):
        with pytest.raises(DomainError) as raised:
            subscription_request(**{"channel": "email", "address": "a@example.org",
                                    "consent": True, **kwargs})
        assert raised.value.code == code
    assert not Subscription.objects.exists()


def test_a_point_and_radius_is_stored_as_the_wards_it_touches(wards):
    # West 0 spans lon 28.00-28.01, West 1 28.01-28.02: a point 300 m west of
    # their border reaches both with 500 m, only West 0 with 100 m.
    lat, lon = -26.195, 28.01 - 0.003

    near = subscription_request(channel="email", address="a@example.org", consent=True,
                                point=Point(lat=lat, lon=lon, radius_m=500))
    close = subscription_request(channel="email", address="b@example.org", consent=True,
                                 point=Point(lat=lat, lon=lon, radius_m=100))

    assert set(near.wards.values_list("code", flat=True)) == {"WEST0", "WEST1"}
    assert set(close.wards.values_list("code", flat=True)) == {"WEST0"}
    assert (near.lat, near.lon, near.radius_m) == (lat, lon, 500)


def test_a_point_far_from_every_ward_is_refused(wards):
    with pytest.raises(DomainError) as raised:
        subscription_request(channel="email", address="a@example.org", consent=True,
                             point=Point(lat=-30.0, lon=20.0, radius_m=1000))

    assert raised.value.code == "outside_wards"


def test_consent_is_recorded_with_its_wording(wards):
    subscription = subscription_request(channel="email", address="a@example.org",
                                        ward_ids=[wards[0].pk], consent=True)

    wording = ConsentWording.objects.get(pk=subscription.consent_wording_id)
    assert wording.purpose == "alerts"
    assert "alerts about service interruptions" in wording.text


# --- unsubscribing --------------------------------------------------------------------


def test_unsubscribe_ends_every_subscription_of_the_address_and_repeats_harmlessly(wards):
    first = subscription_make(address="+27821234567", ward_ids=[wards[0].pk])
    second = subscription_make(address="+27821234567", ward_ids=[wards[1].pk])
    other = subscription_make(address="+27829999999", ward_ids=[wards[0].pk])

    assert subscriptions_end(token=first.unsubscribe_token) == 2
    assert subscriptions_end(token=first.unsubscribe_token) == 0
    assert subscriptions_end(token="no-such-token") == 0

    statuses = dict(Subscription.objects.values_list("pk", "status"))
    assert statuses[second.pk] == statuses[first.pk] == SubscriptionStatus.ENDED
    assert statuses[other.pk] == SubscriptionStatus.CONFIRMED
    assert _fanout([wards[0].pk, wards[1].pk]) == 1


def test_confirming_after_unsubscribing_is_refused(wards):
    subscription = subscription_request(channel="email", address="a@example.org",
                                        ward_ids=[wards[0].pk], consent=True)
    subscriptions_end(token=subscription.unsubscribe_token)

    with pytest.raises(DomainError) as raised:
        subscription_confirm(token=subscription.confirm_token)

    assert raised.value.code == "ended"


# --- fan-out --------------------------------------------------------------------------


def test_fanout_reaches_confirmed_subscribers_of_the_wards_and_service_once(wards):
    water, power = ServiceFactory(code="water"), ServiceFactory(code="power")
    subscription_make(address="+27820000001", ward_ids=[wards[0].pk])  # every service
    subscription_make(address="+27820000002", ward_ids=[wards[1].pk], service_ids=[water.pk])
    subscription_make(address="+27820000003", ward_ids=[wards[0].pk], service_ids=[power.pk])
    subscription_make(address="+27820000004", ward_ids=[wards[2].pk])  # another ward
    subscription_make(address="+27820000005", ward_ids=[wards[0].pk],
                      status=SubscriptionStatus.PENDING)
    # One address, two subscriptions both matching, two wards hit: one message.
    subscription_make(address="a@example.org", channel="email", ward_ids=[wards[0].pk])
    subscription_make(address="a@example.org", channel="email",
                      ward_ids=[wards[0].pk, wards[1].pk])

    enqueued = _fanout([wards[0].pk, wards[1].pk], service_id=water.pk)

    assert enqueued == 3
    rows = OutboxMessage.objects.order_by("recipient")
    assert [m.recipient for m in rows] == ["+27820000001", "+27820000002", "a@example.org"]
    assert {(m.priority, m.status, m.template, m.body) for m in rows} == {
        (MessagePriority.BULK, MessageStatus.PENDING, NOTICE_TEMPLATE, "")}


def test_fanout_is_one_statement_and_deduplicated_per_change(wards):
    for n in range(30):
        subscription_make(address=f"+278200000{n:02d}", ward_ids=[wards[n % 3].pk])
    ward_ids = [w.pk for w in wards]

    with CaptureQueriesContext(connection) as queries:
        first = _fanout(ward_ids, prefix="interruption:7:started:0")
    again = _fanout(ward_ids, prefix="interruption:7:started:0")
    update = _fanout(ward_ids, prefix="interruption:7:updated:3")

    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "SELECT" in inserts[0]["sql"]
    assert (first, again, update) == (30, 0, 30)
    assert OutboxMessage.objects.count() == 60


def test_fanout_without_wards_enqueues_nothing(wards):
    subscription_make(address="+27820000001", ward_ids=[wards[0].pk])

    assert _fanout([]) == 0


def test_alerts_are_sent_in_the_subscribers_language_with_the_unsubscribe_link(
        wards, smtp_server, sms_gateway):
    sms = subscription_make(address="+27820000001", ward_ids=[wards[0].pk])
    email = subscription_make(address="a@example.org", channel="email", ward_ids=[wards[0].pk])
    _fanout([wards[0].pk], text="Water off in West 0 until 18:00 for a burst main.")

    assert outbox_send_due() == 2

    text = json.loads(sms_gateway.received[0].body)["text"]
    assert text.startswith("Water off in West 0 until 18:00 for a burst main. Stop: ")
    assert text.endswith(f"/alerts/u/{sms.unsubscribe_token}/")
    assert sms_segments(text) == 1
    message = smtp_server.messages[0]
    content = message.content.decode()
    assert f"/alerts/u/{email.unsubscribe_token}/" in content
    assert "List-Unsubscribe: <http" in content
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in content
    assert "Water off in West 0" in content


def test_preview_counts_addresses_and_segments(wards):
    subscription_make(address="+27820000001", ward_ids=[wards[0].pk])
    subscription_make(address="+27820000001", ward_ids=[wards[1].pk])
    subscription_make(address="+27820000002", ward_ids=[wards[1].pk])
    subscription_make(address="+27820000003", ward_ids=[wards[2].pk])

    assert alerts_preview([wards[0].pk, wards[1].pk], None, "Water off.") == (2, 1)
    assert alerts_preview([wards[0].pk], None, "Water off " * 20)[1] == 2
    assert alerts_preview([wards[0].pk], None, "Water’s off.")[1] == 2  # UCS-2: 70 per segment


def test_a_notice_from_staff_is_checked_and_fanned_out(wards):
    subscription_make(address="+27820000001", ward_ids=[wards[0].pk])

    for text, code in (("   ", "notice_empty"), ("x" * 481, "notice_too_long")):
        with pytest.raises(DomainError) as raised:
            notice_send(ward_ids=[wards[0].pk], service_id=None, text=text, by=None)
        assert raised.value.code == code
    assert notice_send(ward_ids=[wards[0].pk], service_id=None, text="Water off.", by=None) == 1


# --- retention ------------------------------------------------------------------------


def test_retention_drops_unconfirmed_and_ended_subscriptions(wards, settings):
    settings.ALERTS_UNCONFIRMED_DAYS = 7
    now = clock.now()
    old_pending = subscription_make(address="+27820000001", ward_ids=[wards[0].pk],
                                    status=SubscriptionStatus.PENDING,
                                    created_at=now - timedelta(days=8))
    new_pending = subscription_make(address="+27820000002", ward_ids=[wards[0].pk],
                                    status=SubscriptionStatus.PENDING,
                                    created_at=now - timedelta(days=6))
    ended = subscription_make(address="+27820000003", ward_ids=[wards[0].pk],
                              status=SubscriptionStatus.ENDED)
    kept = subscription_make(address="+27820000004", ward_ids=[wards[0].pk],
                             created_at=now - timedelta(days=400))

    with time_machine.travel(now, tick=False):
        result = retention_sweep()

    # Other apps answer the same sweep (with nothing to drop here).
    assert result.others["alert_subscriptions"] == 2
    assert not any(n for name, n in result.others.items() if name != "alert_subscriptions")
    left = set(Subscription.objects.values_list("pk", flat=True))
    assert left == {new_pending.pk, kept.pk}
    assert old_pending.pk not in left and ended.pk not in left


def test_an_alert_is_written_in_the_subscribers_language_where_a_template_exists(
        wards, tmp_path, sms_gateway):
    folder = tmp_path / "notify"
    folder.mkdir()
    (folder / "alert_notice.zu.sms.txt").write_text("Isaziso: {{ text }} {{ unsubscribe_url }}")
    # Nested inside sms_gateway's own override: pytest-django's `settings`
    # fixture would undo its change after the gateway's and leave the gateway
    # configured for every later test.
    engines = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]} for engine in django_settings.TEMPLATES]
    with override_settings(TEMPLATES=engines):
        subscription_make(address="+27820000001", ward_ids=[wards[0].pk], language="zu")
        subscription_make(address="+27820000002", ward_ids=[wards[0].pk], language="en")
        _fanout([wards[0].pk], text="Amanzi avaliwe.")

        outbox_send_due()

    texts = {json.loads(r.body)["to"]: json.loads(r.body)["text"] for r in sms_gateway.received}
    assert texts["+27820000001"].startswith("Isaziso: Amanzi avaliwe. http")
    assert texts["+27820000002"].startswith("Amanzi avaliwe. Stop: http")


def test_unsubscribing_takes_back_alerts_still_waiting_in_the_outbox(wards, sms_gateway):
    leaving = subscription_make(address="+27820000001", ward_ids=[wards[0].pk])
    subscription_make(address="+27820000002", ward_ids=[wards[0].pk])
    _fanout([wards[0].pk])

    subscriptions_end(token=leaving.unsubscribe_token)
    sent = outbox_send_due()

    assert sent == 1
    assert [json.loads(r.body)["to"] for r in sms_gateway.received] == ["+27820000002"]
    assert OutboxMessage.objects.get(recipient="+27820000001").status == MessageStatus.DROPPED


def test_the_interruption_templates_render_headline_and_stop_link(institution):
    context = {"institution": institution, "interruption": None, "change": "started",
               "headline": "Water off now until Tue 9 Dec 18:00. Burst main.",
               "sms_text": "Water off now until Tue 9 Dec 18:00. Burst main. Stop: http://x/u/",
               "unsubscribe_url": "http://x/alerts/u/abc/"}

    _subject, sms = message_render("sms", "alert_interruption", context)
    subject, email = message_render("email", "alert_interruption", context)

    assert sms == context["sms_text"]
    assert subject == context["headline"]
    assert email.endswith("http://x/alerts/u/abc/")
