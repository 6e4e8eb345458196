"""A fake Telegram Bot API server: a real HTTP server on 127.0.0.1 that records every call.

python-telegram-bot is pointed at it with ``base_url``; tests read ``calls`` to see exactly what
the helpline sent. It answers the methods the helpline uses with minimal valid objects.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 7000001
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Helpline", "username": "helpline_test_bot"}


@dataclass
class Call:
    """One Bot API call: the method name and its decoded parameters."""

    method: str
    params: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class FakeTelegram:
    """The server and its record of calls."""

    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    next_message_id: int = 100

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def record(self, method: str, params: dict[str, Any]) -> Any:
        with self.lock:
            self.calls.append(Call(method, params))
            self.next_message_id += 1
            message_id = self.next_message_id
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params.get("chat_id", 0))
            return {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return True

    def sent(self, method: str = "sendMessage") -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()

    def wait_for(self, predicate: Callable[[FakeTelegram], bool], timeout: float = 10.0) -> None:
        """Wait until the helpline has made the calls a test expects (updates are queued)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return
            time.sleep(0.02)
        raise AssertionError(
            f"expected Bot API calls did not arrive; got {[c.method for c in self.calls]}"
        )

    def wait_for_messages(self, count: int, timeout: float = 10.0) -> list[Call]:
        """Wait for ``count`` sendMessage calls in total and return them."""
        self.wait_for(lambda fake: len(fake.sent()) >= count, timeout)
        time.sleep(0.1)  # let a turn that sends several bubbles finish
        return self.sent()


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def start_fake_telegram() -> FakeTelegram:
    """Start the server on a free port of 127.0.0.1, in a daemon thread."""
    fake = FakeTelegram()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            content_type = self.headers.get("Content-Type", "")
            if "json" in content_type and body:
                params = json.loads(body)
            else:
                params = {k: _decode(v) for k, v in parse_qsl(body, keep_blank_values=True)}
            method = self.path.rstrip("/").rsplit("/", 1)[-1]
            result = fake.record(method, params)
            payload = json.dumps({"ok": True, "result": result}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            return

    fake.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=fake.server.serve_forever, daemon=True).start()
    return fake
