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
    failures: dict[str, tuple[int, str]] = field(default_factory=dict)
    throttled: dict[str, tuple[int, int]] = field(default_factory=dict)
    bad_gateway: dict[str, int] = field(default_factory=dict)
    """Method name → (error code, description): the Bot API refuses that method, as Telegram
    does (e.g. 403 "Forbidden: bot was blocked by the user"). The call is still recorded."""

    def throttle(self, method: str, times: int, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 Too Many Requests, as Telegram
        does under flood control, then normally."""
        with self.lock:
            self.throttled[method] = (times, retry_after)

    def fail_transiently(self, method: str, times: int) -> None:
        """Answer the next ``times`` calls of ``method`` with 502 Bad Gateway, then normally."""
        with self.lock:
            self.bad_gateway[method] = times

    def _bad_gateway(self, method: str) -> bool:
        with self.lock:
            left = self.bad_gateway.get(method, 0)
            if left <= 0:
                return False
            self.bad_gateway[method] = left - 1
            return True

    def _throttled(self, method: str) -> int | None:
        with self.lock:
            times, retry_after = self.throttled.get(method, (0, 0))
            if times <= 0:
                return None
            self.throttled[method] = (times - 1, retry_after)
            return retry_after

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

    def wait_for_messages(
        self, count: int, timeout: float = 10.0, quiet: float = 0.3
    ) -> list[Call]:
        """Wait for ``count`` sendMessage calls in total, then until no call has come for
        ``quiet`` seconds (a turn sends several bubbles, spaced by the rate limiter)."""
        self.wait_for(lambda fake: len(fake.sent()) >= count, timeout)
        deadline = time.monotonic() + timeout
        seen = len(self.calls)
        settled_at = time.monotonic() + quiet
        while time.monotonic() < min(settled_at, deadline):
            time.sleep(0.02)
            if len(self.calls) != seen:
                seen = len(self.calls)
                settled_at = time.monotonic() + quiet
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
            status, answer = 200, {"ok": True, "result": result}
            if method in fake.failures:
                status, description = fake.failures[method]
                answer = {"ok": False, "error_code": status, "description": description}
            if fake._bad_gateway(method):
                status = 502
                answer = {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            retry_after = fake._throttled(method)
            if retry_after is not None:
                status = 429
                answer = {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                }
            payload = json.dumps(answer).encode()
            self.send_response(status)
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
