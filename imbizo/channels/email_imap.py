"""Polling the institution's mailbox by IMAP for citizens' replies.

A Gateway of kind "email" with adapter "imap" names the mailbox in its
settings (docs/channels-email.md):

    {"host": "mail.example.gov.za", "port": 993, "user": "replies@example.gov.za",
     "password_env": "IMBIZO_REPLIES_PASSWORD", "tls": "ssl", "folder": "INBOX",
     "after": "move", "handled_folder": "Imbizo handled"}

The password is never stored: `password_env` names the environment variable
that holds it. `tls` is "ssl" (IMAPS, port 993), "starttls" (port 143) or
"none", which is allowed only to a loopback address; `ca_file` trusts a
private certificate authority.

`mailbox_poll` reads the folder's messages by UID, oldest first, at most
`batch` (50) per poll. Each is fetched without marking it read
(BODY.PEEK[]), handled by `email_replies.email_receive` in its own
transaction, and only after that commits is it moved to `handled_folder`
(after "move", the default) or flagged `\\Seen $ImbizoHandled` (after
"flag", for a mailbox people read too). A poll that dies between the commit
and the move finds the message again next time; its Message-ID is then
known and it is handled once. A message that fails is flagged
`$ImbizoFailed` and left where it is, so one bad message does not stop the
others; removing the flag tries it again.
"""

import contextlib
import imaplib
import ipaddress
import logging
import os
import re
import ssl
import time
import traceback
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .email_replies import MAX_MESSAGE_BYTES, email_receive
from .models import Gateway

logger = logging.getLogger("imbizo.channels")

HANDLED = "$ImbizoHandled"
FAILED = "$ImbizoFailed"
TLS_MODES = ("ssl", "starttls", "none")
AFTER_MODES = ("move", "flag")
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
BATCH = 50
TIMEOUT_SECONDS = 30
_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class MailboxError(Exception):
    """The mailbox could not be read (connection, login, folder). The text says
    why without the password; it is logged and shown to operators."""


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    user: str
    password_env: str
    tls: str = "ssl"
    folder: str = "INBOX"
    after: str = "move"
    handled_folder: str = "Imbizo handled"
    batch: int = BATCH
    timeout: float = TIMEOUT_SECONDS
    ca_file: str = ""
    max_message_bytes: int = MAX_MESSAGE_BYTES


def mailbox_settings(settings: dict) -> tuple[MailboxSettings | None, list[str]]:
    """The gateway's settings read as a mailbox, or None with every problem named."""
    settings = settings or {}
    problems: list[str] = []
    if any(key in settings for key in ("password", "pass", "secret")):
        problems.append(_('Do not put the password in the settings: put it in an environment '
                          'variable and name that variable in "password_env".'))
    for key in ("host", "user", "password_env"):
        if not str(settings.get(key) or "").strip():
            problems.append(_('"%(key)s" is missing.') % {"key": key})
    tls = str(settings.get("tls") or "ssl")
    if tls not in TLS_MODES:
        problems.append(_('"tls" must be one of %(modes)s.') % {"modes": ", ".join(TLS_MODES)})
    after = str(settings.get("after") or "move")
    if after not in AFTER_MODES:
        problems.append(_('"after" must be "move" or "flag".'))
    numbers = {}
    for key, default, low, high in (("port", DEFAULT_PORTS.get(tls, 993), 1, 65535),
                                    ("batch", BATCH, 1, 1000),
                                    ("timeout", TIMEOUT_SECONDS, 1, 300),
                                    ("max_message_bytes", MAX_MESSAGE_BYTES, 1024, 10**9)):
        value = settings.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                low <= value <= high):
            problems.append(_('"%(key)s" must be a number from %(low)d to %(high)d.')
                            % {"key": key, "low": low, "high": high})
        numbers[key] = value
    host = str(settings.get("host") or "").strip()
    if tls == "none" and host and not _loopback(host):
        problems.append(_('"tls": "none" sends the password unencrypted: it is allowed only to '
                          'a server on this machine (127.0.0.1). Use "ssl" or "starttls".'))
    if problems:
        return None, problems
    return MailboxSettings(
        host=host, port=int(numbers["port"]), user=str(settings["user"]).strip(),
        password_env=str(settings["password_env"]).strip(), tls=tls,
        folder=str(settings.get("folder") or "INBOX"), after=after,
        handled_folder=str(settings.get("handled_folder") or "Imbizo handled"),
        batch=int(numbers["batch"]), timeout=float(numbers["timeout"]),
        ca_file=str(settings.get("ca_file") or ""),
        max_message_bytes=int(numbers["max_message_bytes"]),
    ), []


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class PollReport:
    """What one poll of one mailbox did (counts only: no addresses)."""

    seen: int = 0
    handled: int = 0
    duplicates: int = 0
    failed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def mailbox_poll(*, gateway: Gateway) -> PollReport:
    """Read and handle the waiting messages of `gateway`'s mailbox (see the
    module docstring). MailboxError when the mailbox cannot be read at all."""
    config, problems = mailbox_settings(gateway.settings)
    if config is None:
        raise MailboxError("; ".join(problems))
    started = time.monotonic()
    report = PollReport()
    client = _connect(config)
    try:
        _select(client, config.folder)
        for uid in _waiting_uids(client, config)[:config.batch]:
            report.seen += 1
            _one(client, gateway, config, uid, report)
        if config.after == "move":
            _expunge(client)
    finally:
        _logout(client)
    report.seconds = time.monotonic() - started
    logger.info("email gateway %s polled: %d seen, %d handled, %d duplicates, %d failed in "
                "%.2f s", gateway.pk, report.seen, report.handled, report.duplicates,
                report.failed, report.seconds)
    return report


