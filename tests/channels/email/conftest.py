from tests.channels.email.fixtures import (  # noqa: F401 - fixtures for the tests here
    CITIZEN,
    PASSWORD_ENV,
    _mail_settings,
    citizen_case,
    email_gateway,
    gateway_for,
    imap_server,
    imaps_server,
    mailbox,
    officer,
)
