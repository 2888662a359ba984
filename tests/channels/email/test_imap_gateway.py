"""The IMAP gateway as data: what its settings may say, and that it is polled
by the worker, not called."""

import pytest

from imbizo.channels.email_imap import mailbox_settings
from imbizo.channels.models import Gateway
from imbizo.core.periodic import periodic_tasks

pytestmark = pytest.mark.django_db

GOOD = {"host": "mail.muni.example", "user": "replies@muni.example",
        "password_env": "IMBIZO_REPLIES_PASSWORD"}


def gateway_add(admin_client, settings_json: str):
    return admin_client.post("/admin/channels/gateway/add/", {
        "kind": "email", "slug": "replies", "adapter": "imap", "settings": settings_json,
        "active": "on", "new_secret": "unused-secret"})


def test_an_administrator_adds_a_mailbox_gateway(admin_client):
    response = gateway_add(admin_client, '{"host": "mail.muni.example", "user": '
                           '"replies@muni.example", "password_env": "IMBIZO_REPLIES_PASSWORD"}')

    assert response.status_code == 302
    assert Gateway.objects.get().settings["password_env"] == "IMBIZO_REPLIES_PASSWORD"


def test_a_password_in_the_settings_is_refused_and_not_stored(admin_client):
    response = gateway_add(admin_client, '{"host": "mail.muni.example", "user": "r@muni.example",'
                           ' "password": "hunter2"}')

    assert response.status_code == 200
    page = response.content.decode()
    assert "Do not put the password in the settings" in page
    assert "&quot;password_env&quot; is missing." in page
    assert not Gateway.objects.exists()


@pytest.mark.parametrize(("changes", "problem"), [
    ({"tls": "none"}, "allowed only to a server on this machine"),
    ({"tls": "sometimes"}, '"tls" must be one of ssl, starttls, none.'),
    ({"after": "delete"}, '"after" must be "move" or "flag".'),
    ({"port": "993"}, '"port" must be a number from 1 to 65535.'),
    ({"batch": 0}, '"batch" must be a number from 1 to 1000.'),
    ({"host": ""}, '"host" is missing.'),
])
def test_settings_that_cannot_work_are_named(changes, problem):
    config, problems = mailbox_settings({**GOOD, **changes})

    assert config is None
    assert any(problem in said for said in problems), problems


def test_plain_imap_is_allowed_to_this_machine_only():
    config, problems = mailbox_settings({**GOOD, "host": "127.0.0.1", "tls": "none"})

    assert problems == [] and config.port == 143 and config.after == "move"


def test_the_callback_address_of_a_mailbox_answers_404(client):
    gateway = Gateway(kind="email", slug="replies", adapter="imap", settings=GOOD)
    gateway.secret_set("demo")
    gateway.save()

    response = client.post("/channels/email/replies/demo/", {"from": "x@example.org"})

    assert response.status_code == 404


def test_the_worker_polls_the_mailboxes_every_minute():
    task = periodic_tasks()["imbizo.channels.email_tasks.email_poll_task"]

    assert task.every_seconds == 60
