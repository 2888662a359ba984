"""A citizen reports, follows and stops by SMS, through Africa's Talking's callback."""

from datetime import timedelta

import pytest
import time_machine

from imbizo.cases.models import Case
from imbizo.channels import dialogue
from imbizo.channels.models import Conversation, InboundMessage
from imbizo.core import clock
from imbizo.engagement.models import Contact
from imbizo.notify.delivery import message_send
from imbizo.notify.models import MessageStatus, OptOut, OutboxMessage
from imbizo.triage.suggest import ServiceGuess, Suggestion

from .conftest import OTHER_PHONE, PHONE, at_post, case_of, replies_to

pytestmark = pytest.mark.django_db


def texts(client, *messages, sender=PHONE) -> list[str]:
    """Send each message in turn; the replies queued for them."""
    before = len(replies_to(sender))
    for text in messages:
        assert at_post(client, text=text, sender=sender).status_code == 200
    return replies_to(sender)[before:]


def test_an_sms_dialogue_ends_in_a_case_with_its_reference_and_pledge(
        client, at_gateway, sms_world, caplog):
    replies = texts(client, "There is a burst pipe in our street")
    assert "Where is it?" in replies[-1] and "Water leak" in replies[-1]
    replies = texts(client, "thandanani clinic")
    assert "Send this report?" in replies[-1] and "Thandanani Clinic" in replies[-1]
    replies = texts(client, "1")
    case = Case.objects.get()
    assert case.channel == "sms" and case.citizen_phone == PHONE and case.contact_consent
    assert case.service == sms_world.service and case.ward == sms_world.ward
    assert case.description == "There is a burst pipe in our street"
    assert case.reference in replies[-1] and "We stop a leak within 2 working days." in replies[-1]
    # One acknowledgement: the reply, not also the usual "received" SMS.
    assert not OutboxMessage.objects.filter(case=case, template="case_received").exists()
    assert Contact.objects.filter(case=case, channel="sms").count() == 1
    assert set(InboundMessage.objects.values_list("case", flat=True)) == {case.pk}
    assert InboundMessage.objects.filter(outcome="case_opened").count() == 1
    assert not Conversation.objects.exists()
    assert "2782" not in caplog.text and "burst pipe" not in caplog.text
    for reply in replies_to():
        assert len(reply) <= 160, reply


def test_the_menu_leads_to_a_service_and_its_required_question(client, at_gateway, sms_world):
    [menu] = texts(client, "hello")
    assert "1 Roads 2 Water" in menu and "Halls" not in menu  # a date cannot be texted
    [roads] = texts(client, "1")
    assert "1 Pothole" in roads
    [where] = texts(client, "1")
    assert "Pothole. Where is it?" in where
    [what] = texts(client, sms_world.ward.name)
    assert what == "In a few words, what is wrong?"
    [question] = texts(client, "Deep hole near the school")
    assert question.startswith("How big is it? Reply with a number: 1 Smaller than a plate")
    [again] = texts(client, "7")
    assert "not one of the choices" in again
    [confirm] = texts(client, "2")
    assert "Pothole" in confirm
    [done] = texts(client, "1")
    case = Case.objects.get()
    assert case.attributes == {"size": "large"} and case.ward == sms_world.ward
    assert case.reference in done and "We fill a pothole within 5 working days." in done


def test_an_unknown_word_gets_the_menu(client, at_gateway, sms_world):
    [menu] = texts(client, "xyzzy")
    assert "Reply with a number or a few words" in menu
    assert InboundMessage.objects.get().outcome == "menu"


def test_a_place_not_found_is_asked_again(client, at_gateway, sms_world):
    texts(client, "burst pipe leaking here")
    [again] = texts(client, "Nowhere at all street")
    assert "could not find" in again
    assert Conversation.objects.get().step == "place"


def test_a_conversation_past_its_timeout_starts_again(client, at_gateway, sms_world):
    texts(client, "burst pipe leaking here")
    with time_machine.travel(clock.now() + timedelta(minutes=31), tick=False):
        notice, menu = texts(client, "thandanani clinic")
    assert notice.startswith("Your earlier report was not finished in time")
    assert "what is wrong?" in menu
    assert not Case.objects.exists()


