"""The channel services other adapters build on (USSD, WhatsApp, email)."""

import pytest

from imbizo.channels.adapters import Inbound, adapter_for
from imbizo.channels.models import InboundMessage
from imbizo.channels.services import (
    case_open_from_channel,
    inbound_receive,
    open_case_of,
    opt_out,
    opted_out,
    status_text,
)
from imbizo.engagement.models import Contact
from imbizo.notify.delivery import outbox_send_due
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.notify.services import message_build, message_enqueue

from .conftest import PHONE, case_of

pytestmark = pytest.mark.django_db


def test_a_case_opened_on_whatsapp_is_acknowledged_on_whatsapp(at_gateway, sms_world):
    case = case_open_from_channel(channel="whatsapp", sender="27821234567",
                                  service=sms_world.service, description="Pipe burst",
                                  ward=sms_world.ward, idempotency_key="wa-1")
    assert case.citizen_phone == PHONE and case.channel == "whatsapp"
    [acknowledgement] = OutboxMessage.objects.filter(case=case, template="case_received")
    assert acknowledgement.channel == "whatsapp" and acknowledgement.recipient == PHONE
    assert Contact.objects.get(case=case).channel == "whatsapp"
    again = case_open_from_channel(channel="whatsapp", sender=PHONE, service=sms_world.service,
                                   description="Pipe burst", idempotency_key="wa-1")
    assert again == case and Contact.objects.filter(case=case).count() == 1


def test_a_case_opened_by_ussd_is_acknowledged_by_sms(sms_world):
    case = case_open_from_channel(channel="ussd", sender=PHONE, service=sms_world.service,
                                  description="Pipe burst", ward=sms_world.ward,
                                  idempotency_key="ussd-1")
    assert OutboxMessage.objects.get(case=case, template="case_received").channel == "sms"


def test_an_email_sender_is_the_citizens_email(sms_world):
    case = case_open_from_channel(channel="email", sender="Thandi@Example.org",
                                  service=sms_world.service, description="Pipe burst",
                                  ward=sms_world.ward, idempotency_key="mail-1")
    assert case.citizen_email == "thandi@example.org" and not case.citizen_phone
    assert open_case_of(channel="email", address="THANDI@example.org") == case
    assert "Water leak" in status_text(reference=case.reference, address="thandi@example.org")


def test_open_case_of_matches_the_number_however_it_is_written(sms_world):
    case = case_of(sms_world)
    assert open_case_of(channel="sms", address="082 123 4567") == case
    assert open_case_of(channel="whatsapp", address="27821234567") == case
    assert open_case_of(channel="sms", address="+27831112222") is None


def test_inbound_receive_stores_a_provider_id_once(at_gateway):
    first, created = inbound_receive(gateway=at_gateway, inbound=Inbound(
        provider_id="p1", sender="0821234567", text="hi"))
    second, again = inbound_receive(gateway=at_gateway, inbound=Inbound(
        provider_id="p1", sender="0821234567", text="hi"))
    assert created and not again and first == second
    assert InboundMessage.objects.get().sender == PHONE


def test_an_opt_out_holds_for_every_sender_but_the_confirmation(sms_world):
    opt_out(channel="ussd", address="0821234567")  # a USSD STOP stops SMS
    assert opted_out("sms", PHONE) and opted_out("ussd", PHONE)
    assert not opted_out("whatsapp", PHONE)
    assert message_enqueue(channel="sms", recipient=PHONE, template="channels/reply",
                           context={"text": "x"}) is None
    assert OutboxMessage.objects.filter(template="channels/stopped").count() == 1


def test_the_registry_knows_the_sms_adapters():
    assert adapter_for("sms", "africastalking").name == "africastalking"
    with pytest.raises(LookupError):
        adapter_for("sms", "carrier-pigeon")


def test_the_outbox_sweep_drops_what_was_queued_in_bulk_for_an_opted_out_number(sms_world):
    opt_out(channel="sms", address=PHONE)
    bulk = [message_build(channel="sms", recipient=recipient, template="channels/reply",
                          context={"text": "Water off tomorrow"})
            for recipient in (PHONE, "+27831112222")]
    OutboxMessage.objects.bulk_create(bulk)  # as ward alerts are written

    assert outbox_send_due() == 2  # the other number's alert and the STOP confirmation
    statuses = dict(OutboxMessage.objects.filter(template="channels/reply")
                    .values_list("recipient", "status"))
    assert statuses == {PHONE: MessageStatus.DROPPED, "+27831112222": MessageStatus.SENT}
    assert OutboxMessage.objects.get(template="channels/stopped").status == MessageStatus.SENT
