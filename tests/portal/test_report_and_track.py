
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imbizo.cases.models import Attachment, Case
from imbizo.cases.services import calendar_reset, case_resolve
from imbizo.notify.models import OutboxMessage
from tests.languages.conftest import catalogues  # noqa: F401 (a fixture)
from tests.support import PNG, sast


def reopen_secret_sent(case) -> str:
    """The reopen code in the citizen's resolution message."""
    return OutboxMessage.objects.filter(case=case, template="case_resolved").first(
        ).context["reopen_secret"]


@pytest.fixture
def form(world):
    return {
        "kind": "request", "service": "water-leak", "description": "Burst pipe on the corner",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
        "citizen_name": "Lerato Khumalo", "citizen_phone": "082 555 0101",
        "citizen_email": "lerato@example.org", "contact_consent": "on",
        "idempotency_key": "k-1",
    }


def test_a_report_gets_a_reference_at_once_and_lands_on_its_tracking_page(client, form):
    response = client.post(reverse("portal:report"), form, follow=True)

    case = Case.objects.get()
    assert response.redirect_chain[-1][0].startswith(f"/track/{case.reference}/?new=1&secret=")
    assert case.reference.encode() in response.content
    assert b"We received your report." in response.content


def test_the_tracking_page_shows_no_personal_data(client, form):
    client.post(reverse("portal:report"), form)
    case = Case.objects.get()

    page = client.get(reverse("portal:case_track", args=[case.reference])).content.decode()

    for private in ("Lerato", "Khumalo", "555 0101", "+27825550101", "lerato@example.org"):
        assert private not in page


def test_contact_details_in_public_notes_are_masked_on_the_tracking_page(client, form):
    client.post(reverse("portal:report"), form)
    case = Case.objects.get()
    case_resolve(case=case, actor=None, outcome="fixed")
    client.post(reverse("portal:case_reopen", args=[case.reference]),
                {"reason": "Still leaking, call me on 082 555 0199 or mail lk@example.org",
                 "secret": reopen_secret_sent(case)})

    page = client.get(reverse("portal:case_track", args=[case.reference])).content.decode()

    assert "Still leaking, call me on" in page
    assert "555 0199" not in page and "lk@example.org" not in page
    assert case.events.filter(kind="reopened", note__contains="082 555 0199").exists()  # kept for staff


def test_a_photo_is_checked_by_content(client, form):
    form["photo"] = SimpleUploadedFile("leak.png", PNG, content_type="image/png")

    client.post(reverse("portal:report"), form)

    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert not attachment.file.name.endswith("leak.png")


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(client, form):
    form["photo"] = SimpleUploadedFile("leak.png", b"%PDF-1.4 not an image",
                                       content_type="image/png")

    response = client.post(reverse("portal:report"), form)

    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in response.context["form"].errors["photo"][0]
    assert Case.objects.count() == 0


def test_an_oversized_photo_is_refused(client, form):
    form["photo"] = SimpleUploadedFile("big.png", PNG + b"\0" * (5 * 1024 * 1024),
                                       content_type="image/png")

    response = client.post(reverse("portal:report"), form)

    assert "the limit is 5 MB" in response.context["form"].errors["photo"][0]
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"lat": "10", "lon": "10"}, "address", "outside the area we serve"),
        ({"lat": "", "lon": "", "address": ""}, "address", "Tell us where"),
        ({"citizen_phone": "0800"}, "citizen_phone", "not valid"),
        ({"service": "no-such-service"}, "service", "valid choice"),
        ({"description": ""}, "description", "required"),
    ],
)
def test_bad_input_names_the_field(client, form, changes, field, words):
    form.update(changes)

    response = client.post(reverse("portal:report"), form)

    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert Case.objects.count() == 0


def test_a_repeated_submission_returns_the_first_case(client, form):
    client.post(reverse("portal:report"), form)
    client.post(reverse("portal:report"), form)

    assert Case.objects.count() == 1


def test_overdue_is_shown_plainly(client, world, form):
    with time_machine.travel(sast(2026, 3, 2, 10, 0), tick=False):
        client.post(reverse("portal:report"), form)
    case = Case.objects.get()

    with time_machine.travel(sast(2026, 3, 20, 10, 0), tick=False):
        page = client.get(reverse("portal:case_track", args=[case.reference])).content

    assert b'id="overdue"' in page
    assert world.standard.redress.encode() in page


def test_a_mistyped_reference_finds_nothing_and_says_so(client, form):
    client.post(reverse("portal:report"), form)
    case = Case.objects.get()
    typo = case.reference[:-1] + ("0" if case.reference[-1] != "0" else "1")

    response = client.get(reverse("portal:track_lookup"), {"reference": typo})

    assert response.status_code == 200
    assert b"We found no case with that reference" in response.content


def test_a_reference_typed_loosely_finds_the_case(client, form):
    client.post(reverse("portal:report"), form)
    case = Case.objects.get()

    response = client.get(reverse("portal:track_lookup"),
                          {"reference": case.reference.lower().replace("-", " ")})

    assert response.status_code == 302
    assert response["Location"] == f"/track/{case.reference}/"


def test_the_citizen_reopens_a_resolved_case(client, form):
    client.post(reverse("portal:report"), form)
    case = Case.objects.get()
    case_resolve(case=case, actor=None, outcome="fixed")

    client.post(reverse("portal:case_reopen", args=[case.reference]),
                {"reason": "Still leaking", "secret": reopen_secret_sent(case)})

    case.refresh_from_db()
    assert case.status == "reopened"
    assert case.events.filter(kind="reopened", note="Still leaking").exists()


def test_the_wards_map_layer_is_public_geojson(client, world):
    data = client.get(reverse("portal:wards_geojson")).json()

    assert data["type"] == "FeatureCollection"
    assert data["features"][0]["properties"]["code"] == "W001"


def test_the_report_form_loads_the_map_without_inline_script(client, world):
    page = client.get(reverse("portal:report")).content.decode()

    assert "vendor/leaflet/leaflet.js" in page
    assert "<script>" not in page




def test_the_public_timeline_shows_statuses_in_words(client, form, world):
    from imbizo.cases.services import case_start
    from imbizo.org.models import Role
    from tests.factories import StaffFactory

    client.post(reverse("portal:report"), form)
    case = Case.objects.get()
    case_start(case=case, actor=StaffFactory(office=world.office, role=Role.OFFICER))

    page = client.get(reverse("portal:case_track", args=[case.reference])).content.decode()

    assert "In progress" in page
    assert "in_progress" not in page.replace('data-status="in_progress"', "")


@pytest.mark.usefixtures("catalogues")
def test_a_report_sent_in_another_language_does_not_read_the_service_names(client, form):
    client.cookies["django_language"] = "af"

    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("portal:report"), form)

    assert response.status_code == 302
    assert not [q for q in queries.captured_queries if "texts_contenttranslation" in q["sql"]]


def test_a_retired_service_is_refused_as_an_unknown_one(client, world, form):
    world.service.active = False
    world.service.save()
    calendar_reset()

    response = client.post(reverse("portal:report"), form)

    assert "valid choice" in " ".join(response.context["form"].errors["service"])
    assert Case.objects.count() == 0