def test_new_starts_a_report_though_a_case_is_open(client, at_gateway, sms_world):
    case_of(sms_world)
    [menu] = texts(client, "NEW")
    assert "what is wrong?" in menu
    [where] = texts(client, "2")  # the menu's second group: Water
    assert "1 Water leak" in where or "Where is it?" in where


def test_status_answers_for_the_citizens_own_case_only(client, at_gateway, sms_world):
    mine = case_of(sms_world)
    theirs = case_of(sms_world, phone=OTHER_PHONE)
    [own] = texts(client, f"status {mine.reference.lower().replace('-', ' ')}")
    assert own.startswith(f"{mine.reference} (Water leak): ") and "resolve it by" in own
    [other] = texts(client, f"STATUS {theirs.reference}")
    [unknown] = texts(client, "STATUS ABCD-EFGH")
    assert theirs.reference in other and "found no report" in other
    assert "Water leak" not in other and "found no report" in unknown
    assert InboundMessage.objects.filter(outcome="status").count() == 3
    # Asking after one's own report is a contact on SMS; the others are not.
    asked = Contact.objects.get(outcome="Asked for the status")
    assert asked.case == mine and asked.channel == "sms"
    assert InboundMessage.objects.filter(outcome="status", case__isnull=False).count() == 1


def test_a_status_reference_is_not_read_as_a_language(client, at_gateway, sms_world):
    # "EA9D-KEY6" once made the reply Sesotho: "ea" is a Sesotho word.
    theirs = case_of(sms_world, phone=OTHER_PHONE)
    Case.objects.filter(pk=theirs.pk).update(reference="EA9D-KEY6")
    [other] = texts(client, "STATUS EA9D-KEY6")
    assert "found no report" in other and "EA9D-KEY6" in other


def test_stop_ends_every_message_but_the_confirmation(client, at_gateway, sms_world):
    case = case_of(sms_world)
    waiting = OutboxMessage.objects.get(case=case, template="case_received")
    assert texts(client, "STOP") == []
    assert OptOut.objects.filter(channel="sms", address=PHONE).exists()
    confirmation = OutboxMessage.objects.get(template="channels/stopped")
    assert confirmation.recipient == PHONE and "no more messages" in confirmation.body
    waiting.refresh_from_db()
    assert waiting.status == MessageStatus.DROPPED
    # A reply is not even queued; what another writer queues in bulk (a new
    # report's acknowledgement) is dropped when its turn to be sent comes.
    assert texts(client, "STATUS " + case.reference) == []
    later = case_of(sms_world)
    acknowledgement = OutboxMessage.objects.get(case=later, template="case_received")
    assert not message_send(message_id=acknowledgement.pk)
    acknowledgement.refresh_from_db()
    assert acknowledgement.status == MessageStatus.DROPPED
    assert message_send(message_id=confirmation.pk)


def test_start_undoes_stop(client, at_gateway, sms_world):
    texts(client, "STOP")
    [back] = texts(client, "START")
    assert "again" in back
    assert not OptOut.objects.exists()


def test_replies_are_plain_text_not_html(client, at_gateway, sms_world):
    texts(client, "A burst pipe & \"flood\" at the clinic's gate")
    [confirm] = texts(client, "thandanani clinic")
    assert '"A burst pipe & "flood" at the c' in confirm
    assert "&amp;" not in confirm and "&quot;" not in confirm


def test_the_triage_suggestion_chooses_the_service_when_it_is_sure(client, at_gateway, sms_world,
                                                                   monkeypatch):
    monkeypatch.setattr(dialogue, "suggest", lambda **kw: Suggestion(
        services=[ServiceGuess(code="pothole", name="Pothole", confidence=0.9)],
        urgency="normal", model="test"))
    [where] = texts(client, "the road by the school has a big hole in it")
    assert where.startswith("Pothole. Where is it?")


def test_a_broken_triage_model_falls_back_to_the_keywords(client, at_gateway, sms_world,
                                                          monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(dialogue, "suggest", broken)
    [where] = texts(client, "burst pipe at the corner")
    assert where.startswith("Water leak. Where is it?")


def test_cancel_drops_a_report_under_way_without_stopping_messages(client, at_gateway, sms_world):
    texts(client, "burst pipe leaking here")
    [dropped] = texts(client, "Cancel")
    assert dropped.startswith("Nothing was sent.")
    assert not Conversation.objects.exists() and not OptOut.objects.exists()
