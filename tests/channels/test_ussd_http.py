"""Africa's Talking USSD session callbacks over HTTP, in its form format."""

import datetime

import pytest
import time_machine

from imbizo.cases.models import Case
from imbizo.channels.models import InboundMessage
from imbizo.engagement.models import Contact, Response
from imbizo.engagement.services import contact_record
from tests.factories import StaffFactory

from .conftest import SECRET, case_of, gateway_make

pytestmark = pytest.mark.django_db

PHONE = "+27821234567"
NOON = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def ussd(world):
    world.ward.name = "Ward 5"
    world.ward.save()
    return gateway_make(kind="ussd", slug="africastalking",
                        settings={"menu": {"services": [world.service.code]}})


def step(client, text, *, session="ATUid_1", phone=PHONE, secret=SECRET, slug="africastalking"):
    response = client.post(f"/channels/ussd/{slug}/{secret}/", {
        "sessionId": session, "serviceCode": "*120*4629#", "phoneNumber": phone,
        "networkCode": "65501", "text": text})
    assert response["Content-Type"].startswith("text/plain")
    return response


def walk_to(client, inputs, **kwargs):
    bodies = [step(client, "", **kwargs).content.decode()]
    for n in range(1, len(inputs) + 1):
        bodies.append(step(client, "*".join(inputs[:n]), **kwargs).content.decode())
    return bodies


REPORT = ["1", "1", "5", "Pipe burst outside number 12", "1"]


def test_a_report_in_five_steps_ends_with_its_reference(client, ussd, world):
    bodies = walk_to(client, REPORT)
    assert bodies[0].startswith("CON What would you like to do?\n1 Report a problem")
    assert bodies[1].startswith("CON Which service?\n1 ")
    assert bodies[2] == "CON Your ward number, or a street or place name:\n0 Back"
    assert bodies[3].startswith("CON Describe the problem")
    assert bodies[4].startswith("CON Report ") and "\n1 Yes, send it\n2 No, cancel" in bodies[4]
    case = Case.objects.get()
    assert bodies[5] == f"END Thank you. Your reference is {case.reference}. {world.standard.pledge}"
    assert (case.channel, case.citizen_phone, case.ward, case.description) == (
        "ussd", PHONE, world.ward, "Pipe burst outside number 12")
    assert Contact.objects.get(case=case).channel == "ussd"
    assert InboundMessage.objects.get().outcome == "case_opened"
    assert all(len(body) - 4 <= 182 for body in bodies)


def test_the_last_step_posted_twice_opens_one_case(client, ussd):
    first = walk_to(client, REPORT)[-1]
    again = step(client, "*".join(REPORT)).content.decode()
    assert again == first
    assert Case.objects.count() == 1 and Contact.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_cancel_opens_nothing(client, ussd):
    assert walk_to(client, REPORT[:-1] + ["2"])[-1] == "END Nothing was sent. Dial again any time."
    assert Case.objects.count() == 0


def test_follow_gives_the_status_of_ones_own_case_only(client, ussd, world):
    mine = case_of(world, phone=PHONE)
    other = case_of(world, phone="+27829999999")
    body = walk_to(client, ["2", mine.reference.lower()])[-1]
    assert body.startswith(f"END {mine.reference} (") and "Received" in body
    body = walk_to(client, ["2", other.reference], session="ATUid_2")[-1]
    assert body.startswith("END We found no report") and "Received" not in body
    assert Contact.objects.filter(channel="ussd").count() == 2
    assert Contact.objects.get(channel="ussd", case=mine).outcome == "Status asked"


def test_rating_the_last_contact_is_a_survey_response_on_ussd(client, ussd, world):
    officer = StaffFactory(office=world.office)
    case = case_of(world, phone=PHONE)
    contact = contact_record(channel="hotline", staff=officer, office=world.office, case=case,
                             identifier=PHONE)
    bodies = walk_to(client, ["3", "4", "5", "9", "3", "2"])
    assert bodies[1].startswith("CON Did we show concern") and "1 = very poor" in bodies[1]
    assert bodies[4].startswith("CON Reply with a number from 1 to 5.")
    assert bodies[-1].startswith("END Thank you for rating us.")
    response = Response.objects.get()
    assert (response.channel, response.contact, response.staff, response.case) == (
        "ussd", contact, officer, case)
    assert {a.question.code: a.number for a in response.answers.all()} == {
        "concern": 4, "friendliness": 5, "civility": 3, "overall": 2}
    step(client, "3*4*5*9*3*2")
    assert Response.objects.count() == 1
    assert Contact.objects.filter(channel="ussd").count() == 1
    # Rated: nothing more to rate.
    assert walk_to(client, ["3"], session="ATUid_9")[-1].startswith("END We found no recent")


