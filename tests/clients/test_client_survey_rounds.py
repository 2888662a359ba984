"""Rounds of the client-service survey: who is asked, the quiet period, the link
to the group, and the scheduled task."""

import re
from datetime import timedelta

import psycopg
import pytest
import time_machine
from django.db import connection

from imbizo.clients.models import CaseClient, ResponseClient
from imbizo.clients.survey import round_send, rounds_due_send, rule_due
from imbizo.clients.survey_models import RoundRecipient, SurveyRound
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.engagement.models import Invitation
from imbizo.engagement.services import invitation_create
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from tests.clients.survey_factories import closed_case, groups, key_client, rule
from tests.support import at_once

pytestmark = pytest.mark.django_db

ANSWERS = {"value": "4", "ease": "5", "integrity": "4", "relevance": "3", "management": "4",
           "relationship": "5", "referral": "4", "recommend": "9"}


def _link(message: OutboxMessage) -> str:
    _subject, body = message_text(message)
    return re.search(r"https?://[^/\s]+(/survey/[^/\s]+/)", body).group(1)


def test_a_round_invites_consenting_contact_persons_and_recent_citizens(world):
    households, business = groups()
    key_client(world, business, people=[{"email": "owner@bakery.example", "consent": True},
                                        {"email": "clerk@bakery.example", "consent": False}])
    closed_case(world, phone="+27821110001", consent=True)
    closed_case(world, phone="+27821110002", consent=False)
    closed_case(world, phone="+27821110003", consent=True, days_ago=200)  # too long ago

    sent = round_send(rule=rule())

    assert (sent.invited, sent.skipped_quiet, sent.skipped_no_consent) == (2, 0, 2)
    recipients = {r.contact_person_id is not None: r for r in sent.recipients.all()}
    assert recipients[True].group == business and recipients[True].key_client is not None
    assert recipients[False].group == households and recipients[False].case is not None
    by_channel = sorted(OutboxMessage.objects.filter(template="client_survey")
                        .values_list("channel", "recipient"))
    assert by_channel == [("email", "owner@bakery.example"), ("sms", "+27821110001")]
    assert Invitation.objects.filter(instrument__code="client-service").count() == 2


def test_nobody_is_invited_twice_within_the_quiet_period(world, settings):
    settings.SURVEY_MIN_DAYS_BETWEEN = 30
    groups()
    closed_case(world, email="sipho@example.org")
    # Asked another survey a week ago.
    with time_machine.travel(clock.now() - timedelta(days=7)):
        invitation_create(instrument_code="after-contact", source="email",
                          identifier="sipho@example.org")

    sent = round_send(rule=rule(key_clients=False))

    assert (sent.invited, sent.skipped_quiet) == (0, 1)
    assert not OutboxMessage.objects.filter(template="client_survey").exists()


def test_a_rule_with_no_consenting_recipient_is_refused_and_records_nothing(world):
    _households, business = groups()
    key_client(world, business, people=[{"email": "clerk@bakery.example", "consent": False}])
    closed_case(world, phone="+27821110002", consent=False)

    with pytest.raises(DomainError) as refused:
        round_send(rule=rule(name="Everyone"))

    assert "Everyone" in refused.value.message and "agreed to be surveyed" in refused.value.message
    assert "2 left out" in refused.value.message
    assert not SurveyRound.objects.exists()


def test_a_citizen_sample_takes_the_rule_s_size(world):
    groups()
    for n in range(6):
        closed_case(world, phone=f"+2782111000{n}")

    sent = round_send(rule=rule(key_clients=False, citizen_size=2))

    assert sent.invited == 2


def test_an_answer_on_the_survey_page_is_linked_to_the_recipient_s_group(client, world):
    _households, business = groups()
    bakery = key_client(world, business, people=[{"email": "owner@bakery.example"}])
    round_send(rule=rule(citizens=False))
    link = _link(OutboxMessage.objects.get(template="client_survey"))

    page = client.get(link)
    assert page.status_code == 200
    assert "How likely are you to recommend us" in page.content.decode()
    answered = client.post(link, ANSWERS)

    assert answered.status_code == 200
    recipient = RoundRecipient.objects.get()
    assert recipient.response is not None
    link_row = ResponseClient.objects.get(response=recipient.response)
    assert (link_row.group, link_row.key_client) == (business, bakery)
    assert recipient.response.instrument.version == 2  # the version with the 0-10 question


def test_the_scheduled_task_sends_due_rules_once_per_period(world):
    groups()
    closed_case(world, email="sipho@example.org")
    quarterly = rule(key_clients=False)

    assert rounds_due_send() == 1
    assert rounds_due_send() == 0  # sent this quarter already
    quarterly.refresh_from_db()
    assert not rule_due(quarterly, clock.now() + timedelta(days=20))
    assert rule_due(quarterly, clock.now() + timedelta(days=95))


def test_the_scheduled_task_skips_a_rule_with_nobody_to_ask(world):
    groups()
    rule(key_clients=False)  # no closed cases at all

    assert rounds_due_send() == 0
    assert not SurveyRound.objects.exists()


def test_a_citizen_counts_in_the_group_chosen_for_their_case_and_a_rule_may_ask_one_group(world):
    households, business = groups()
    chosen = closed_case(world, email="shop@example.org")
    CaseClient.objects.create(case=chosen, group=business)
    closed_case(world, email="home@example.org")  # no link: the default group

    sent = round_send(rule=rule(key_clients=False, group=business))

    recipient = sent.recipients.get()
    assert (recipient.case_id, recipient.group) == (chosen.pk, business)
    assert households.pk != business.pk


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="row locks between connections need PostgreSQL")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_rule_another_worker_is_sending_is_left_to_it(world):
    groups()
    closed_case(world, email="sipho@example.org")
    quarterly = rule(key_clients=False)
    settings = connection.settings_dict
    other = psycopg.connect(dbname=settings["NAME"], user=settings["USER"],
                            host=settings["HOST"], port=settings["PORT"] or None)
    try:
        other.execute("SELECT 1 FROM clients_samplingrule WHERE id = %s FOR UPDATE",
                      [quarterly.pk])  # the other worker's transaction, still open
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # waiting for it would fail, not hang

        assert rounds_due_send() == 0
        assert not SurveyRound.objects.exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
        other.rollback()
        other.close()
    assert rounds_due_send() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_rounds_at_once_invite_each_person_once(world):
    groups()
    closed_case(world, email="sipho@example.org")
    rule(key_clients=False)
    results, errors = at_once(rounds_due_send)

    assert errors == []
    assert sorted(results) == [0, 1]
    assert SurveyRound.objects.count() == 1
    assert OutboxMessage.objects.filter(template="client_survey").count() == 1
