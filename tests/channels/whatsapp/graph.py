"""A Graph API on loopback (http.server in a thread): it records what Imbizo
asks, answers message sends with a wamid, and serves media the way Meta does
(GET /<version>/<media-id> gives a URL; that URL with the bearer token gives
the bytes)."""

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "v23.0"


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class GraphServer:
    token: str = "graph-token"
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    received: list[Request] = field(default_factory=list)
    url: str = ""
    # A media lookup may claim a size other than the bytes' (Meta's file_size).
    claimed_sizes: dict[str, int] = field(default_factory=dict)

    @property
    def sent(self) -> list[dict]:
        """The message bodies posted to /<version>/<phone-number-id>/messages."""
        return [r.json() for r in self.received
                if r.method == "POST" and r.path.endswith("/messages")]

    def media_add(self, media_id: str, content: bytes, mime_type: str = "image/jpeg") -> dict:
        self.media[media_id] = (content, mime_type)
        return {"id": media_id, "mime_type": mime_type,
                "sha256": hashlib.sha256(content).hexdigest()}

    def serve(self) -> ThreadingHTTPServer:
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status: int, body: bytes, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, value: dict):
                self._reply(status, json.dumps(value).encode())

            def _record(self) -> bool:
                length = int(self.headers.get("Content-Length") or 0)
                graph.received.append(Request(self.command, self.path, dict(self.headers),
                                              self.rfile.read(length)))
                if self.headers.get("Authorization") != f"Bearer {graph.token}":
                    self._json(401, {"error": {"code": 190, "message": "Invalid token"}})
                    return False
                return True

            def do_POST(self):  # noqa: N802 - http.server's name
                if not self._record():
                    return
                n = len(graph.sent)
                self._json(200, {"messaging_product": "whatsapp",
                                 "messages": [{"id": f"wamid.OUT{n}"}]})

            def do_GET(self):  # noqa: N802
                if not self._record():
                    return
                parts = self.path.strip("/").split("/")
                if parts[0] == "files" and parts[-1] in graph.media:
                    content, mime = graph.media[parts[-1]]
                    self._reply(200, content, mime)
                elif len(parts) == 2 and parts[0] == VERSION and parts[1] in graph.media:
                    content, mime = graph.media[parts[1]]
                    self._json(200, {
                        "messaging_product": "whatsapp", "id": parts[1], "mime_type": mime,
                        "sha256": hashlib.sha256(content).hexdigest(),
                        "file_size": str(graph.claimed_sizes.get(parts[1], len(content))),
                        "url": f"{graph.url}/files/{parts[1]}"})
                else:
                    self._json(404, {"error": {"code": 100, "message": "Unknown object"}})

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
