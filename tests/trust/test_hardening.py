"""Passwords, login lockout, cookies and headers under the production settings."""

import copy
import importlib
import sys

import pytest
import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse

from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.support import sast

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
MORNING = sast(2026, 3, 2, 9, 0)


def production_settings(monkeypatch) -> dict:
    """The settings module config.settings.production, as a dict of its values."""
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("SITE_URL", "https://testserver")
    base = importlib.import_module("config.settings.base")
    # Backends that deliver (production refuses the others; tests/ops/test_security.py).
    monkeypatch.setattr(base, "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setattr(base, "SMS_BACKEND", "imbizo.notify.sms.HttpGatewaySmsBackend")
    logging_before = copy.deepcopy(base.LOGGING)  # production edits the shared dict
    sys.modules.pop("config.settings.production", None)
    try:
        module = importlib.import_module("config.settings.production")
        return {name: copy.deepcopy(getattr(module, name)) for name in dir(module)
                if name.isupper()}
    finally:
        sys.modules.pop("config.settings.production", None)
        base.LOGGING.clear()
        base.LOGGING.update(logging_before)


def test_passwords_are_hashed_with_argon2_in_production(monkeypatch):
    hashers = production_settings(monkeypatch)["PASSWORD_HASHERS"]

    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=hashers):
        from django.contrib.auth.hashers import make_password

        assert identify_hasher(make_password("s3cret-enough")).algorithm == "argon2"


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.25


def attempt(client, username, password, address="196.25.1.1"):
    return client.post(reverse("backoffice:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(client, world, lockout):
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    with time_machine.travel(MORNING, tick=False):
        statuses = [attempt(client, officer.user.username, "wrong").status_code for _ in range(3)]
        locked = attempt(client, officer.user.username, PASSWORD)

    assert statuses[:2] == [200, 200]
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_cool_off(client, world, lockout):
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    with time_machine.travel(MORNING, tick=False):
        for _ in range(3):
            attempt(client, officer.user.username, "wrong")
    with time_machine.travel(sast(2026, 3, 2, 9, 16), tick=False):
        response = attempt(client, officer.user.username, PASSWORD)

    assert response.status_code == 302


def test_a_colleague_on_the_same_connection_is_not_locked_out(client, world, lockout):
    careless = StaffFactory(role=Role.OFFICER, office=world.office)
    colleague = StaffFactory(role=Role.OFFICER, office=world.office)
    with time_machine.travel(MORNING, tick=False):
        for _ in range(3):
            attempt(client, careless.user.username, "wrong")
        response = attempt(client, colleague.user.username, PASSWORD)

    assert response.status_code == 302


def test_production_cookies_are_secure_http_only_and_host_bound(client, world, monkeypatch):
    values = production_settings(monkeypatch)
    cookie_settings = {k: v for k, v in values.items()
                       if k.startswith(("SESSION_COOKIE", "CSRF_COOKIE"))}
    officer = StaffFactory(role=Role.OFFICER, office=world.office)

    with override_settings(**cookie_settings):
        response = client.post(reverse("backoffice:login"), {
            "username": officer.user.username, "password": PASSWORD}, secure=True)
        page = client.get(reverse("backoffice:intake"), secure=True)

    session = response.cookies["__Host-sessionid"]
    csrf = page.cookies["__Host-csrftoken"]
    for cookie in (session, csrf):
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
        assert cookie["path"] == "/" and not cookie["domain"]
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600


def test_production_redirects_to_https_and_sends_hsts(monkeypatch):
    values = production_settings(monkeypatch)

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_production_asks_administrators_for_a_second_factor(monkeypatch):
    monkeypatch.delenv("OTP_REQUIRED_ROLES", raising=False)

    assert production_settings(monkeypatch)["OTP_REQUIRED_ROLES"] == ["administrator"]


def test_no_staff_or_public_page_has_an_inline_script(client, seed):
    from tests.trust.url_table import ENTRIES, STAFF

    client.force_login(seed.staff[Role.ADMINISTRATOR].user)
    pages = [e for e in ENTRIES if e.method == "GET" and e.name != "backoffice:case_photo"]
    inline = []
    for entry in pages:
        url = reverse(entry.name, kwargs=entry.kwargs(seed)) + entry.query
        response = client.get(url)
        if response.streaming:  # a file (a photo of evidence), not a page
            continue
        body = response.content.decode(errors="replace")
        if "<script>" in body or " onclick=" in body or " onload=" in body:
            inline.append(url)

    assert inline == []
    assert any(e.area == STAFF for e in pages)


def test_a_staff_page_with_personal_data_is_never_stored(client, world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    client.force_login(officer.user)

    response = client.get(reverse("backoffice:home"))

    assert "no-store" in response["Cache-Control"]


def test_an_api_answer_to_a_key_is_never_stored(client, world):
    from imbizo.integrations.services import apikey_create

    _key, raw = apikey_create(name="cache check", scopes=["read", "personal"])

    response = client.get("/api/v1/cases", HTTP_X_API_KEY=raw)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_public_page_to_an_anonymous_visitor_keeps_its_own_caching(client, world):
    response = client.get("/services/")

    assert "no-store" not in response.get("Cache-Control", "")
