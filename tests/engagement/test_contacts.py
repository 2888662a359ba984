import pytest
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.models import Contact
from imbizo.notify.delivery import outbox_send_due
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.support import inside

pytestmark = pytest.mark.django_db


def test_an_agents_call_is_recorded_as_a_contact_with_a_pseudonym(client, world):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    client.force_login(agent.user)

    client.post(reverse("backoffice:intake"), {
        "channel": "hotline", "kind": "request", "service": "water-leak",
        "description": "No water", "citizen_phone": "082 765 4321", "priority": "normal",
        "wait_minutes": "4", "handling_minutes": "3", "idempotency_key": "k1",
    })
    client.post(reverse("backoffice:intake"), {  # the same form sent twice
        "channel": "hotline", "kind": "request", "service": "water-leak",
        "description": "No water", "citizen_phone": "082 765 4321", "priority": "normal",
        "wait_minutes": "4", "handling_minutes": "3", "idempotency_key": "k1",
    })

    contact = Contact.objects.get()
    assert (contact.channel, contact.staff, contact.case) == ("hotline", agent, Case.objects.get())
    assert (contact.wait_seconds, contact.handling_seconds) == (240, 180)
    assert contact.citizen_key == citizen_key("+27827654321")


def test_an_officer_records_a_contact_on_the_case_page(client, world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = case_open(draft=CaseDraft(service_code="water-leak", description="x", channel="web",
                                     **inside(world.ward)))
    client.force_login(officer.user)

    client.post(reverse("backoffice:case_action", args=[case.reference, "contact"]),
                {"contact-channel": "walk_in", "contact-wait_minutes": "25",
                 "contact-outcome": "Explained the delay"})

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()
    assert "Explained the delay" in page and "waited 25 minutes" in page
    assert Contact.objects.get().staff == officer


def test_messages_to_the_citizen_count_as_system_contacts(world):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="x", channel="web",
                                     citizen_email="c@example.org", contact_consent=True,
                                     **inside(world.ward)))

    outbox_send_due()

    contact = Contact.objects.get()
    assert (contact.kind, contact.channel, contact.case, contact.office) == (
        "system", "email", case, world.office)
    assert contact.citizen_key == citizen_key("c@example.org")


def test_the_case_page_shows_the_journey_with_its_perception_score(client, world):
    from imbizo.engagement.models import Instrument, Invitation
    from imbizo.engagement.services import invitation_create, invitation_get, response_submit

    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = case_open(draft=CaseDraft(service_code="water-leak", description="x", channel="web",
                                     **inside(world.ward)))
    token = invitation_create(instrument_code="after-contact", source=Invitation.Source.EMAIL,
                              case=case)
    response_submit(invitation=invitation_get(token),
                    answers={"concern": "2", "friendliness": "2", "civility": "2",
                             "overall": "2"})
    client.force_login(officer.user)

    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()

    assert 'id="perception"' in page
    assert "perception 25.0/100" in page  # four answers of 2: (2 - 1) / 4
    assert Instrument.objects.get(code="after-contact").name in page


def test_a_supervisor_prints_the_counter_qr_code_as_png_and_pdf(client, world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    client.force_login(supervisor.user)

    png = client.get(reverse("backoffice:counter_qr", args=[world.office.code, "png"]))
    pdf = client.get(reverse("backoffice:counter_qr", args=[world.office.code, "pdf"]))

    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_counter_qr_leads_to_a_working_survey(client, world):
    from imbizo.engagement.services import counter_token

    token = counter_token(world.office)

    assert counter_token(world.office) == token  # reprinting gives the same code
    page = client.get(f"/survey/{token}/")
    assert page.status_code == 200
    assert b"How did we treat you?" in page.content


def test_an_officer_of_another_office_cannot_print_its_code(client, world):
    from tests.factories import OfficeFactory

    other = StaffFactory(office=OfficeFactory(), role=Role.SUPERVISOR)
    client.force_login(other.user)

    response = client.get(reverse("backoffice:counter_qr", args=[world.office.code, "png"]))

    # Outside one's area is "not found", as for cases (docs/privacy.md).
    assert response.status_code == 404


def test_a_compliment_reaches_the_supervisor_and_the_head_of_department(world):
    from imbizo.notify.models import OutboxMessage
    from tests.factories import UserFactory

    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR,
                              user=UserFactory(email="sup@example.org"))
    head = StaffFactory(office=None, department=world.office.department, role=Role.MANAGER,
                        user=UserFactory(email="head@example.org"))
    world.office.department.head = head
    world.office.department.save()

    case_open(draft=CaseDraft(service_code="water-leak", kind="compliment", channel="web",
                              description="Thabo fixed our leak on a Sunday. Thank you!",
                              **inside(world.ward)))

    messages = OutboxMessage.objects.filter(template="compliment")
    assert sorted(messages.values_list("recipient", flat=True)) == [
        "head@example.org", "sup@example.org"]
    assert "Thabo fixed our leak" in messages.first().body
    assert supervisor.user.email == "sup@example.org"


def test_a_caller_who_agreed_is_invited_to_rate_the_call_once(client, world):
    from imbizo.engagement.models import Invitation
    from imbizo.notify.models import OutboxMessage

    agent = StaffFactory(office=world.office, role=Role.AGENT)
    client.force_login(agent.user)
    form = {"channel": "hotline", "kind": "request", "service": "water-leak",
            "description": "No water", "citizen_phone": "082 765 4321",
            "contact_consent": "on", "priority": "normal"}

    client.post(reverse("backoffice:intake"), {**form, "idempotency_key": "a"})
    client.post(reverse("backoffice:intake"), {**form, "idempotency_key": "b"})  # a 2nd call

    invitation = Invitation.objects.get()
    assert (invitation.instrument.code, invitation.staff) == ("after-contact", agent)
    sms = OutboxMessage.objects.get(template="survey_invitation")
    assert sms.recipient == "+27827654321" and "/survey/" in sms.body


def test_a_citizens_journey_spans_their_cases(client, world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    first, second = (case_open(draft=CaseDraft(
        service_code="water-leak", description=text, channel="web", citizen_phone="0827654321",
        contact_consent=True, **inside(world.ward))) for text in ("one", "two"))
    outbox_send_due()  # two acknowledgements: two system contacts for the same person
    client.force_login(officer.user)

    page = client.get(reverse("backoffice:citizen_journey", args=[second.reference]))

    text = page.content.decode()
    assert first.reference in text and second.reference in text
    assert "0827654321" not in text and "+27827654321" not in text
