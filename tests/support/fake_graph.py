"""A fake WhatsApp Cloud API (Graph API) server: a real HTTP server on 127.0.0.1.

It records every ``POST /{phone_number_id}/messages`` call (path, bearer token, JSON body) and
answers as Meta does: ``{"messaging_product": "whatsapp", "contacts": [...], "messages":
[{"id": "wamid..."}]}``. Tests can program it to refuse the next calls with a Graph error code
(130429 throughput, 131056 pair rate, 131047 window closed, any other code) or an HTTP 500.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PHONE_NUMBER_ID = "106540352242922"
"""Meta's own example phone number id (the business number the helpline answers from)."""
ACCESS_TOKEN = "EAAJB-test-permanent-token"

_ERRORS = {
    130429: (400, "(#130429) Rate limit hit"),
    131056: (400, "(#131056) (Business Account, Consumer Account) pair rate limit hit"),
    131047: (400, "Re-engagement message"),
    131026: (400, "Message undeliverable"),
    100: (400, "(#100) Invalid parameter"),
}


@dataclass
class GraphCall:
    """One call: the path, the bearer token it carried, the JSON body, the answer's status."""

    path: str
    token: str
    body: dict[str, Any]
    status: int

    @property
    def to(self) -> str | None:
        """The recipient: a phone number (``to``) or a business-scoped user id (``recipient``)."""
        value = self.body.get("to") or self.body.get("recipient")
        return str(value) if value is not None else None

    @property
    def kind(self) -> str:
        """``text``, ``button`` or ``list``."""
        if self.body.get("type") == "interactive":
            return str(self.body["interactive"]["type"])
        return str(self.body.get("type"))

    @property
    def text(self) -> str:
        """The text a person reads: a text body, or an interactive message's body."""
        if self.body.get("type") == "text":
            return str(self.body["text"]["body"])
        return str(self.body.get("interactive", {}).get("body", {}).get("text", ""))

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(id, title) of every reply button or list row, in order."""
        interactive = self.body.get("interactive") or {}
        action = interactive.get("action") or {}
        if interactive.get("type") == "button":
            return [(b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])]
        if interactive.get("type") == "list":
            return [(r["id"], r["title"]) for s in action.get("sections", []) for r in s["rows"]]
        return []


@dataclass
class FakeGraph:
    """The server, its record of calls and its programmed failures."""

    calls: list[GraphCall] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    """Error codes (or 500) to answer the next calls with, one each, in order."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        """The base URL to use as ``WHATSAPP_API_BASE_URL``."""
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/v25.0"

    def fail(self, code: int, times: int = 1) -> None:
        """Refuse the next ``times`` calls with Graph error ``code`` (500: an HTTP 500)."""
        with self.lock:
            self.failures.extend([code] * times)

    def sent(self) -> list[GraphCall]:
        """The calls Meta accepted (a person receives these), in order."""
        with self.lock:
            return [c for c in self.calls if c.status == 200]

    def clear(self) -> None:
        """Forget the calls so far."""
        with self.lock:
            self.calls.clear()

    def wait_for(self, predicate: Callable[[FakeGraph], bool], timeout: float = 10.0) -> None:
        """Wait until the calls a test expects have come (answers go out inside the webhook, so
        this is only a safety net)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return
            time.sleep(0.02)
        raise AssertionError(f"expected Graph API calls did not arrive; got {len(self.calls)}")

    def answer(self, path: str, token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Record the call and decide Meta's answer."""
        with self.lock:
            code = self.failures.pop(0) if self.failures else None
            status: int
            reply: dict[str, Any]
            if code == 500:
                status = 500
                reply = {"error": {"message": "An unknown error occurred", "code": 1}}
            elif code is not None:
                status, message = _ERRORS.get(code, (400, "Error"))
                reply = {
                    "error": {
                        "message": message,
                        "type": "OAuthException",
                        "code": code,
                        "error_data": {"messaging_product": "whatsapp", "details": message},
                        "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam",
                    }
                }
            else:
                recipient = body.get("to") or body.get("recipient")
                status = 200
                reply = {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": recipient, "wa_id": recipient}],
                    "messages": [{"id": f"wamid.fake{next(self._ids):012d}"}],
                }
            self.calls.append(GraphCall(path, token, body, status))
        return status, reply


def start_fake_graph() -> FakeGraph:
    """Start the server on a free port of 127.0.0.1, in a daemon thread."""
    fake = FakeGraph()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"unreadable": True}
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            status, reply = fake.answer(self.path, token, body)
            payload = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    fake.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=fake.server.serve_forever, daemon=True).start()
    return fake
