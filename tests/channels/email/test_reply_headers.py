"""The emails we send about a case carry its reply token; only the citizen's."""

import re

import pytest

from imbizo.channels.email_replies import email_receive
from imbizo.channels.models import Gateway
from imbizo.notify.delivery import outbox_send_due
from imbizo.notify.replies import case_ids_in, case_token, token_case_id

from .fixtures import CITIZEN
from .mails import reply_to, sent_to

pytestmark = pytest.mark.django_db


def test_the_acknowledgement_carries_the_case_token_three_times(citizen_case):
    sent = sent_to(CITIZEN)
    token = case_token(citizen_case.pk)

    assert sent["Reply-To"] == f"replies+{token}@muni.example"
    assert re.fullmatch(rf"<outbox-\d+\.\d+\.{token}@muni\.example>", sent["Message-ID"])
    assert sent["References"] == f"<case-{token}@muni.example>"


def test_the_token_is_not_the_reference_and_cannot_be_made_from_the_case_id(citizen_case):
    token = case_token(citizen_case.pk)

    assert citizen_case.reference not in token
    assert token_case_id(token) == citizen_case.pk
    assert token_case_id(token.upper()) == citizen_case.pk  # mail systems may change case
    mac = token.partition("-")[2]
    assert token_case_id(f"{citizen_case.pk + 1}-{mac}") is None
    assert token_case_id(f"{citizen_case.pk}-{'a' * 16}") is None
    assert token_case_id(f"{citizen_case.pk}-{mac[:-1]}") is None


def test_tokens_made_with_the_previous_secret_key_still_work(settings, citizen_case):
    token = case_token(citizen_case.pk)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50

    assert token_case_id(token) == citizen_case.pk
    assert case_token(citizen_case.pk) != token
    settings.SECRET_KEY_FALLBACKS = []
    assert token_case_id(token) is None


def test_tokens_are_found_in_any_header_text():
    first, second = case_token(7), case_token(8)

    text = f"<case-{first}@muni.example> replies+{second}@muni.example <case-{first}@x>"
    assert case_ids_in(text) == [7, 8]
    assert case_ids_in("replies+7-zzzzzzzzzzzzzzzz@muni.example 17") == []


def test_staff_emails_about_a_case_carry_no_reply_token(citizen_case, officer):
    # The officer is told of the citizen's reply: an email about the case, to staff.
    email_receive(gateway=_gateway(), raw=reply_to(sent_to(CITIZEN), body="Hi"))
    outbox_send_due()

    told = sent_to(officer.user.email)
    assert told["Reply-To"] is None
    assert str(citizen_case.pk) + "-" not in told["Message-ID"]
    assert told["References"] is None


def test_without_a_reply_mailbox_the_thread_headers_still_carry_the_token(settings, world):
    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.services import case_open

    settings.EMAIL_REPLY_ADDRESS = ""
    case = case_open(draft=CaseDraft(
        service_code=world.service.code, description="Leak", channel="web",
        citizen_email="sipho@example.net", contact_consent=True, ward_code=world.ward.code))
    outbox_send_due()

    sent = sent_to("sipho@example.net")
    assert sent["Reply-To"] is None
    assert case_ids_in(sent["Message-ID"]) == [case.pk]


def _gateway() -> Gateway:
    gateway = Gateway(kind="email", slug="replies", adapter="imap", settings={})
    gateway.secret_set("x")
    gateway.save()
    return gateway
