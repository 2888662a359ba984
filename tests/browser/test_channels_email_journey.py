"""A citizen answers our email with a photo; the worker reads the mailbox (a
real dovecot on loopback); the officer sees the reply and the photo on the
case page, on a desk and on a phone."""

import pytest
from playwright.sync_api import expect

from imbizo.channels.email_tasks import mailboxes_poll
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.channels.email.fixtures import (  # noqa: F401 - fixtures used below
    CITIZEN,
    _mail_settings,
    citizen_case,
    email_gateway,
    imap_server,
    mailbox,
    officer,
)
from tests.channels.email.mails import png, reply_to, sent_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 740}


def sign_in(page, user):
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_the_officer_sees_the_email_reply_and_its_photo(page, request):
    request.getfixturevalue("email_gateway")
    box, case, staff = (request.getfixturevalue(name) for name in (
        "mailbox", "citizen_case", "officer"))
    box.append(reply_to(sent_to(CITIZEN), body="It is still leaking, see the photo.",
                            attachments=[("leak.png", "image/png", png(320, 240, "teal"))]))
    assert mailboxes_poll() == 1

    sign_in(page, staff.user)
    page.goto(f"/staff/cases/{case.reference}/")

    message = page.locator("#timeline [data-kind='message_in']")
    expect(message).to_contain_text("Message from the citizen")
    expect(message).to_contain_text("It is still leaking, see the photo.")
    expect(page.locator("#timeline")).not_to_contain_text("We received your report")
    photo_link = page.get_by_role("link", name="Photo 1")
    expect(photo_link).to_be_visible()
    axe_check(page)
    assert_no_console_errors(page)
    snap(page, "email-reply-1-case-page")

    page.set_viewport_size(PHONE)
    message.scroll_into_view_if_needed()
    expect(message).to_be_visible()
    snap(page, "email-reply-2-case-page-phone")

    with page.expect_response(lambda r: "/photos/" in r.url or "photo" in r.url) as answer:
        photo_link.click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    # The photo opens as its own document: wait until the browser has decoded it.
    page.wait_for_function("() => document.images.length > 0 && document.images[0].complete")
    size = page.evaluate("() => [document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [320, 240]
