"""Replies to the emails we send about a case find their way back to it.

Every email to a case's citizen carries the case's reply token three times:

- `Reply-To: replies+<token>@<domain>` when EMAIL_REPLY_ADDRESS
  ("replies@<domain>", the mailbox that channels polls by IMAP) is set, so a
  reply lands in that mailbox with the token in its To;
- `Message-ID: <outbox-<id>.<stamp>.<token>@<domain>>`, which comes back in
  the reply's In-Reply-To and References;
- `References: <case-<token>@<domain>>`, one thread id per case, so mail
  programs show every message about a case as one conversation and a reply
  to any of them names the case.

The token is `<case id>-<16 letters>`: the letters are a keyed hash (HMAC
with SECRET_KEY, or one of SECRET_KEY_FALLBACKS after a key change) of the
case id, so nobody can make the token of another case from its id or its
reference (ADR 0032). `token_case_id` reads it back, checking the hash.
Emails to staff about a case carry none of this: a reply from staff is not
the citizen's.
"""

import base64
import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import MessageChannel, OutboxMessage

_SALT = "imbizo.notify.replies.case"
# 16 base32 letters: 80 bits of keyed hash.
_MAC_LENGTH = 16
TOKEN = re.compile(r"(?<![0-9a-z])([0-9]{1,12})-([a-z2-7]{16})(?![0-9a-z])", re.IGNORECASE)


def _mac(case_id: int, secret: str | bytes | None = None) -> str:
    digest = salted_hmac(_SALT, str(case_id), secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest).decode().lower()[:_MAC_LENGTH]


def case_token(case_id: int) -> str:
    """The reply token of case `case_id` (stable while SECRET_KEY is)."""
    return f"{case_id}-{_mac(case_id)}"


def token_case_id(token: str) -> int | None:
    """The case id in `token` when its hash is right (with the current key or a
    fallback one); None otherwise."""
    match = TOKEN.fullmatch((token or "").strip())
    if match is None:
        return None
    case_id, mac = int(match.group(1)), match.group(2).lower()
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if constant_time_compare(mac, _mac(case_id, secret)):
            return case_id
    return None


def case_ids_in(text: str) -> list[int]:
    """The cases whose valid tokens appear in `text` (header values), first first."""
    found: list[int] = []
    for match in TOKEN.finditer(text or ""):
        case_id = token_case_id(match.group(0))
        if case_id is not None and case_id not in found:
            found.append(case_id)
    return found


def reply_address(token: str) -> str:
    """EMAIL_REPLY_ADDRESS with `token` after a plus ("replies+<token>@..."), or ""
    when no reply mailbox is set."""
    mailbox = getattr(settings, "EMAIL_REPLY_ADDRESS", "") or ""
    local, at, domain = mailbox.strip().rpartition("@")
    if not at or not local or not domain:
        return ""
    return f"{local.partition('+')[0]}+{token}@{domain}"


def thread_id(token: str, domain: str) -> str:
    """The one thread id of a case's emails (in every one's References)."""
    return f"<case-{token}@{domain}>"


def case_email_headers(message: OutboxMessage, *, message_id: str, domain: str,
                       references: str = "") -> dict:
    """Reply-To, Message-ID and References of an email to a case's citizen (see
    the module docstring); {} for any other message. `message_id` is the id
    the message would have without a case ("<outbox-...@domain>");
    `references`, the ids the message's own headers refer to (kept)."""
    if message.channel != MessageChannel.EMAIL or message.case_id is None:
        return {}
    case = message.case
    if case is None or (case.citizen_email or "").strip().lower() != message.recipient.lower():
        return {}
    token = case_token(message.case_id)
    local, _, host = message_id.strip("<>").rpartition("@")
    thread = thread_id(token, domain)
    others = [ref for ref in dict.fromkeys(references.split()) if ref != thread]
    headers = {"Message-ID": f"<{local}.{token}@{host or domain}>",
               "References": " ".join([thread, *others])}
    address = reply_address(token)
    if address:
        headers["Reply-To"] = address
    return headers
