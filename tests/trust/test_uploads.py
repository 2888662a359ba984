"""Photos: checked by content, size-limited, never at a public URL, served to
staff who may see the case with headers that keep them inert."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from imbizo.cases.models import Attachment
from imbizo.cases.uploads import image_check
from imbizo.core.errors import DomainError
from imbizo.org.models import Role
from imbizo.privacy.models import AccessPurpose, PersonalDataAccess
from tests.trust.conftest import PNG

pytestmark = pytest.mark.django_db


def upload(content: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def jpeg(size=(4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_a_real_jpeg_is_taken_whatever_its_name():
    assert image_check(upload(jpeg(), name="evil.html")) == ("image/jpeg", "jpg")


def test_a_file_that_only_starts_like_a_jpeg_is_refused():
    polyglot = b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>" * 10

    with pytest.raises(DomainError, match="not a photo"):
        image_check(upload(polyglot))


def test_a_png_header_on_a_broken_body_is_refused():
    with pytest.raises(DomainError, match="not a photo"):
        image_check(upload(PNG[:40] + b"garbage" * 20, name="x.png"))


def test_an_image_of_absurd_dimensions_is_refused(monkeypatch):
    import imbizo.cases.uploads as uploads

    monkeypatch.setattr(uploads, "MAX_PHOTO_PIXELS", 11)

    with pytest.raises(DomainError, match="not a photo"):
        image_check(upload(jpeg(size=(4, 3))))


def test_photos_are_not_served_under_media(client, seed):
    path = Attachment.objects.get(pk=seed.photo_id).file.name

    assert client.get(f"/media/{path}").status_code == 404


def test_a_photo_is_served_to_an_officer_of_the_case_with_inert_headers(client, seed):
    client.force_login(seed.staff[Role.OFFICER].user)

    response = client.get(reverse("backoffice:case_photo",
                                  args=[seed.case.reference, seed.photo_id]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'inline; filename="{seed.case.reference}-{seed.photo_id}.png"')
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert PersonalDataAccess.objects.get().purpose == AccessPurpose.PHOTO


def test_a_photo_of_another_case_cannot_be_reached_through_this_case(client, seed):
    client.force_login(seed.staff[Role.ADMINISTRATOR].user)

    response = client.get(reverse("backoffice:case_photo",
                                  args=[seed.case.reference, seed.foreign_photo_id]))

    assert response.status_code == 404


def test_the_case_page_links_its_photos(client, seed):
    client.force_login(seed.staff[Role.OFFICER].user)

    page = client.get(reverse("backoffice:case_detail", args=[seed.case.reference]))

    assert reverse("backoffice:case_photo",
                   args=[seed.case.reference, seed.photo_id]).encode() in page.content
