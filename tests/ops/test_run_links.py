"""`make run PORT=8080`: the links sent out point at :8080, and DEBUG is off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.cases.services import case_resolve
from imbizo.notify.delivery import outbox_send_due
from imbizo.server.management.commands.run import site_url_follow

ROOT = Path(__file__).resolve().parents[2]


def _dev_settings(**environment) -> str:
    """SITE_URL and DEBUG as `make run` (config.settings.dev) reads them from
    this environment, in a fresh interpreter."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "DJANGO_SETTINGS_MODULE": "config.settings.dev", **environment}
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL, settings.DEBUG, settings.EMAIL_BACKEND, settings.SMS_BACKEND)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_make_runs_settings_point_links_at_its_port_with_debug_off():
    site_url, debug, email, sms = _dev_settings(HOST="127.0.0.1", PORT="8080").split()

    assert site_url == "http://127.0.0.1:8080"
    assert debug == "False"
    # Demo messages go to files under var/, never to the console log.
    assert email == "django.core.mail.backends.filebased.EmailBackend"
    assert sms == "imbizo.notify.sms.FileSmsBackend"


def test_production_refuses_to_start_without_a_site_url():
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "services.example.gov.za",
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "SMS_BACKEND": "imbizo.notify.sms.HttpGatewaySmsBackend"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"],  # noqa: S603
                            cwd=ROOT, env=env, capture_output=True, text=True, check=False)

    assert result.returncode != 0
    assert "set SITE_URL to the public address" in result.stderr


def test_debug_is_on_only_when_asked_and_an_explicit_site_url_wins():
    site_url, debug, *_ = _dev_settings(PORT="8080", DEBUG="1",
                                        SITE_URL="https://services.example.gov.za").split()

    assert (site_url, debug) == ("https://services.example.gov.za", "True")


@pytest.fixture
def run_site_url(monkeypatch):
    """What `imbizo run --port 8080` does to SITE_URL, undone afterwards."""
    before = settings.SITE_URL
    monkeypatch.delenv("SITE_URL", raising=False)
    try:
        yield site_url_follow("127.0.0.1", 8080)
    finally:
        settings.SITE_URL = before


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_a_message_sent_under_port_8080_links_to_port_8080(client, world, run_site_url):
    assert run_site_url == "http://127.0.0.1:8080" == os.environ["SITE_URL"]
    client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "description": "Burst pipe on the corner",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
        "citizen_email": "lerato@example.org", "contact_consent": "on",
    })
    case = Case.objects.get()
    case_resolve(case=case, actor=None, outcome="fixed")

    outbox_send_due()

    received, resolved = (next(m for m in mail.outbox if case.reference in m.subject and word in
                               m.subject) for word in ("received", "resolved"))
    track = f"http://127.0.0.1:8080/track/{case.reference}/?secret="
    assert track in received.body
    assert track in resolved.body
    assert "http://127.0.0.1:8080/survey/" in resolved.body
    assert ":8000" not in received.body + resolved.body


@override_settings(DEBUG=False)
def test_a_page_not_found_lists_no_url_patterns(client, world):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "URLconf" not in page and "staff/" not in page and "open311" not in page
