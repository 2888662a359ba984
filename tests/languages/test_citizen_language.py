"""The citizen's language is kept on the case and the contact, every message
to them is written in it, and staff see and correct it."""

import pytest
from django.urls import reverse
from django.utils import translation

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.services import case_language_change, case_open, case_update_citizen
from imbizo.core.errors import DomainError
from imbizo.engagement.models import Contact
from imbizo.engagement.services import contact_record, invite_after_contact
from imbizo.notify import services as notify_services
from imbizo.notify.models import OutboxMessage
from imbizo.notify.services import message_build
from imbizo.notify.stop import STOP_CONFIRMATION
from imbizo.notify.texts import message_render, message_text
from imbizo.org.selectors import institution_get
from tests.channels.conftest import SECRET, gateway_make
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def report(world, **extra) -> Case:
    return case_open(draft=CaseDraft(
        service_code="water-leak", description="Water leaking in the street", channel="web",
        ward_code=world.ward.code, citizen_phone="+27821234567",
        citizen_email="c@example.org", contact_consent=True, **extra))


def test_a_web_report_on_the_default_page_keeps_the_language_of_its_words(client, world):
    client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "idempotency_key": "k1",
        "description": "Kukho umbhobho wamanzi oqhekekileyo esitratweni sethu",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon)})
    assert Case.objects.get().language == "xh"  # found by triage: the page only said "default"


def test_a_web_report_keeps_the_language_explicitly_chosen(client, world, catalogues):
    client.cookies["django_language"] = "af"
    client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "idempotency_key": "k2",
        "description": "Kukho umbhobho wamanzi oqhekekileyo esitratweni sethu",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon)})
    assert Case.objects.get().language == "af"


def test_a_bad_language_in_a_draft_is_dropped_not_refused(world):
    assert report(world, language="klingon").language in ("", "en")
    assert report(world, language="ZU-za").language == "zu"


def test_the_language_chosen_on_the_phone_menu_is_kept(client, world, catalogues):
    gateway_make(kind="ussd", slug="africastalking",
                 settings={"menu": {"services": [world.service.code], "languages": ["en", "xh"]}})

    def step(text):
        return client.post(f"/channels/ussd/africastalking/{SECRET}/", {
            "sessionId": "s1", "serviceCode": "*120#", "phoneNumber": "+27821234567",
            "networkCode": "65501", "text": text}).content.decode()

    main = step("")
    choice = next(line.split(" ", 1)[0] for line in main.splitlines() if "isiXhosa" in line)
    inputs = [choice, "1", "1", world.ward.code, "Pipe burst outside number 12", "1"]
    for n in range(1, len(inputs) + 1):
        body = step("*".join(inputs[:n]))
    assert body.startswith("END"), body
    case = Case.objects.get()
    assert case.language == "xh"
    assert Contact.objects.get(case=case).language == "xh"
    assert OutboxMessage.objects.get(case=case, template="case_received").context[
        "language"] == "xh"


def test_every_case_message_is_written_in_the_cases_language(world, catalogues):
    case = report(world, language="zu")
    case_update_citizen(case=case, actor=None, message="Siyeza")
    translation.activate("af")  # the worker's own language has no say
    for message in OutboxMessage.objects.filter(case=case):
        assert message.context["language"] == "zu"
        with translation.override("zu"):
            expected = message_text(OutboxMessage(
                channel=message.channel, template=message.template, case=case,
                context={**message.context}))
        assert message_text(message) == expected


def test_a_message_built_now_is_rendered_in_the_given_language(world, catalogues):
    context = {"institution": institution_get()}
    with translation.override("af"):
        afrikaans = message_render("sms", STOP_CONFIRMATION, context)[1]
    with translation.override("en"):
        english = message_render("sms", STOP_CONFIRMATION, context)[1]
        built = message_build(channel="sms", recipient="+27820000000",
                              template=STOP_CONFIRMATION, context=context, language="af")
        unknown = message_build(channel="sms", recipient="+27820000000",
                                template=STOP_CONFIRMATION, context=context, language="xx")
    assert built.body == afrikaans
    assert unknown.body == english  # an unknown code: the institution's default
    deferred = message_build(channel="sms", recipient="+27820000000", template="case_updated",
                             deferred_context={"message": "hi"}, language="xh")
    assert deferred.context == {"message": "hi", "language": "xh"}


def test_a_survey_invitation_goes_in_the_cases_language(world, instruments, monkeypatch):
    case = report(world, language="st")
    staff = StaffFactory(office=world.office)
    contact = contact_record(channel="phone", office=world.office, staff=staff, case=case,
                             identifier=case.citizen_phone)
    assert contact.language == "st"
    rendered = []
    real = notify_services.message_render
    monkeypatch.setattr(notify_services, "message_render", lambda channel, template, context,
                        language=None: rendered.append((template, language))
                        or real(channel, template, context, language=language))
    with translation.override("en"):  # the member of staff's page language
        assert invite_after_contact(contact=contact, case=case)
    assert ("survey_invitation", "st") in rendered


def test_staff_correct_the_language_and_a_case_event_records_it(client, world, catalogues):
    case = report(world, language="zu")
    officer = StaffFactory(role="officer", office=world.office)
    client.force_login(officer.user)
    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()
    assert 'id="case-language"' in page and "isiZulu" in page and 'id="change-language"' in page

    response = client.post(reverse("backoffice:case_action", args=[case.reference, "language"]),
                           {"language": "xh", "note": "The caller asked for isiXhosa"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.language == "xh"
    event = case.events.get(kind=EventKind.LANGUAGE)
    assert event.details == {"from": "zu", "to": "xh"} and event.actor == officer
    # Messages still waiting follow the correction: they are rendered when sent.
    pending = OutboxMessage.objects.filter(case=case, template="case_received").first()
    translation.activate("en")
    with translation.override("xh"):
        expected = message_text(OutboxMessage(
            channel=pending.channel, template=pending.template, case=case,
            context={k: v for k, v in pending.context.items() if k != "language"}))
    assert pending.context["language"] == "zu"  # queued in isiZulu, sent in isiXhosa
    assert message_text(pending) == expected


def test_a_bad_language_code_from_staff_is_named(world):
    case = report(world)
    officer = StaffFactory(role="officer", office=world.office)
    with pytest.raises(DomainError, match="'fr'"):
        case_language_change(case=case, actor=officer, language="fr")


def test_roles_without_the_permission_cannot_change_the_language(client, world):
    case = report(world, language="zu")
    analyst = StaffFactory(role="analyst", office=world.office)
    client.force_login(analyst.user)
    response = client.post(reverse("backoffice:case_action", args=[case.reference, "language"]),
                           {"language": "xh"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.language == "zu"
