"""A real IMAP server on loopback for the tests: Debian's dovecot (dovecot-imapd).

`ImapServer` writes a dovecot configuration of its own in a temporary
directory (its own base_dir, state and log; listening on 127.0.0.1 on a free
port; users and passwords from a passwd-file; maildir mail in the same
directory; plain IMAP, or IMAPS with a certificate made for the run), starts
`dovecot -F -c <conf>` in the foreground, and stops it. Messages reach a
mailbox the way a mail client puts them there: IMAP APPEND.

Dovecot never runs its login processes as root, and refuses mail users with
uid 0: run as root (as CI is), the logins run as `dovenull`, the internal
services and the mailboxes as `dovecot`, and the temporary tree belongs to
`dovecot`; run as anyone else, everything runs as that user.

The `imap_server` fixture (one server per test session) and `mailbox` (a
fresh mailbox per test, so tests never see each other's mail) are imported
by the test modules that need them. Without dovecot the tests are skipped
with the reason, except under CI=true, where they fail: CI must not pass by
testing less.
"""

import contextlib
import imaplib
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists()
                                       else None)
START_TIMEOUT = 15.0
USERS = 200  # mailboxes per server: one per test that asks


@dataclass(frozen=True)
class Mailbox:
    """One user's mailbox on the server: what a Gateway's settings name."""

    host: str
    port: int
    user: str
    password: str
    server: "ImapServer"

    def connect(self) -> imaplib.IMAP4:
        client = self.server.client()
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> int:
        """Deliver `raw` (an RFC 5322 message) into `folder`; its UID."""
        client = self.connect()
        try:
            status, answer = client.append(folder, None, None, raw)
            assert status == "OK", answer
            # [APPENDUID <uidvalidity> <uid>] (UIDPLUS)
            return int(answer[0].split(b"]")[0].split()[-1])
        finally:
            client.logout()

    def uids(self, folder: str = "INBOX", criteria: str = "ALL") -> list[int]:
        client = self.connect()
        try:
            status, _ = client.select(_quoted(folder), readonly=True)
            if status != "OK":
                return []
            _, found = client.uid("SEARCH", criteria)
            return [int(uid) for uid in found[0].split()]
        finally:
            client.logout()

    def folders(self) -> list[str]:
        client = self.connect()
        try:
            _, rows = client.list()
            return [row.decode().rsplit(" ", 1)[-1].strip('"') for row in rows if row]
        finally:
            client.logout()

    def flags(self, uid: int, folder: str = "INBOX") -> set[str]:
        client = self.connect()
        try:
            client.select(_quoted(folder), readonly=True)
            _, rows = client.uid("FETCH", str(uid), "(FLAGS)")
            text = rows[0].decode() if rows and rows[0] else ""
            inside = text.partition("FLAGS (")[2].partition(")")[0]
            return set(inside.split())
        finally:
            client.logout()


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapServer:
    """dovecot on 127.0.0.1:<free port>, in a temporary directory; `start()`, `stop()`."""

    def __init__(self, *, tls: bool = False):
        self.tls = tls
        self.host = "127.0.0.1"
        self.port = 0
        self.root: Path | None = None
        self.ca_file = ""
        self._process: subprocess.Popen | None = None

    # --- life ---------------------------------------------------------------------

    def start(self) -> "ImapServer":
        if DOVECOT is None:
            raise FileNotFoundError("dovecot")
        self.root = Path(tempfile.mkdtemp(prefix="imbizo-imap-"))
        for folder in ("run", "state", "mail", "home"):
            (self.root / folder).mkdir()
        self.port = _free_port()
        self._owner = _mail_owner()
        # Users are made at start: dovecot looks at its passwd-file at most
        # once a second, so a user added mid-run might not be seen yet.
        self._users = [(f"box{n:03d}", secrets.token_urlsafe(12)) for n in range(USERS)]
        (self.root / "passwd").write_text("".join(
            f"{user}:{{PLAIN}}{password}:{self._owner.pw_uid}:{self._owner.pw_gid}"
            f"::{self.root / 'home' / user}::\n" for user, password in self._users))
        if self.tls:
            self._certificate_make()
        (self.root / "dovecot.conf").write_text(self._config())
        if os.getuid() == 0:
            # The mail processes run as `dovecot`: they must reach their tree.
            for path in [self.root, *self.root.rglob("*")]:
                if path.name not in ("run", "dovecot.conf", "server.key"):
                    os.chown(path, self._owner.pw_uid, self._owner.pw_gid)
        self._process = subprocess.Popen(  # noqa: S603 - our own configuration, no shell
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=open(self.root / "stderr.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        self._wait_ready()
        return self

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                # Its children share its session (start_new_session): end them too.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait(timeout=5)
        self._process = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"dovecot stopped at start: {self.log()}")
            try:
                self.client().logout()
                return
            except (OSError, imaplib.IMAP4.abort):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not answer within {START_TIMEOUT:.0f} s")

    def log(self) -> str:
        parts = []
        for name in ("stderr.log", "dovecot.log"):
            path = self.root / name if self.root else None
            if path is not None and path.exists():
                parts.append(path.read_text(errors="replace")[-2000:])
        return "\n".join(parts)

    # --- use ------------------------------------------------------------------------

    def client(self) -> imaplib.IMAP4:
        if self.tls:
            context = ssl.create_default_context(cafile=self.ca_file)
            return imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=5)
        return imaplib.IMAP4(self.host, self.port, timeout=5)

    def mailbox(self) -> Mailbox:
        """A mailbox no test has used yet in this run."""
        if not self._users:
            raise RuntimeError(f"all {USERS} test mailboxes are used: raise USERS")
        user, password = self._users.pop(0)
        return Mailbox(host=self.host, port=self.port, user=user, password=password, server=self)

    # --- configuration --------------------------------------------------------------

    def _config(self) -> str:
        root = self.root
        if os.getuid() == 0:
            login_user, internal_user, internal_group = "dovenull", "dovecot", "dovecot"
        else:
            me = pwd.getpwuid(os.getuid())
            login_user = internal_user = me.pw_name
            internal_group = _group_name(me.pw_gid)
        ssl_lines = (f"ssl = required\nssl_cert = <{root}/server.crt\nssl_key = <{root}/server.key\n"
                     if self.tls else "ssl = no\n")
        listener = "imaps" if self.tls else "imap"
        other = "imap" if self.tls else "imaps"
        ssl_flag = "  ssl = yes\n" if self.tls else ""
        return f"""\
# Written by tests/channels/email/imap_server.py for one test run.
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl_lines}disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener {listener} {{
    address = 127.0.0.1
    port = {self.port}
{ssl_flag}  }}
  inet_listener {other} {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""

    def _certificate_make(self) -> None:
        """A self-signed certificate for 127.0.0.1; clients trust it through `ca_file`."""
        crt, key = self.root / "server.crt", self.root / "server.key"
        subprocess.run(  # noqa: S603 - fixed arguments
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",  # noqa: S607
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(crt)],
            check=True, capture_output=True,
        )
        self.ca_file = str(crt)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _mail_owner() -> pwd.struct_passwd:
    if os.getuid() == 0:
        return pwd.getpwnam("dovecot")
    return pwd.getpwuid(os.getuid())


def _group_name(gid: int) -> str:
    import grp

    return grp.getgrgid(gid).gr_name


def _server_or_skip(*, tls: bool) -> ImapServer:
    if DOVECOT is None:
        message = ("dovecot is not installed (apt-get install dovecot-imapd; .ci/run does it): "
                   "the email reply tests need a real IMAP server")
        if os.environ.get("CI") == "true":
            pytest.fail(message + " under CI=true", pytrace=False)
        pytest.skip(message)
    return ImapServer(tls=tls).start()


@pytest.fixture(scope="session")
def imap_server():
    """One dovecot for the session (plain IMAP on loopback), stopped at the end."""
    server = _server_or_skip(tls=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def imaps_server():
    """One dovecot for the session speaking IMAPS with a certificate made for the run."""
    server = _server_or_skip(tls=True)
    yield server
    server.stop()


@pytest.fixture
def mailbox(imap_server) -> Mailbox:
    """An empty mailbox of its own for this test."""
    return imap_server.mailbox()
