"""Ratings from basic phones, and the sender's number as personal data."""

from datetime import timedelta

import pytest

from imbizo.channels.models import Conversation, InboundMessage
from imbizo.core import clock
from imbizo.engagement.models import Answer, Response
from imbizo.engagement.selectors import scores_by
from imbizo.engagement.services import contact_record, invite_after_contact
from imbizo.notify.models import OptOut, OutboxMessage
from imbizo.privacy.selectors import citizen_find
from imbizo.privacy.services import citizen_erase, citizen_export, retention_sweep
from tests.factories import StaffFactory

from .conftest import PHONE, at_post, case_of, replies_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(sms_world):
    """A citizen served by an officer and invited by SMS to rate the contact."""
    case = case_of(sms_world)
    officer = StaffFactory(office=sms_world.office)
    contact = contact_record(channel="hotline", case=case, office=sms_world.office,
                             staff=officer, identifier=PHONE)
    assert invite_after_contact(contact=contact, case=case)
    return case


def test_the_invitation_sms_asks_the_first_question(invited):
    invitation = OutboxMessage.objects.get(template="survey_invitation")
    assert "Or reply here: Did we show concern for you and your problem? Reply 1 (poor) to 5" \
        in invitation.body


def test_a_survey_is_answered_by_sms_question_by_question(client, at_gateway, invited):
    at_post(client, text="4")
    assert "How friendly were we?" in replies_to()[-1]
    at_post(client, text="9")
    assert replies_to()[-1].startswith("Please reply with a number from 1 to 5.")
    at_post(client, text="5")
    at_post(client, text="3")
    assert "Overall" in replies_to()[-1]
    at_post(client, text="4")
    assert replies_to()[-1].startswith("Thank you for your answers")
    response = Response.objects.get()
    assert response.case == invited
    assert dict(Answer.objects.values_list("question__code", "number")) == {
        "concern": 4, "friendliness": 5, "civility": 3, "overall": 4}
    assert InboundMessage.objects.filter(outcome="survey_answer").count() == 5
    assert not Conversation.objects.exists()
    # Once answered, a number is an ordinary message again (added to the open case).
    at_post(client, text="5")
    assert InboundMessage.objects.latest("id").outcome == "case_message"


def test_rating_figures_name_the_channel(client, at_gateway, sms_world):
    """The figures by channel read "SMS", not a code (engagement.scores_by)."""
    case = case_of(sms_world)
    case.channel = "ussd"
    case.save(update_fields=["channel"])
    contact = contact_record(channel="ussd", case=case, office=sms_world.office,
                             staff=StaffFactory(office=sms_world.office), identifier=PHONE)
    invite_after_contact(contact=contact, case=case)
    for answer in ("4", "4", "4", "4"):
        at_post(client, text=answer)
    [row] = scores_by(dimension="channel", since=clock.now() - timedelta(days=1),
                      until=clock.now() + timedelta(days=1))
    assert row.label == "USSD menu" and row.key == "ussd"


def test_the_citizens_messages_are_exported_and_erased(client, at_gateway, sms_world):
    case = case_of(sms_world)
    at_post(client, text="My neighbour Thabo says it is worse")
    at_post(client, text="STOP")
    staff = StaffFactory(office=sms_world.office)
    match = citizen_find(phone=PHONE)
    document = citizen_export(staff=staff, match=match)
    assert [m["text"] for m in document["channel_messages"]] == [
        "My neighbour Thabo says it is worse", "STOP"]
    assert document["channel_messages"][0]["case"] == case.reference
    assert document["opt_outs"][0]["channel"] == "sms"
    citizen_erase(staff=staff, match=match, note="asked by the citizen")
    assert not InboundMessage.objects.filter(sender=PHONE).exists()
    assert not InboundMessage.objects.exclude(text="").exists()
    assert not OptOut.objects.exists()


def test_retention_strips_old_messages_and_conversations(client, at_gateway, sms_world):
    at_post(client, text="burst pipe leaking here")
    assert Conversation.objects.exists()
    retention_sweep(now=clock.now() + timedelta(days=5 * 366))
    message = InboundMessage.objects.get()
    assert message.sender == "[erased]" and message.text == ""
    assert not Conversation.objects.exists()


def test_a_public_case_page_never_shows_a_message(client, at_gateway, sms_world):
    case = case_of(sms_world)
    at_post(client, text="Private words about my neighbour")
    page = client.get(f"/track/{case.reference}/")
    assert page.status_code == 200
    assert b"Private words" not in page.content and b"2782" not in page.content
