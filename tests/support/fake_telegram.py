"""A fake Telegram Bot API server: a real HTTP server on 127.0.0.1 that records every call.

python-telegram-bot is pointed at it with ``base_url``; tests read ``calls`` to see exactly what
the helpline sent. It answers the methods the helpline uses with minimal valid objects.

It also plays Telegram's side of the webhook: ``post_update`` posts an update as Telegram does
and, when the answer is 200 with a Bot API method in its body, runs that method here (recorded
with ``via="webhook"``), as Telegram runs a webhook reply. It can be told to refuse calls (403,
400), to fail for a while (429 with ``retry_after``, 500, 502) and to hang (a timeout).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
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
    via: str = "api"
    """``api`` (a call to the Bot API) or ``webhook`` (a method in a webhook response)."""

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
    server_errors: dict[str, tuple[int, int]] = field(default_factory=dict)
    hangs: dict[str, tuple[int, float]] = field(default_factory=dict)
    hang_after: dict[str, int] = field(default_factory=dict)
    released: threading.Event = field(default_factory=threading.Event)
    attempts: list[str] = field(default_factory=list)
    """Every request received, recorded or not (a hung or failed call is an attempt only)."""

    def fail_with(self, method: str, status: int, times: int) -> None:
        """Answer the next ``times`` calls of ``method`` with ``status`` (e.g. 500), unrecorded:
        the message did not go out."""
        with self.lock:
            self.server_errors[method] = (times, status)

    def hang(self, method: str, times: int, seconds: float = 30.0, after: int = 0) -> None:
        """Let ``after`` calls of ``method`` through, then hold the next ``times`` for ``seconds``
        (or until ``release``) and drop them unrecorded: the client times out, nothing went out."""
        with self.lock:
            self.released.clear()
            self.hangs[method] = (times, seconds)
            self.hang_after[method] = after

    def release(self) -> None:
        """End every hang now."""
        self.released.set()

    def _take(self, table: dict[str, tuple[int, Any]], method: str) -> Any:
        with self.lock:
            times, value = table.get(method, (0, None))
            if times <= 0:
                return None
            table[method] = (times - 1, value)
            return value

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

    def run_webhook_reply(self, body: Mapping[str, Any]) -> None:
        """Run a method found in a webhook response, as Telegram does."""
        params = {k: v for k, v in body.items() if k != "method"}
        with self.lock:
            self.calls.append(Call(str(body["method"]), params, via="webhook"))

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
            with fake.lock:
                fake.attempts.append(method)
            with fake.lock:
                passing = fake.hang_after.get(method, 0)
                if passing > 0:
                    fake.hang_after[method] = passing - 1
            hang = None if passing > 0 else fake._take(fake.hangs, method)
            if hang is not None:
                fake.released.wait(hang)
                self.close_connection = True
                return
            status_only = fake._take(fake.server_errors, method)
            if status_only is not None:
                self._answer(
                    status_only,
                    {
                        "ok": False,
                        "error_code": status_only,
                        "description": "Internal Server Error",
                    },
                )
                return
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
            self._answer(status, answer)

        def _answer(self, status: int, answer: dict[str, Any]) -> None:
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


def post_update(
    base: str,
    fake: FakeTelegram,
    update: Mapping[str, Any],
    secret: str | None,
    timeout: float = 30.0,
) -> Any:
    """Post ``update`` to the helpline's webhook as Telegram does, and run the method of a 200
    response's body on ``fake`` as Telegram would. Returns the ``httpx.Response``."""
    import httpx

    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    response = httpx.post(
        f"{base}/telegram/webhook", json=dict(update), headers=headers, timeout=timeout
    )
    if response.status_code == 200 and response.content:
        body = response.json()
        if isinstance(body, dict) and "method" in body:
            fake.run_webhook_reply(body)
    return response
