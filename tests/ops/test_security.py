import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client, world):
    response = client.get("/services/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_no_page_we_render_has_an_inline_script(client, world):
    for url in ("/", "/services/", "/services/water-leak/", "/report/", "/track/",
                "/staff/login/"):
        page = client.get(url).content.decode()
        assert "<script>" not in page, url
        assert " onclick=" not in page and " onload=" not in page, url


def _deploy_check(**environment) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 20 + "deployment-check-" + "y" * 30,
        "ALLOWED_HOSTS": "services.example.gov.za",
        "SITE_URL": "https://services.example.gov.za",
        "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SMS_BACKEND": "imbizo.notify.sms.HttpGatewaySmsBackend",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )


def test_the_production_settings_pass_djangos_deployment_checks():
    result = _deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_an_email_backend_that_delivers_nothing():
    result = _deploy_check(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")

    assert result.returncode != 0
    assert "EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend, which delivers " \
        "no email" in result.stderr


def test_production_refuses_the_log_sms_backend():
    result = _deploy_check(SMS_BACKEND="imbizo.notify.sms.LogSmsBackend")

    assert result.returncode != 0
    assert "SMS_BACKEND is imbizo.notify.sms.LogSmsBackend" in result.stderr


def test_a_test_install_may_run_on_backends_that_deliver_nothing():
    result = _deploy_check(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
                           SMS_BACKEND="imbizo.notify.sms.LogSmsBackend", TEST_INSTALL="true")

    assert result.returncode == 0, result.stdout + result.stderr
