"""The app shell, its service worker and manifest: what a phone downloads
once and keeps; and the page that connects a phone."""

import json

import pytest

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_shell_opens_for_anyone_and_holds_no_worker_data(client, worker):
    client.force_login(worker)

    response = client.get("/field/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="/static/fieldapp/app.js"' in page and 'type="module"' in page
    assert 'rel="manifest" href="/field/manifest.webmanifest"' in page
    # Cached by the service worker for everyone on the phone: nothing personal.
    assert "Thandi" not in page and "fieldworker" not in page
    assert "csrfmiddlewaretoken" not in page


def test_the_shell_hands_its_words_to_the_script_as_json(client):
    response = client.get("/field/")

    texts = json.loads(response.content.decode().split('id="field-texts" type="application/json">')[1]
                       .split("</script>")[0])
    assert texts["conflict"].startswith("Sent to your supervisor")
    assert "%(count)s" in texts["waiting_many"]


def test_the_service_worker_is_javascript_asked_for_again_on_each_visit(client):
    response = client.get("/field/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response  # its own folder is its scope


def test_the_service_worker_keeps_the_shell_and_each_of_its_files(client):
    script = client.get("/field/sw.js").content.decode()

    shell = json.loads(script.split("const SHELL = ")[1].split(";\n")[0])
    assert shell[:2] == ["/field/", "/field/manifest.webmanifest"]
    for asset in ("app.js", "store.js", "outbox.js", "questions.js", "app.css", "icon-192.png"):
        assert f"/static/fieldapp/{asset}" in shell
    for url in shell:  # every one answers, or the install would fail on the phone
        assert client.get(url).status_code == 200, url
    assert 'const CACHE = "imbizo-field-' in script


def test_the_manifest_makes_the_app_installable_under_field(client):
    response = client.get("/field/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == manifest["scope"] == "/field/"
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}


def test_connecting_a_phone_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/field/connect/")

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=/field/connect/")


def test_a_signed_in_worker_is_offered_to_connect_the_phone(client):
    worker = StaffFactory(user=UserFactory(first_name="Sipho", last_name="Dube")).user
    client.force_login(worker)

    response = client.get("/field/connect/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Signed in as Sipho Dube." in page
    assert 'action="/field/api/device"' in page and "csrfmiddlewaretoken" in page


def test_a_signed_in_user_who_is_not_staff_may_not_connect_a_phone(client):
    client.force_login(UserFactory())

    assert client.get("/field/connect/").status_code == 403


def test_every_file_the_shell_loads_is_one_the_service_worker_keeps(client):
    import re

    page = client.get("/field/").content.decode()
    script = client.get("/field/sw.js").content.decode()
    shell = set(json.loads(script.split("const SHELL = ")[1].split(";\n")[0]))

    loaded = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert loaded and loaded <= shell
    # The modules import each other by plain relative names: those are kept too.
    for module in ("store.js", "outbox.js", "questions.js"):
        assert f"/static/fieldapp/{module}" in shell


def test_the_shell_files_are_named_plainly_even_under_the_manifest_storage(client, settings):
    # Production's storage gives hashed names; app.js's imports ("./store.js")
    # ask for the plain ones, so the service worker must keep those.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}

    page = client.get("/field/").content.decode()

    assert 'src="/static/fieldapp/app.js"' in page


def test_the_staff_menu_leads_a_field_worker_to_connect_a_phone(client, db):
    from imbizo.org.models import Role

    client.force_login(StaffFactory(role=Role.OFFICER).user)
    officer_home = client.get("/staff/").content.decode()
    client.force_login(StaffFactory(role=Role.ANALYST).user)
    analyst_home = client.get("/staff/").content.decode()

    assert 'href="/field/connect/"' in officer_home
    assert 'href="/field/connect/"' not in analyst_home