def test_a_session_resumed_after_its_timeout_starts_again(client, ussd):
    with time_machine.travel(NOON, tick=False) as traveller:
        step(client, "")
        assert step(client, "1").content.decode().startswith("CON Which service?")
        traveller.shift(datetime.timedelta(seconds=181))
        assert step(client, "1*1").content.decode().startswith("CON What would you like to do?")
        assert step(client, "1*1*1").content.decode().startswith("CON Which service?")
        assert step(client, "1*1*1*1").content.decode().startswith("CON Your ward number")


def test_a_session_within_its_timeout_goes_on(client, ussd):
    with time_machine.travel(NOON, tick=False) as traveller:
        step(client, "1")
        traveller.shift(datetime.timedelta(seconds=170))
        assert step(client, "1*1").content.decode().startswith("CON Your ward number")


@pytest.mark.parametrize("text, starts", [
    ("7", "CON Choose a number from the list.\nWhat would you like to do?"),
    ("1*9", "CON Choose a number from the list.\nWhich service?"),
    ("1*abc*%%", "CON Choose a number from the list.\nWhich service?"),
    ("1*1*Nowhere at all", "CON No place found."),
    ("1*1*5*x", "CON Please type a few words."),
    ("1*1*5*" + "y" * 200, "CON Too long: at most 120 characters."),
    ("3", "END We found no recent contact"),
    ("2*?", "CON Please type a few words."),
])
def test_bad_input_gets_the_same_screen_with_a_short_error(client, ussd, text, starts):
    response = step(client, text)
    assert response.status_code == 200
    assert response.content.decode().startswith(starts)
    assert Case.objects.count() == 0


def test_control_characters_are_refused_on_the_same_screen(client, ussd):
    body = walk_to(client, ["1", "1", "5", "Bad \u0000 bytes here"])[-1]
    assert body.startswith("CON Please type a few words.\nDescribe the problem")
    assert Case.objects.count() == 0


def test_a_report_the_intake_refuses_ends_politely_with_nothing_stored(client, ussd,
                                                                        monkeypatch):
    from imbizo.channels import ussd as sessions
    from imbizo.core.errors import DomainError

    def refuse(**kwargs):
        raise DomainError("place_needed", "Say where.")

    monkeypatch.setattr(sessions, "case_open_from_channel", refuse)
    body = walk_to(client, REPORT)[-1]
    assert body == "END Sorry, we could not do that now. Please try again later."
    assert Case.objects.count() == 0 and InboundMessage.objects.count() == 0


def test_unknown_gateway_or_secret_is_refused(client, ussd):
    assert client.post("/channels/ussd/africastalking/wrong/", {
        "sessionId": "x", "phoneNumber": PHONE, "text": ""}).status_code == 401
    assert client.post(f"/channels/ussd/nope/{SECRET}/", {
        "sessionId": "x", "phoneNumber": PHONE, "text": ""}).status_code == 401


def test_a_request_without_its_fields_is_refused_plainly(client, ussd):
    url = f"/channels/ussd/africastalking/{SECRET}/"
    assert client.post(url, {"text": "1"}).status_code == 400
    assert client.get(url).status_code == 405
    assert client.post(url, {"sessionId": "s", "phoneNumber": PHONE,
                             "text": "1" * 5000}).status_code == 400


def test_the_end_of_session_notification_is_answered(client, ussd):
    step(client, "1")
    response = client.post(f"/channels/ussd/africastalking/{SECRET}/", {
        "sessionId": "ATUid_1", "serviceCode": "*120*4629#", "phoneNumber": PHONE,
        "networkCode": "65501", "status": "Success", "durationInMillis": "9000",
        "input": "1", "date": "2026-12-07 10:00:00"})
    assert response.status_code == 200 and Case.objects.count() == 0


def test_a_service_with_required_questions_asks_them(client, ussd, world):
    from imbizo.catalogue.models import ServiceAttribute
    from imbizo.catalogue.snapshot import snapshot_reset

    ServiceAttribute.objects.create(
        service=world.service, code="where", datatype="singlevaluelist", required=True,
        description="Where is the leak?",
        values=[{"key": "street", "name": "In the street"}, {"key": "home", "name": "At home"}])
    ServiceAttribute.objects.create(service=world.service, code="meter", datatype="number",
                                    required=True, description="Meter number?")
    snapshot_reset()
    bodies = walk_to(client, ["1", "1", "5", "2", "4471", "Leak at the meter", "1"])
    assert bodies[3].startswith("CON Where is the leak?\n1 In the street\n2 At home")
    assert bodies[4].startswith("CON Meter number?")
    assert bodies[-1].startswith("END Thank you. Your reference is")
    assert Case.objects.get().attributes == {"where": "home", "meter": 4471.0}


def test_a_service_with_questions_a_menu_cannot_ask_is_not_offered(client, ussd, world):
    from imbizo.catalogue.models import ServiceAttribute
    from imbizo.catalogue.snapshot import snapshot_reset

    ServiceAttribute.objects.create(service=world.service, code="when", datatype="datetime",
                                    required=True, description="When did it start?")
    snapshot_reset()
    assert step(client, "1").content.decode().startswith("END No service can be reported")