def _one(client, gateway: Gateway, config: MailboxSettings, uid: bytes,
         report: PollReport) -> None:
    try:
        size = _size(client, uid)
        too_large = size > config.max_message_bytes
        raw = _fetch(client, uid, "BODY.PEEK[HEADER]" if too_large else "BODY.PEEK[]")
        result = email_receive(gateway=gateway, raw=raw, too_large=too_large)
    except (imaplib.IMAP4.abort, OSError):
        raise  # the connection is gone: the rest waits for the next poll
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others
        report.failed += 1
        logger.error("email gateway %s: message uid %s failed: %s\n%s", gateway.pk,
                     uid.decode(), type(exc).__name__, _where(exc))
        _store_flags(client, uid, FAILED)
        return
    if result.duplicate:
        report.duplicates += 1
    else:
        report.handled += 1
        report.outcomes[result.outcome] = report.outcomes.get(result.outcome, 0) + 1
    _done(client, config, uid)


def _where(exc: BaseException) -> str:
    """The stack of `exc` without its message (which may quote the email)."""
    return "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__))).rstrip()


# --- IMAP ---------------------------------------------------------------------------


def _connect(config: MailboxSettings) -> imaplib.IMAP4:
    password = os.environ.get(config.password_env, "")
    if not password:
        raise MailboxError(f"the environment variable {config.password_env} (the mailbox "
                           "password) is not set")
    context = ssl.create_default_context(cafile=config.ca_file or None)
    try:
        if config.tls == "ssl":
            client = imaplib.IMAP4_SSL(config.host, config.port, ssl_context=context,
                                       timeout=config.timeout)
        else:
            client = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
            if config.tls == "starttls":
                client.starttls(ssl_context=context)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"cannot reach {config.host}:{config.port}: "
                           f"{type(exc).__name__}: {exc}") from exc
    try:
        client.login(config.user, password)
    except imaplib.IMAP4.error as exc:
        _logout(client)
        raise MailboxError(f"the server refused the login of {config.user}") from exc
    return client


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _select(client: imaplib.IMAP4, folder: str) -> None:
    status, answer = client.select(_quoted(folder))
    if status != "OK":
        raise MailboxError(f"cannot open the folder {folder}: {_said(answer)}")


def _waiting_uids(client: imaplib.IMAP4, config: MailboxSettings) -> list[bytes]:
    # HANDLED in both modes: a message that could not be moved is flagged instead.
    criteria = ["UNKEYWORD", FAILED, "UNKEYWORD", HANDLED, "UNDELETED"]
    status, answer = client.uid("SEARCH", *criteria)
    if status != "OK":
        raise MailboxError(f"the server refused the search: {_said(answer)}")
    return sorted((answer[0] or b"").split(), key=int)


def _size(client: imaplib.IMAP4, uid: bytes) -> int:
    status, rows = client.uid("FETCH", uid, "(RFC822.SIZE)")
    for row in rows or []:
        line = row[0] if isinstance(row, tuple) else row
        match = _SIZE.search(line or b"")
        if status == "OK" and match:
            return int(match.group(1))
    raise MailboxError(f"message uid {uid.decode()} has gone")


def _fetch(client: imaplib.IMAP4, uid: bytes, item: str) -> bytes:
    status, rows = client.uid("FETCH", uid, f"({item})")
    for row in rows or []:
        if isinstance(row, tuple) and len(row) == 2:
            return row[1]
    raise MailboxError(f"message uid {uid.decode()} could not be fetched: {status}")


def _done(client: imaplib.IMAP4, config: MailboxSettings, uid: bytes) -> None:
    """Make sure the next poll does not read `uid` again."""
    if config.after == "flag":
        _store_flags(client, uid, f"\\Seen {HANDLED}")
        return
    _store_flags(client, uid, "\\Seen")
    if b"MOVE" in _capabilities(client):
        status, answer = client.uid("MOVE", uid, _quoted(config.handled_folder))
        if status != "OK" and b"TRYCREATE" in b" ".join(a or b"" for a in answer):
            client.create(_quoted(config.handled_folder))
            status, answer = client.uid("MOVE", uid, _quoted(config.handled_folder))
    else:
        status, answer = client.uid("COPY", uid, _quoted(config.handled_folder))
        if status != "OK":
            client.create(_quoted(config.handled_folder))
            status, answer = client.uid("COPY", uid, _quoted(config.handled_folder))
        if status == "OK":
            _store_flags(client, uid, "\\Deleted")
    if status != "OK":
        # Not moved: flagged instead, so that the next poll does not read it again.
        _store_flags(client, uid, HANDLED)
        logger.warning("email: cannot move message uid %s to the handled folder: %s",
                       uid.decode(), _said(answer)[:80])


def _store_flags(client: imaplib.IMAP4, uid: bytes, flags: str) -> None:
    client.uid("STORE", uid, "+FLAGS.SILENT", f"({flags})")


def _capabilities(client: imaplib.IMAP4) -> bytes:
    return b" ".join(capability.encode() if isinstance(capability, str) else capability
                     for capability in client.capabilities)


def _expunge(client: imaplib.IMAP4) -> None:
    if b"MOVE" not in _capabilities(client):
        client.expunge()


def _logout(client: imaplib.IMAP4) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        client.logout()


def _said(answer) -> str:
    parts = [part.decode(errors="replace") if isinstance(part, bytes) else str(part)
             for part in answer or []]
    return " ".join(parts)[:200]
