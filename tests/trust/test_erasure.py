"""A citizen's data export and erasure on request, leaving the anonymous case
history intact (ADR 0009)."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from imbizo.cases.models import Attachment, Case
from imbizo.core import clock
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.models import Answer, Contact, Instrument, Invitation, Response
from imbizo.engagement.services import contact_record
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.org.models import Role
from imbizo.privacy.models import AccessPurpose, ErasedCase, ErasureReason, PersonalDataAccess
from imbizo.privacy.selectors import citizen_find
from imbizo.privacy.services import citizen_erase, citizen_export
from tests.trust.conftest import CITIZEN, PERSONAL

pytestmark = pytest.mark.django_db
PHONE = "+27829990001"


@pytest.fixture
def rated(seed):
    """The seeded citizen also phoned once and rated us with a comment."""
    contact = contact_record(channel="hotline", case=seed.case, identifier=PHONE,
                             notes="Spoke to Nokuthula")
    instrument = Instrument.objects.get(code="after-contact", version=1)
    question = instrument.questions.filter(type="text").first() or instrument.questions.first()
    response = Response.objects.create(instrument=instrument, contact=contact, case=seed.case,
                                       citizen_key=citizen_key(PHONE),
                                       submitted_at=clock.now())
    Answer.objects.create(response=response, question=question, driver="keep",
                          text="Nokuthula says thanks")
    return seed


def erase(seed, **find):
    return citizen_erase(staff=seed.staff[Role.ADMINISTRATOR], match=citizen_find(**find),
                         note="letter 17")


def test_erasure_removes_what_identifies_the_citizen_from_their_case(
        rated, django_capture_on_commit_callbacks):
    photo = Path(Attachment.objects.get(case=rated.case).file.path)

    with django_capture_on_commit_callbacks(execute=True):
        assert erase(rated, phone="082 999 0001") == 1

    case = Case.objects.get(pk=rated.case.pk)
    held = [case.citizen_name, case.citizen_phone, case.citizen_email, case.address,
            case.description]
    assert held == ["", "", "", "", ""] and (case.lat, case.lon) == (None, None)
    assert not case.contact_consent
    assert not Attachment.objects.filter(case=case).exists() and not photo.exists()
    assert list(case.events.exclude(note="").values_list("note", flat=True)) == []


def test_erasure_keeps_the_anonymous_history(rated):
    before = Case.objects.values("service_id", "ward_id", "office_id", "status", "opened_at",
                                 "resolve_due_at").get(pk=rated.case.pk)
    kinds = list(rated.case.events.values_list("kind", "to_status"))

    erase(rated, phone="082 999 0001")

    after = Case.objects.values(*before).get(pk=rated.case.pk)
    assert after == before
    assert list(rated.case.events.values_list("kind", "to_status")) == kinds


def test_erasure_leaves_other_citizens_alone(rated):
    erase(rated, phone="082 999 0001")

    other = Case.objects.get(pk=rated.foreign_case.pk)
    assert other.citizen_name == "Thabo Other" and other.description == "Litter in the park"


def test_erasure_unlinks_the_citizens_journey_and_clears_their_comments(rated):
    erase(rated, phone="082 999 0001")

    key = citizen_key(PHONE)
    assert not Contact.objects.filter(citizen_key=key).exists()
    assert not Response.objects.filter(citizen_key=key).exists()
    assert not Invitation.objects.filter(citizen_key=key).exists()
    assert Contact.objects.get(case=rated.case, channel="hotline").notes == ""
    assert list(Answer.objects.exclude(text="").values_list("text", flat=True)) == []


def test_erasure_blanks_their_messages_and_stops_those_not_yet_sent(rated):
    erase(rated, phone="082 999 0001")

    messages = OutboxMessage.objects.filter(case=rated.case)
    assert messages.exists()
    assert [m for m in messages.values_list("recipient", "body", "subject") if any(m)] == []
    assert not messages.filter(status__in=(MessageStatus.PENDING, MessageStatus.SENDING)).exists()


def test_erasure_by_reference_finds_the_same_persons_other_cases(rated):
    from tests.trust.conftest import open_case

    second = open_case("water-leak", rated.case.ward, "Another leak",
                       citizen_email=CITIZEN["citizen_email"].upper())

    assert erase(rated, reference=rated.case.reference) == 2

    assert Case.objects.get(pk=second.pk).citizen_email == ""
    assert set(ErasedCase.objects.values_list("case_id", flat=True)) == {rated.case.pk,
                                                                         second.pk}


def test_erasure_is_recorded_with_who_why_and_the_request(rated):
    erase(rated, phone="082 999 0001")

    record = ErasedCase.objects.get()
    assert (record.reason, record.by, record.note) == (
        ErasureReason.REQUEST, rated.staff[Role.ADMINISTRATOR], "letter 17")
    assert PersonalDataAccess.objects.filter(purpose=AccessPurpose.ERASURE).count() == 1


def test_the_export_holds_their_data_and_the_consent_they_gave(rated):
    document = citizen_export(staff=rated.staff[Role.ADMINISTRATOR],
                              match=citizen_find(email=CITIZEN["citizen_email"]))

    (case,) = document["cases"]
    assert case["reference"] == rated.case.reference and case["phone"] == PHONE
    assert case["consents"][0]["version"] == 1 and "contact me" in case["consents"][0]["wording"]
    assert "A team is on the way." in [u["note"] for u in case["updates"]]
    assert document["survey_responses"][0]["answers"][0]["answer"] == "Nokuthula says thanks"
    assert PersonalDataAccess.objects.filter(purpose=AccessPurpose.EXPORT).count() == 1


def test_the_tracking_page_still_works_after_erasure(client, rated):
    erase(rated, phone="082 999 0001")

    page = client.get(reverse("portal:case_track", args=[rated.case.reference]))

    assert page.status_code == 200
    assert "A team is on the way" not in page.content.decode()


def test_an_administrator_exports_through_the_back_office(client, rated):
    client.force_login(rated.staff[Role.ADMINISTRATOR].user)

    response = client.post(reverse("backoffice:privacy_export"), {"phone": "0829990001"})

    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    assert json.loads(response.content)["cases"][0]["name"] == CITIZEN["citizen_name"]


def test_the_back_office_erases_only_with_the_request_and_the_confirmation(client, rated):
    client.force_login(rated.staff[Role.ADMINISTRATOR].user)
    url = reverse("backoffice:privacy_erase")

    client.post(url, {"phone": "0829990001", "note": "letter 17"})
    assert Case.objects.get(pk=rated.case.pk).citizen_phone == PHONE

    client.post(url, {"phone": "0829990001", "note": "letter 17", "confirm": "on"})
    assert Case.objects.get(pk=rated.case.pk).citizen_phone == ""


def test_the_request_page_lists_the_cases_found(client, rated):
    client.force_login(rated.staff[Role.ADMINISTRATOR].user)

    page = client.get(reverse("backoffice:privacy_request"),
                      {"phone": "082 999 0001"}).content.decode()

    assert rated.case.reference in page and rated.foreign_case.reference not in page


def test_a_search_with_nothing_to_find_by_says_so(client, rated):
    client.force_login(rated.staff[Role.ADMINISTRATOR].user)

    page = client.get(reverse("backoffice:privacy_request"), {"phone": ""}).content.decode()

    assert "Give a phone number, an email address or a case reference." in page


def test_after_erasure_no_back_office_page_shows_the_personal_data(client, rated):
    erase(rated, phone="082 999 0001")
    client.force_login(rated.staff[Role.OFFICER].user)

    page = client.get(reverse("backoffice:case_detail", args=[rated.case.reference]))

    body = page.content.decode()
    assert [v for v in PERSONAL if v in body] == []
    assert "Personal data removed on" in body
