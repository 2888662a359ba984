"""Webhooks: written with the event, sent by the outbox after commit, signed,
retried with back-off, given up, replayed; nothing for a rolled-back change."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_acknowledge, case_note, case_open, case_resolve
from imbizo.cases.sweep import clocks_sweep
from imbizo.core.errors import DomainError
from imbizo.integrations.models import ApiKey, WebhookDelivery
from imbizo.integrations.services import apikey_revoke, webhook_replay, webhook_subscribe
from imbizo.integrations.webhooks import event_name, signature_header, signature_verify
from imbizo.notify.delivery import outbox_send_due
from imbizo.notify.models import MessageStatus, OutboxMessage
from tests.factories import DepartmentFactory, StaffFactory
from tests.integrations.conftest import subscribed
from tests.support import inside, sast

pytestmark = pytest.mark.django_db
T0 = sast(2026, 3, 2, 9)  # a Monday morning

CITIZEN = {"citizen_name": "Thandi Mokoena", "citizen_phone": "+27821234567",
           "citizen_email": "thandi@example.org", "contact_consent": True}


def opened(world, **changes) -> Case:
    return case_open(draft=CaseDraft(service_code="water-leak", channel="web",
                                     description="Burst pipe at 12 Long Street",
                                     **CITIZEN, **inside(world.ward), **changes))


def webhooks():
    return OutboxMessage.objects.filter(channel="webhook").order_by("id")


def received(consumer) -> list[dict]:
    return [json.loads(r.body) for r in consumer.received]


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


# --- the pure part ------------------------------------------------------------------------


@pytest.mark.parametrize("kind, to_status, name", [
    ("opened", "received", "case.opened"), ("status", "acknowledged", "case.acknowledged"),
    ("status", "in_progress", "case.started"), ("status", "waiting_citizen", "case.waiting"),
    ("status", "resolved", "case.resolved"), ("status", "closed", "case.closed"),
    ("reopened", "reopened", "case.reopened"), ("public_update", "", "case.updated"),
    ("breached", "", "case.breached"), ("escalated", "", "case.escalated"),
    ("assigned", "assigned", "case.assigned"), ("note", "", None),
])
def test_case_events_are_named_and_internal_notes_never_sent(kind, to_status, name):
    assert event_name(kind, to_status) == name


def test_a_signature_verifies_and_a_changed_body_or_old_timestamp_does_not():
    body = b'{"event":"case.opened"}'
    header = signature_header("whsec_test", 1_780_000_000, body)

    assert signature_verify(secret="whsec_test", header=header, body=body, now=1_780_000_100)
    assert not signature_verify(secret="whsec_test", header=header, body=body + b" ",
                                now=1_780_000_100)
    assert not signature_verify(secret="other", header=header, body=body, now=1_780_000_100)
    assert not signature_verify(secret="whsec_test", header=header, body=body,
                                now=1_780_000_000 + 301)


# --- written with the event, sent after commit --------------------------------------------


def test_an_opened_case_is_posted_signed_and_without_personal_data(world, consumer, frozen):
    subscription, secret = subscribed(consumer)
    case = opened(world)

    assert webhooks().get().case_id == case.pk  # written with the case
    outbox_send_due()

    [request] = consumer.received
    body = json.loads(request.body)
    assert body["event"] == "case.opened"
    assert body["case"]["reference"] == case.reference
    assert body["case"]["ward"] == world.ward.code
    assert body["case"]["office"] == world.office.code
    assert "personal" not in body
    for secret_text in (*CITIZEN.values(), "Long Street"):
        assert str(secret_text) not in request.body
    assert request.headers["Imbizo-Event"] == "case.opened"
    assert signature_verify(secret=secret, header=request.headers["Imbizo-Signature"],
                            body=request.body.encode(), now=int(T0.timestamp()))


def test_a_key_with_the_personal_scope_is_sent_the_citizens_details(world, consumer, frozen):
    subscribed(consumer, scopes="read,personal")
    opened(world)

    outbox_send_due()

    [body] = received(consumer)
    assert body["personal"]["citizen_phone"] == "+27821234567"
    assert body["personal"]["description"] == "Burst pipe at 12 Long Street"


def test_a_status_change_is_sent_right_after_its_commit(world, consumer, frozen,
                                                       django_capture_on_commit_callbacks):
    subscribed(consumer, events="case.acknowledged")
    case = opened(world)

    with django_capture_on_commit_callbacks(execute=True):
        case_acknowledge(case=case, actor=None, note="On our way")

    [body] = received(consumer)
    assert body["event"] == "case.acknowledged"
    assert body["change"] == {"from_status": "received", "to_status": "acknowledged",
                              "note": "On our way"}
    assert webhooks().get().status == MessageStatus.SENT
    assert webhooks().get().response_status == 200


def test_a_rolled_back_change_sends_nothing(world, consumer, frozen,
                                            django_capture_on_commit_callbacks):
    subscribed(consumer, events="case.acknowledged")
    case = opened(world)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        case_acknowledge(case=case, actor=None)
        raise RuntimeError("the request failed after the change")
    outbox_send_due()

    assert not webhooks().exists()
    assert consumer.received == []


def test_only_the_subscribed_events_are_sent(world, consumer, frozen):
    subscribed(consumer, events="case.resolved")
    case = opened(world)
    case_acknowledge(case=case, actor=None)
    case_note(case=case, actor=StaffFactory(office=world.office), note="internal")
    case_resolve(case=case, actor=None, outcome="fixed", note="Pipe replaced")

    assert list(webhooks().values_list("template", flat=True)) == ["case.resolved"]


def test_internal_notes_are_never_sent(world, consumer, frozen):
    subscribed(consumer)
    case = opened(world)

    case_note(case=case, actor=StaffFactory(office=world.office), note="Neighbour is a plumber")

    assert list(webhooks().values_list("template", flat=True)) == ["case.opened"]


def test_a_department_key_hears_only_of_its_departments_cases(world, consumer, frozen):
    subscribed(consumer, department=DepartmentFactory(code="roads"))

    opened(world)

    assert not webhooks().exists()


def test_a_revoked_key_is_sent_nothing_more(world, consumer, frozen):
    subscribed(consumer)
    case = opened(world)
    apikey_revoke(key=ApiKey.objects.get())

    case_acknowledge(case=case, actor=None)
    outbox_send_due()

    delivery = webhooks().get()  # the opening, written before the key was revoked
    assert delivery.status == MessageStatus.FAILED  # given up at once, not retried
    assert "revoked" in delivery.last_error
    assert consumer.received == []


def test_a_subscription_needs_a_read_key_a_known_event_and_a_web_address(world):
    from imbizo.integrations.services import apikey_create

    key, _raw = apikey_create(name="Citizen app", scopes="open311")
    reader, _raw = apikey_create(name="CRM", scopes="read")

    for kwargs, field in (({"key": key, "url": "https://crm.example.org/hook"}, "key"),
                          ({"key": reader, "url": "ftp://crm.example.org"}, "url"),
                          ({"key": reader, "url": "https://x.org", "events": "case.lost"},
                           "events")):
        with pytest.raises(DomainError) as error:
            webhook_subscribe(**kwargs)
        assert error.value.field == field


# --- retries, giving up, replay -----------------------------------------------------------


def test_a_failed_delivery_is_retried_with_back_off_until_it_succeeds(world, consumer, frozen):
    subscribed(consumer)
    opened(world)
    consumer.status = 503

    outbox_send_due()
    delivery = webhooks().get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        MessageStatus.PENDING, 1, 503)
    assert timedelta(minutes=1) <= delivery.next_attempt_at - T0 <= timedelta(minutes=1.2)

    outbox_send_due()  # not due yet
    assert len(consumer.received) == 1

    consumer.status = 200
    frozen.shift(timedelta(minutes=2))
    outbox_send_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        MessageStatus.SENT, 2, 200)
    assert delivery.response_ms is not None
    assert len(consumer.received) == 2
    first, second = consumer.received
    assert first.body == second.body  # the same event, signed again
    assert first.headers["Imbizo-Delivery"] == second.headers["Imbizo-Delivery"]


def test_a_delivery_is_given_up_after_the_last_attempt(world, consumer, frozen, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    subscribed(consumer)
    opened(world)
    consumer.status = 500

    for _ in range(3):
        outbox_send_due()
        frozen.shift(timedelta(hours=1))
    outbox_send_due()

    delivery = webhooks().get()
    assert (delivery.status, delivery.attempts) == (MessageStatus.FAILED, 3)
    assert delivery.last_error.startswith("DeliveryFailed: HTTP 500")
    assert len(consumer.received) == 3


def test_a_redirect_is_a_failure_not_followed(world, consumer, frozen):
    subscribed(consumer)
    opened(world)
    consumer.status = 302
    consumer.answer_headers = {"Location": "http://127.0.0.1:9/elsewhere"}

    outbox_send_due()

    assert webhooks().get().response_status == 302
    assert webhooks().get().status == MessageStatus.PENDING


def test_a_consumer_that_does_not_answer_is_retried(world, frozen, settings):
    from tests.notify.servers import free_port

    settings.WEBHOOK_TIMEOUT = 2
    from imbizo.integrations.services import apikey_create
    key, _raw = apikey_create(name="Gone", scopes="read")
    webhook_subscribe(key=key, url=f"http://127.0.0.1:{free_port()}/hook")
    opened(world)

    outbox_send_due()

    delivery = webhooks().get()
    assert delivery.status == MessageStatus.PENDING
    assert "no answer" in delivery.last_error


def test_a_replay_sends_the_same_body_again_as_a_new_delivery(world, consumer, frozen,
                                                              django_capture_on_commit_callbacks):
    subscribed(consumer)
    opened(world)
    outbox_send_due()
    original = webhooks().get()

    with django_capture_on_commit_callbacks(execute=True):
        replay = webhook_replay(delivery=original)

    replay.refresh_from_db()
    assert replay.status == MessageStatus.SENT
    assert replay.context["replay_of"] == original.pk
    first, second = received(consumer)
    assert first == second
    assert consumer.received[1].headers["Imbizo-Delivery"] == str(replay.pk)


def test_the_replay_command_replays_failed_deliveries(world, consumer, frozen, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    subscribed(consumer)
    opened(world)
    consumer.status = 500
    outbox_send_due()
    consumer.status = 200
    out = StringIO()

    call_command("webhook", "replay", "--failed", stdout=out)
    outbox_send_due()

    assert "1 " in out.getvalue()
    statuses = list(webhooks().values_list("status", flat=True))
    assert statuses == [MessageStatus.FAILED, MessageStatus.SENT]


def test_the_admin_lists_deliveries_and_replays_them(world, consumer, frozen, admin_client,
                                                     django_capture_on_commit_callbacks):
    subscribed(consumer)
    opened(world)
    outbox_send_due()
    delivery = WebhookDelivery.objects.get()

    page = admin_client.get("/admin/integrations/webhookdelivery/")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/integrations/webhookdelivery/",
                          {"action": "replay", "_selected_action": [delivery.pk]})

    assert page.status_code == 200
    assert "case.opened" in page.content.decode()
    assert webhooks().count() == 2
    assert len(consumer.received) == 2
    assert admin_client.get("/admin/notify/outboxmessage/").content.decode().count(
        "case.opened") == 0  # webhooks have their own page


# --- cost ---------------------------------------------------------------------------------


def _queries_of(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_opening_a_case_costs_no_extra_query_for_webhooks(world, consumer, frozen):
    opened(world)  # warm the per-process snapshots
    without = _queries_of(lambda: opened(world))
    subscribed(consumer)
    opened(world)
    with_one = _queries_of(lambda: opened(world))

    # SQLite inserts each row of the case in turn: one more for the message.
    # PostgreSQL inserts them in one statement: nothing more.
    assert with_one - without == (0 if connection.vendor == "postgresql" else 1)


def test_the_sweep_reads_the_cases_of_a_batch_once_whatever_its_size(world, consumer):
    subscribed(consumer, events="case.breached")
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            opened(world)
    with time_machine.travel(T0 + timedelta(days=30), tick=False):
        three = _queries_of(clocks_sweep)
    with time_machine.travel(T0, tick=False):
        for _ in range(9):
            opened(world)
    with time_machine.travel(T0 + timedelta(days=60), tick=False):
        nine = _queries_of(clocks_sweep)

    assert webhooks().filter(template="case.breached").count() == 12
    assert nine == three


def test_a_subscription_made_in_the_admin_shows_its_secret_once(world, admin_client):
    from imbizo.integrations.models import WebhookSubscription
    from imbizo.integrations.services import apikey_create

    key, _raw = apikey_create(name="CRM", scopes="read")

    page = admin_client.post("/admin/integrations/webhooksubscription/add/", {
        "key": key.pk, "url": "https://crm.example.org/hook", "events": ["case.resolved"],
        "active": "on"})

    subscription = WebhookSubscription.objects.get()
    assert page.status_code == 200
    assert subscription.secret in page.content.decode()
    assert subscription.events == ["case.resolved"]
    assert subscription.secret not in admin_client.get(
        f"/admin/integrations/webhooksubscription/{subscription.pk}/change/").content.decode()
