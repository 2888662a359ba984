"""An optional TOTP second factor for staff (django-otp), required per role by
OTP_REQUIRED_ROLES; enrolment shows a QR code."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from imbizo.org.models import Role
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def code(device) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                 drift=device.drift)
    return str(value).zfill(device.digits)


@pytest.fixture
def administrator(world, settings):
    settings.OTP_REQUIRED_ROLES = ["administrator"]
    return StaffFactory(role=Role.ADMINISTRATOR, office=None, department=None,
                        user=UserFactory(username="chief", is_staff=True, is_superuser=True))


def sign_in(client, staff):
    response = client.post(reverse("backoffice:login"),
                           {"username": staff.user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_role_that_needs_it_is_sent_to_enrol_after_the_password(client, administrator):
    response = sign_in(client, administrator).get(reverse("backoffice:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:otp") + "?next=")


def test_enrolment_shows_a_qr_code_and_the_key(client, administrator):
    page = sign_in(client, administrator).get(reverse("backoffice:otp")).content.decode()

    device = TOTPDevice.objects.get(user=administrator.user)
    assert 'src="data:image/png;base64,' in page
    assert 'id="otp-secret"' in page and not device.confirmed


def test_the_right_code_confirms_the_device_and_opens_the_back_office(client, administrator):
    sign_in(client, administrator).get(reverse("backoffice:otp"))
    device = TOTPDevice.objects.get(user=administrator.user)

    response = client.post(reverse("backoffice:otp"), {"token": code(device), "next": "/staff/"})

    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client, administrator):
    sign_in(client, administrator).get(reverse("backoffice:otp"))

    page = client.post(reverse("backoffice:otp"), {"token": "000000"})

    assert "That code is not right" in page.content.decode()
    assert client.get(reverse("backoffice:home")).status_code == 302


def test_after_enrolment_each_sign_in_asks_for_a_code_not_a_new_device(client, administrator):
    device = TOTPDevice.objects.create(user=administrator.user, name="phone", confirmed=True)

    page = sign_in(client, administrator).get(reverse("backoffice:otp")).content.decode()

    assert "Confirm it is you" in page and "data:image/png" not in page
    client.post(reverse("backoffice:otp"), {"token": code(device)})
    assert client.get(reverse("backoffice:home")).status_code == 200
    assert TOTPDevice.objects.filter(user=administrator.user).count() == 1


def test_the_admin_site_needs_the_second_factor_too(client, administrator):
    sign_in(client, administrator)

    first = client.get(reverse("admin:index"))
    second = client.get(first["Location"])

    assert first.status_code == 302 and "/admin/login/" in first["Location"]
    assert second.status_code == 302 and second["Location"].startswith(reverse("backoffice:otp"))


def test_the_admin_opens_once_the_code_is_confirmed(client, administrator):
    device = TOTPDevice.objects.create(user=administrator.user, name="phone", confirmed=True)
    sign_in(client, administrator)
    client.post(reverse("backoffice:otp"), {"token": code(device)})

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_role_that_does_not_need_it_goes_straight_in(client, administrator, world):
    officer = StaffFactory(role=Role.OFFICER, office=world.office)

    assert sign_in(client, officer).get(reverse("backoffice:home")).status_code == 200


def test_an_officer_who_enrolled_of_their_own_accord_is_asked_for_a_code(
        client, administrator, world):
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    TOTPDevice.objects.create(user=officer.user, name="phone", confirmed=True)

    response = sign_in(client, officer).get(reverse("backoffice:home"))

    assert response.status_code == 302 and reverse("backoffice:otp") in response["Location"]


def test_the_next_address_cannot_send_the_user_elsewhere(client, administrator):
    device = TOTPDevice.objects.create(user=administrator.user, name="phone", confirmed=True)
    sign_in(client, administrator)

    response = client.post(reverse("backoffice:otp"),
                           {"token": code(device), "next": "https://evil.example/"})

    assert response["Location"] == reverse("backoffice:home")
