"""Real servers on loopback for delivery tests: SMTP (aiosmtpd) and an HTTP SMS
gateway (http.server in a thread), plus an SMS backend that holds a send open."""

import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list:
        return self.mailbox.messages

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: str


@dataclass
class Gateway:
    """What an HTTP SMS gateway was asked, and what it answers (status, body, headers)."""

    status: int = 200
    answer: bytes = b'{"id": "gw-123"}'
    answer_headers: dict = field(default_factory=dict)
    received: list[Request] = field(default_factory=list)
    url: str = ""

    def serve(self) -> ThreadingHTTPServer:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                gateway.received.append(Request(
                    method=self.command, path=self.path, headers=dict(self.headers),
                    body=self.rfile.read(length).decode()))
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                for name, value in gateway.answer_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(gateway.answer)))
                self.end_headers()
                self.wfile.write(gateway.answer)

            do_POST = do_GET = do_PUT = _answer  # noqa: N815 - http.server's names

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_port}/send"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


class GatedSmsBackend:
    """Holds each send open until the test releases it: a worker caught mid-send."""

    entered = threading.Event()
    release = threading.Event()
    sent: list[str] = []

    @classmethod
    def reset(cls) -> None:
        cls.entered, cls.release, cls.sent = threading.Event(), threading.Event(), []

    def send(self, to: str, text: str, *, message_id: int | None = None) -> str | None:
        type(self).entered.set()
        if not type(self).release.wait(timeout=10):
            raise TimeoutError("the test never released the send")
        type(self).sent.append(to)
        return None
