"""Fixtures of the email reply tests (here and in tests/browser): a real
dovecot on loopback, an IMAP gateway reading one mailbox of it, and a case
whose citizen has an email address. Test modules import what they use."""

import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_assign, case_open
from imbizo.channels.models import Gateway
from imbizo.notify.delivery import outbox_send_due
from tests.channels.email.imap_server import imap_server, imaps_server, mailbox  # noqa: F401
from tests.channels.email.mails import CITIZEN
from tests.factories import StaffFactory

PASSWORD_ENV = "IMBIZO_TEST_REPLIES_PASSWORD"


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path):
    settings.DEFAULT_FROM_EMAIL = "Imbizo <noreply@muni.example>"
    settings.EMAIL_REPLY_ADDRESS = "replies@muni.example"
    settings.MEDIA_ROOT = str(tmp_path / "media")


def gateway_for(box, monkeypatch, slug="replies", **settings) -> Gateway:
    monkeypatch.setenv(PASSWORD_ENV, box.password)
    gateway = Gateway(kind="email", slug=slug, adapter="imap", settings={
        "host": box.host, "port": box.port, "user": box.user, "password_env": PASSWORD_ENV,
        "tls": "none", **settings})
    gateway.secret_set("not-called")
    gateway.save()
    return gateway


@pytest.fixture
def email_gateway(db, mailbox, monkeypatch):  # noqa: F811 - the fixture imported above
    return gateway_for(mailbox, monkeypatch)


@pytest.fixture
def officer(world):
    return StaffFactory(office=world.office)


@pytest.fixture
def citizen_case(world, officer):
    """A water leak reported on the web by a citizen with an email address, assigned
    to an officer; its acknowledgement has been sent."""
    case = case_open(draft=CaseDraft(
        service_code=world.service.code, description="Water leaking in Mandela Street",
        channel="web", citizen_email=CITIZEN, contact_consent=True, ward_code=world.ward.code))
    case = case_assign(case=case, actor=None, assignee=officer)
    outbox_send_due()
    return case
